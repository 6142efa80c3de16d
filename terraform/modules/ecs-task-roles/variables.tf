variable "name_prefix" {
  type        = string
  description = "Prefix of the role names: <name_prefix>-execution and <name_prefix>-task (the platform passes <project>-<env>-<service>)."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,54}$", var.name_prefix))
    error_message = "name_prefix must be at most 54 characters of letters, digits and +=,.@_-, so both role names stay within IAM's 64."
  }
}

variable "secret_arns" {
  type        = list(string)
  description = "Secrets Manager secrets the execution role may read to inject task secrets."
  default     = []
}

variable "task_secret_arns" {
  type        = map(string)
  description = "Secrets Manager secrets the application reads itself with the task role, by a short name of what each is (the role policy is read-<name>): ARNs, or ARN patterns such as a generated-secret's arn_pattern."
  default     = {}

  validation {
    condition     = alltrue([for name, arn in var.task_secret_arns : can(regex("^[a-z0-9-]+$", name)) && can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", arn))])
    error_message = "task_secret_arns must map lower-case names (letters, digits, hyphens) to Secrets Manager secret ARNs (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)."
  }
}

variable "task_policy_json" {
  type        = string
  description = "IAM policy JSON for the application itself (task role); null attaches none."
  default     = null
}

variable "permissions_boundary_arn" {
  type        = string
  description = "Managed policy set as the permissions boundary of both roles; null sets none."
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>) or null."
  }
}
