variable "project" {
  type        = string
  description = "Project name, the first part of every secret's name; the same as terraform/platform's."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project))
    error_message = "project must be 2-15 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment whose secrets this configuration holds."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the environment; the same as terraform/platform's."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region code such as the one in environments/dev.secrets.tfvars."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "true keeps a deleted secret recoverable for 30 days (prod); false deletes it at once, so a destroyed environment can be applied again."
}

variable "adopted_secret_names" {
  type        = set(string)
  description = "Secrets of this environment that terraform/platform created before the generated secrets moved here: imported by name on the next apply and never given a value by Terraform, so the value they hold stays. Empty for an environment first applied after the move (docs/runbook.md, \"Generated secrets move to terraform/secrets\")."
  default     = []

  validation {
    condition     = alltrue([for name in var.adopted_secret_names : startswith(name, "${var.project}-${var.environment}-")])
    error_message = "adopted_secret_names may name only this environment's secrets (<project>-<environment>-…)."
  }
}
