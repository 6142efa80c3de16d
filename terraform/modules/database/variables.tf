variable "identifier" {
  type        = string
  description = "RDS instance identifier."
}

variable "engine_version" {
  type        = string
  description = "PostgreSQL major (or major.minor) version, 15 or newer."
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)?$", var.engine_version)) && try(tonumber(split(".", var.engine_version)[0]) >= 15, false)
    error_message = "engine_version must be PostgreSQL 15 or newer, e.g. \"16\" or \"16.4\"."
  }
}

variable "instance_class" {
  type        = string
  description = "RDS instance class, e.g. db.t4g.micro."

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS class starting with db."
  }
}

variable "allocated_storage" {
  type        = number
  description = "Initial storage in GiB."
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "max_allocated_storage" {
  type        = number
  description = "Storage autoscaling ceiling in GiB (0 disables autoscaling)."
  default     = 100
}

variable "database_name" {
  type        = string
  description = "Name of the database created on the instance."

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must start with a letter and hold only lower-case letters, digits and underscores."
  }
}

variable "ca_cert_identifier" {
  type        = string
  description = "Certificate authority of the instance's server certificate; clients verify it against the RDS CA bundle, which holds every one of these."
  default     = "rds-ca-rsa2048-g1"

  validation {
    condition     = contains(["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"], var.ca_cert_identifier)
    error_message = "ca_cert_identifier must be rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1."
  }
}

variable "master_username" {
  type        = string
  description = "Master user name; its password is generated and kept in Secrets Manager by RDS."
  default     = "berth_admin"
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the DB subnet group."
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the instance."
}

variable "multi_az" {
  type        = bool
  description = "Run a synchronous standby in a second availability zone."
}

variable "backup_retention_days" {
  type        = number
  description = "Days automated backups are kept (0 disables them)."

  validation {
    condition     = var.backup_retention_days >= 0 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 0 and 35."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the instance from deletion; also keeps a final snapshot on destroy."
}
