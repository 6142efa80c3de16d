# The database: private, encrypted, TLS only, RDS-managed password; deletion protection keeps a final snapshot.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  identifier            = "berth-dev"
  instance_class        = "db.t4g.micro"
  database_name         = "berth"
  subnet_ids            = ["subnet-0a", "subnet-0b"]
  security_group_ids    = ["sg-0db"]
  multi_az              = false
  backup_retention_days = 1
  deletion_protection   = false
}

run "private_encrypted_managed_password" {
  command = plan

  module {
    source = "./database"
  }

  assert {
    condition = (
      !aws_db_instance.this.publicly_accessible &&
      aws_db_instance.this.storage_encrypted &&
      aws_db_instance.this.manage_master_user_password &&
      aws_db_instance.this.password == null
    )
    error_message = "The database is private, encrypted and RDS keeps its password in Secrets Manager."
  }

  assert {
    condition     = aws_db_instance.this.skip_final_snapshot && !aws_db_instance.this.deletion_protection
    error_message = "Without deletion protection the instance is destroyed without a final snapshot."
  }

  assert {
    condition = (
      aws_db_parameter_group.this.family == "postgres16" &&
      aws_db_parameter_group.this.name == "berth-dev-postgres16" &&
      aws_db_instance.this.parameter_group_name == "berth-dev-postgres16" &&
      output.tls.force_ssl &&
      aws_db_instance.this.ca_cert_identifier == "rds-ca-rsa2048-g1"
    )
    error_message = "The instance uses its own parameter group with rds.force_ssl = 1 and a server certificate from rds-ca-rsa2048-g1."
  }
}

run "parameter_group_follows_the_major_version" {
  command = plan

  module {
    source = "./database"
  }

  variables {
    engine_version = "17.2"
  }

  assert {
    condition     = aws_db_parameter_group.this.family == "postgres17" && aws_db_parameter_group.this.name == "berth-dev-postgres17"
    error_message = "engine_version 17.2 takes the postgres17 parameter group family."
  }
}

run "protected" {
  command = plan

  module {
    source = "./database"
  }

  variables {
    deletion_protection   = true
    backup_retention_days = 14
    multi_az              = true
  }

  assert {
    condition = (
      aws_db_instance.this.deletion_protection &&
      !aws_db_instance.this.skip_final_snapshot &&
      aws_db_instance.this.final_snapshot_identifier == "berth-dev-final" &&
      aws_db_instance.this.backup_retention_period == 14 &&
      aws_db_instance.this.multi_az
    )
    error_message = "Deletion protection keeps a final snapshot; backups and Multi-AZ follow the inputs."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./database"
  }

  variables {
    engine_version        = "14"
    instance_class        = "t4g.micro"
    allocated_storage     = 10
    database_name         = "1berth"
    backup_retention_days = 36
    ca_cert_identifier    = "rds-ca-2019"
  }

  expect_failures = [
    var.engine_version, var.instance_class, var.allocated_storage, var.database_name, var.backup_retention_days,
    var.ca_cert_identifier,
  ]
}
