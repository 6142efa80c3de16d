output "arn" {
  description = "ARN of the secret (known after apply), for a task definition's valueFrom or an application setting; available once the secret holds its first value, so no task starts before there is one to read."
  value       = aws_secretsmanager_secret.this.arn

  depends_on = [aws_secretsmanager_secret_version.initial]
}

output "name" {
  description = "Name of the secret."
  value       = aws_secretsmanager_secret.this.name
}

output "username" {
  description = "User name the value holds beside its password; null when the value is the generated string alone."
  value       = var.username
}

output "arn_pattern" {
  description = "IAM resource matching this secret only: its ARN with ?????? for the six random characters Secrets Manager appends. Known while planning, so policies built from it are too."
  value       = "arn:${data.aws_partition.current.partition}:secretsmanager:${var.region}:${data.aws_caller_identity.current.account_id}:secret:${var.name}-??????"
}

output "initial_version_id" {
  description = "Id of the version holding the value Terraform generated; null for a secret adopted with its own value (write_initial_value = false)."
  value       = one(aws_secretsmanager_secret_version.initial[*].version_id)
}
