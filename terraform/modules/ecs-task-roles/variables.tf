variable "name_prefix" {
  type        = string
  description = "Prefix of the role names; the deploy role may pass roles starting with the project name."
}

variable "secret_arns" {
  type        = list(string)
  description = "Secrets Manager secrets the execution role may read to inject task secrets."
  default     = []
}

variable "task_secret_arns" {
  type        = list(string)
  description = "Secrets Manager secrets the application reads itself with the task role (ARNs, or ARN patterns such as a generated-secret's arn_pattern)."
  default     = []

  validation {
    condition     = alltrue([for arn in var.task_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", arn))])
    error_message = "task_secret_arns must be Secrets Manager secret ARNs (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)."
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
