variable "project" {
  type        = string
  description = "Project name; the deploy role may only touch resources whose names start with it."
}

variable "region" {
  type        = string
  description = "AWS region of the provider (ECS and Lambda ARNs in the deploy policy). Passed in rather than read from data.aws_region, whose attribute is name in provider v5 and region in v6."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, the provider's region."
  }
}

variable "github_repository" {
  type        = string
  description = "Repository allowed to assume the deploy role, as owner/name."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_environments" {
  type        = list(string)
  description = "GitHub environments whose jobs may assume the role. Together with github_branches; both empty allows any ref of the repository."
  default     = []
}

variable "github_branches" {
  type        = list(string)
  description = "Branches whose jobs (outside an environment) may assume the role."
  default     = []
}

variable "create_oidc_provider" {
  type        = bool
  description = "Create the token.actions.githubusercontent.com provider; false reuses the one already in the account."
  default     = true
}

variable "role_name" {
  type        = string
  description = "Name of the deploy role."
}

variable "ecr_repository_arns" {
  type        = list(string)
  description = "Repositories the role may push to."
}

variable "state_bucket_arn" {
  type        = string
  description = "Terraform state bucket the role may read (and lock)."
}

variable "passable_role_arns" {
  type        = list(string)
  description = "Existing roles (outside the <project>-* naming) the role may pass to ECS tasks, e.g. an account-provided lab role."
  default     = []
}

variable "max_session_duration" {
  type        = number
  description = "Maximum session length in seconds."
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "additional_policy_arns" {
  type        = list(string)
  description = "Managed policies attached on top of the deploy policy, for accounts that also run terraform apply with this role."
  default     = []
}
