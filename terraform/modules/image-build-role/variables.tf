variable "role_name" {
  type        = string
  description = "Name of the build role."
}

variable "github_repository" {
  type        = string
  description = "Repository (owner/name) whose build jobs may assume the role."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "branches" {
  type        = list(string)
  description = "Branches whose jobs (outside any GitHub environment) may assume the role."
  default     = ["main"]

  validation {
    condition     = length(var.branches) > 0 && alltrue([for branch in var.branches : can(regex("^[^*?]+$", branch))])
    error_message = "branches must name at least one branch, without wildcards."
  }
}

variable "workflow" {
  type        = string
  description = "File name of the workflow (under .github/workflows) whose jobs may assume the role."
  default     = "deploy.yml"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+\\.ya?ml$", var.workflow))
    error_message = "workflow must be a file name under .github/workflows, such as deploy.yml."
  }
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the account's token.actions.githubusercontent.com OIDC provider."
}

variable "ecr_repository_arns" {
  type        = list(string)
  description = "Repositories the role may push to."

  validation {
    condition     = length(var.ecr_repository_arns) > 0
    error_message = "ecr_repository_arns must name at least one repository."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Maximum session length in seconds."
  default     = 3600
}
