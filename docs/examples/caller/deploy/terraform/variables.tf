variable "berth_state_bucket" {
  type        = string
  description = "S3 bucket holding Berth's Terraform state (its storage output state_bucket_name)."
}

variable "environment" {
  type        = string
  description = "Berth environment whose platform state is read: dev, staging or prod."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "aws_region" {
  type        = string
  description = "Region of the state bucket."
}
