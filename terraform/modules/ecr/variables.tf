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
  description = "How many most recent images each repository keeps; older ones expire. Prod's running image and its rollback target survive while fewer than this many images are built after them, so it is sized for the builds that may pile up before a prod promotion."
  default     = 500

  validation {
    condition     = var.keep_last_images >= 100 && var.keep_last_images <= 1000
    error_message = "keep_last_images must be between 100 and 1000: fewer could expire the image prod runs, or its rollback target, after a burst of builds prod was not promoted to."
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
