variable "name" {
  type        = string
  description = "Name of the secret; Secrets Manager appends six random characters to it in the ARN."

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.name))
    error_message = "name must be 1-512 letters, digits or any of / _ + = . @ -."
  }
}

variable "description" {
  type        = string
  description = "What the secret holds and who reads it."
}

variable "username" {
  type        = string
  description = "When set, the value is JSON {\"username\": <this>, \"password\": <generated>}, the shape RDS keeps and the services read; null stores the generated string alone."
  default     = null

  validation {
    condition     = var.username == null || can(regex("^[a-z_][a-z0-9_]{0,62}$", var.username))
    error_message = "username must be a PostgreSQL role name that needs no quoting: up to 63 lower-case letters, digits and underscores, not starting with a digit."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the provider, for the ARN pattern. Passed in rather than read from data.aws_region, whose attribute is name in provider v5 and region in v6."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, the provider's region."
  }
}

variable "recovery_window_days" {
  type        = number
  description = "Days a deleted secret can be restored; 0 deletes it at once, so that an environment destroyed and applied again can create it anew."
  default     = 7

  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or between 7 and 30 (Secrets Manager's limits)."
  }
}

variable "write_initial_value" {
  type        = bool
  description = "false for a secret that already exists with its value (imported into this configuration): no version is written, so the value it holds is never replaced and never read."
  default     = true
}
