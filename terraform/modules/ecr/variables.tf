variable "project" {
  type        = string
  description = "Project name; repositories are named <project>/<service>."
}

variable "services" {
  type        = set(string)
  description = "Services that get one repository each."

  validation {
    condition     = alltrue([for service in var.services : can(regex("^[a-z0-9][a-z0-9-]*$", service))])
    error_message = "Each service name must be lower-case letters, digits and hyphens."
  }
}

variable "keep_last_images" {
  type        = number
  description = "How many most recent images each repository keeps; older ones expire."
  default     = 30

  validation {
    condition     = var.keep_last_images >= 1 && var.keep_last_images <= 1000
    error_message = "keep_last_images must be between 1 and 1000."
  }
}

variable "untagged_expiry_days" {
  type        = number
  description = "Days after which untagged images expire."
  default     = 1

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "untagged_expiry_days must be at least 1."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key for image encryption; null uses AES256."
  default     = null
}

variable "force_delete" {
  type        = bool
  description = "Allow deleting repositories that still contain images."
  default     = false
}
