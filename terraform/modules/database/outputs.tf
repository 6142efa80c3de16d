output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the instance."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret (JSON with username and password) managed by RDS."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "tls" {
  description = "How connections are secured: force_ssl (rds.force_ssl in the instance's parameter group), ca_cert_identifier and parameter_group."
  value = {
    force_ssl          = one([for parameter in aws_db_parameter_group.this.parameter : parameter.value if parameter.name == "rds.force_ssl"]) == "1"
    ca_cert_identifier = aws_db_instance.this.ca_cert_identifier
    parameter_group    = aws_db_instance.this.parameter_group_name
  }
}

output "instance_id" {
  description = "Identifier of the instance (the CloudWatch DBInstanceIdentifier dimension)."
  value       = aws_db_instance.this.identifier
}

output "protection" {
  description = "How the instance is protected: deletion_protection, backup_retention_days, multi_az and the final snapshot kept on destroy (null when none)."
  value = {
    deletion_protection       = aws_db_instance.this.deletion_protection
    backup_retention_days     = aws_db_instance.this.backup_retention_period
    multi_az                  = aws_db_instance.this.multi_az
    final_snapshot_identifier = aws_db_instance.this.skip_final_snapshot ? null : aws_db_instance.this.final_snapshot_identifier
  }
}
