variable "bucket_name" {
  type        = string
  description = "Globally unique name of the S3 bucket holding Terraform state."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit."
  }
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days after which a superseded state version is deleted."
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "noncurrent_version_expiration_days must be between 1 and 3650."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key for default encryption; null uses the AWS managed aws/s3 key."
  default     = null
}

variable "force_destroy" {
  type        = bool
  description = "Allow destroying the bucket while it still holds state objects (only for throw-away accounts)."
  default     = false
}
