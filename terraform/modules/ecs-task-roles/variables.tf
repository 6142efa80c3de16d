variable "name_prefix" {
  type        = string
  description = "Prefix of the role names; the deploy role may pass roles starting with the project name."
}

variable "secret_arns" {
  type        = list(string)
  description = "Secrets Manager secrets the execution role may read to inject task secrets."
  default     = []
}

variable "task_policy_json" {
  type        = string
  description = "IAM policy JSON for the application itself (task role); null attaches none."
  default     = null
}
