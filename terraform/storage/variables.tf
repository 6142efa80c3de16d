variable "project" {
  type        = string
  description = "Project name; repositories are <project>/<service> and the state bucket <project>-terraform-state unless named."
  default     = "berth"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project))
    error_message = "project must be 2-15 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the shared layer (the same region as the environments)."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region code."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource; Project, Environment and ManagedBy are always set."
  default     = {}
}

variable "services" {
  type        = list(string)
  description = "Services that get an ECR repository."
  default     = ["api-gateway", "product-service", "inventory-service"]
}

variable "state_bucket_name" {
  type        = string
  description = "Name of the Terraform state bucket; null uses <project>-terraform-state. Must match bucket in environments/*.backend.hcl."
  default     = null
}

variable "state_noncurrent_version_days" {
  type        = number
  description = "Days superseded state versions are kept."
  default     = 90
}

variable "ecr_keep_last_images" {
  type        = number
  description = "Images each ECR repository keeps (100-1000): prod's running image and its rollback target survive while fewer than this many images are built after them."
  default     = 500
}

variable "create_github_oidc" {
  type        = bool
  description = "Create the GitHub OIDC provider, the build role and every environment's deploy and terraform roles; false for accounts that forbid it (AWS Academy), whose workflows then sign in with access keys."
  default     = true
}

variable "create_oidc_provider" {
  type        = bool
  description = "Create the account's token.actions.githubusercontent.com provider; false when one already exists."
  default     = true
}

variable "github_repository" {
  type        = string
  description = "Repository (owner/name) whose workflows may assume the roles. Not kept in tfvars: storage-apply sets TF_VAR_github_repository from github.repository."
  default     = null

  validation {
    condition     = !var.create_github_oidc || var.github_repository != null
    error_message = "github_repository is required while create_github_oidc is true: set TF_VAR_github_repository=owner/name."
  }
}

variable "environments" {
  type        = list(string)
  description = "Environments (and GitHub environments) that get a deploy role and a terraform role."
  default     = ["dev", "staging", "prod"]

  validation {
    condition     = length(var.environments) > 0 && alltrue([for environment in var.environments : contains(["dev", "staging", "prod"], environment)])
    error_message = "environments must list some of dev, staging and prod (the platform's environments)."
  }
}

variable "github_build_branches" {
  type        = list(string)
  description = "Branches whose jobs (outside any GitHub environment) may assume the build role."
  default     = ["main"]
}

variable "existing_task_role_arns" {
  type        = map(list(string))
  description = "Per environment, roles its tasks run as that the platform does not create (its execution_role_arn and task_role_arn); that environment's deploy role may pass them to ECS."
  default     = {}

  validation {
    condition     = alltrue([for environment in keys(var.existing_task_role_arns) : contains(["dev", "staging", "prod"], environment)])
    error_message = "existing_task_role_arns is keyed by environment: dev, staging or prod."
  }
}

variable "environment_vpc_ids" {
  type        = map(string)
  description = "Per environment, the id of its VPC (terraform/platform's vpc_id output) once its first apply made it: that environment's terraform role may create private hosted zones in that VPC only. An environment on the CODE_DEPLOY gateway needs it before its Cloud Map namespace can be created (docs/access-model.md)."
  default     = {}

  validation {
    condition     = alltrue([for environment, id in var.environment_vpc_ids : contains(["dev", "staging", "prod"], environment) && can(regex("^vpc-[0-9a-f]{8,17}$", id))])
    error_message = "environment_vpc_ids maps dev, staging or prod to a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "role_max_session_duration" {
  type        = number
  description = "Maximum session length of every GitHub role, in seconds (a terraform apply must finish within it)."
  default     = 3600

  validation {
    condition     = var.role_max_session_duration >= 3600 && var.role_max_session_duration <= 43200
    error_message = "role_max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "environment_sender_emails" {
  type        = map(string)
  description = "Per environment, the address its deployment e-mails come from (its entry in the repository variable NOTIFIER_SENDER_EMAILS, which storage-apply passes as TF_VAR_environment_sender_emails and the platform workflows as notifier_sender_email). The environment's terraform role may create, change and delete the SES identity of that address only, and the roles the platform creates may send only from it. An SES identity is account-wide, so no two environments may share an address. An environment without an entry may neither create an SES identity nor send mail through SES."
  default     = {}

  validation {
    condition     = alltrue([for environment, address in var.environment_sender_emails : contains(["dev", "staging", "prod"], environment) && can(regex("^[^@\\s*?]+@[^@\\s*?]+\\.[^@\\s*?]+$", address))])
    error_message = "environment_sender_emails maps dev, staging or prod to an e-mail address such as deploys-dev@example.com (no wildcards)."
  }

  validation {
    condition     = length(distinct([for address in values(var.environment_sender_emails) : lower(address)])) == length(var.environment_sender_emails)
    error_message = "environment_sender_emails gives two environments the same address: an SES identity belongs to the whole account, so the environment that owns it could delete it under the other. Give each environment its own sender address."
  }
}
