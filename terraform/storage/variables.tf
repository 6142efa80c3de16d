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
  description = "Images each repository keeps."
  default     = 30
}

variable "create_github_oidc" {
  type        = bool
  description = "Create the GitHub OIDC provider and deploy role; false for accounts that forbid it (workflows then use access keys)."
  default     = true
}

variable "create_oidc_provider" {
  type        = bool
  description = "Create the account's token.actions.githubusercontent.com provider; false when one already exists."
  default     = true
}

variable "github_repository" {
  type        = string
  description = "Repository (owner/name) whose workflows may assume the deploy role. Not kept in tfvars: workflows set TF_VAR_github_repository from github.repository."
  default     = null

  validation {
    condition     = !var.create_github_oidc || var.github_repository != null
    error_message = "github_repository is required while create_github_oidc is true: set TF_VAR_github_repository=owner/name."
  }
}

variable "github_environments" {
  type        = list(string)
  description = "GitHub environments whose jobs may assume the deploy role."
  default     = ["dev", "staging", "prod"]
}

variable "github_branches" {
  type        = list(string)
  description = "Branches whose jobs outside an environment may assume the deploy role."
  default     = ["main"]
}

variable "passable_role_arns" {
  type        = list(string)
  description = "Existing task roles (not named <project>-*) the deploy role may pass to ECS."
  default     = []
}

variable "deploy_role_policy_arns" {
  type        = list(string)
  description = "Managed policies added to the deploy role when the same role also runs terraform apply."
  default     = []
}
