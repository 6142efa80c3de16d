variable "project" {
  type        = string
  description = "Project name: the environment's resources are named <project>-<environment>…, as terraform/platform names them."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project))
    error_message = "project must be 2-15 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "The environment (and GitHub environment) these roles serve."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the environment (ARNs in the policies). Passed in rather than read from data.aws_region, whose attribute differs between provider v5 and v6."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code."
  }
}

variable "github_repository" {
  type        = string
  description = "Repository (owner/name) whose jobs in the GitHub environment of this name may assume the roles."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the account's token.actions.githubusercontent.com OIDC provider."
}

variable "services" {
  type        = list(string)
  description = "Services of the platform: each is an ECS service of the cluster <project>-<environment> and a task-definition family <project>-<environment>-<service>."

  validation {
    condition     = length(var.services) > 0
    error_message = "services must name at least one service."
  }
}

variable "ecr_repository_arns" {
  type        = list(string)
  description = "Berth's image repositories; the deploy role may read their images."
}

variable "state_bucket_name" {
  type        = string
  description = "Terraform state bucket."
}

variable "state_key" {
  type        = string
  description = "Key of the environment's platform state in the bucket (key in environments/<environment>.backend.hcl)."

  validation {
    condition     = can(regex("^[^*?]+\\.tfstate$", var.state_key))
    error_message = "state_key must be an object key ending in .tfstate, without wildcards."
  }
}

variable "secrets_state_key" {
  type        = string
  description = "Key of the environment's terraform/secrets state (key in environments/<environment>.secrets.backend.hcl): the terraform role reads and writes it, the plan and deploy roles never read it."

  validation {
    condition     = can(regex("^[^*?]+\\.tfstate$", var.secrets_state_key))
    error_message = "secrets_state_key must be an object key ending in .tfstate, without wildcards."
  }
}

variable "vpc_id" {
  type        = string
  description = "Id of the environment's VPC (terraform/platform's vpc_id output) once the platform has made it; the terraform role may create private hosted zones (a CODE_DEPLOY environment's Cloud Map namespace) in this VPC only. null: in no VPC."
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]{8,17}$", coalesce(var.vpc_id, "-")))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0, or null."
  }
}

variable "existing_task_role_arns" {
  type        = list(string)
  description = "Roles the environment's tasks run as that the platform does not create (its execution_role_arn and task_role_arn); the deploy role may pass them to ECS tasks."
  default     = []

  validation {
    condition     = alltrue([for arn in var.existing_task_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "existing_task_role_arns must be IAM role ARNs."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Maximum session length of both roles, in seconds (a terraform apply must finish within it)."
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "sender_emails" {
  type        = list(string)
  description = "Addresses the environment's notifier sends from (terraform/platform's notifier_sender_email), each its own SES e-mail identity: the terraform role may create (tagged Environment = environment), change and delete these identities only, and roles the platform creates may send only from them. Empty: no SES identity and no SES mail for this environment."
  default     = []

  validation {
    condition     = alltrue([for address in var.sender_emails : can(regex("^[^@\\s*?]+@[^@\\s*?]+\\.[^@\\s*?]+$", address))])
    error_message = "sender_emails must be e-mail addresses such as deploys-dev@example.com, without wildcards."
  }
}
