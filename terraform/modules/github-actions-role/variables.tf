variable "name" {
  type        = string
  description = "Name of the role; its managed policies are named <name>-<key of policies>."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,50}$", var.name))
    error_message = "name must be 1-50 letters, digits or +=,.@_- (policy names add a suffix to it)."
  }
}

variable "description" {
  type        = string
  description = "What the role is for, shown in the IAM console."
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the account's token.actions.githubusercontent.com OIDC provider."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be the ARN of the token.actions.githubusercontent.com provider."
  }
}

variable "subjects" {
  type        = list(string)
  description = "GitHub token subjects allowed to assume the role, matched exactly (StringEquals). With the repository's subject template of repo, context and job_workflow_ref, a subject names the repository, where the job runs and the workflow file and ref it runs from, such as repo:OWNER/NAME:environment:prod:job_workflow_ref:OWNER/NAME/.github/workflows/deploy-environment.yml@refs/heads/main."
  default     = []

  validation {
    condition = alltrue([
      for subject in var.subjects :
      can(regex("^repo:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:(environment:[^:*?]+|ref:refs/heads/[^:*?]+):job_workflow_ref:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/\\.github/workflows/[A-Za-z0-9_.-]+\\.ya?ml@refs/(heads|tags)/[^:*?]+$", subject))
    ])
    error_message = "subjects must each be repo:OWNER/NAME:environment:E:job_workflow_ref:OWNER/NAME/.github/workflows/FILE@refs/heads/BRANCH (or @refs/tags/TAG for a reusable workflow pinned to a release) or repo:OWNER/NAME:ref:refs/heads/BRANCH:job_workflow_ref:…@refs/heads/BRANCH, without wildcards (pull requests only through subject_patterns)."
  }
}

variable "subject_patterns" {
  type        = list(string)
  description = "Subjects matched with a wildcard (StringLike), for pull requests of the repository only, whose ref is refs/pull/<number>/merge: repo:OWNER/NAME:pull_request:job_workflow_ref:OWNER/NAME/.github/workflows/FILE@refs/pull/*/merge."
  default     = []

  validation {
    condition = alltrue([
      for pattern in var.subject_patterns :
      can(regex("^repo:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:pull_request:job_workflow_ref:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/\\.github/workflows/[A-Za-z0-9_.-]+\\.ya?ml@refs/pull/\\*/merge$", pattern))
    ])
    error_message = "subject_patterns must each be repo:OWNER/NAME:pull_request:job_workflow_ref:OWNER/NAME/.github/workflows/FILE@refs/pull/*/merge: the only wildcard is the pull request number."
  }

  validation {
    condition     = length(var.subjects) + length(var.subject_patterns) > 0
    error_message = "subjects and subject_patterns name no job: list at least one subject."
  }
}

variable "policies" {
  type        = map(string)
  description = "Managed policies of the role: short name => policy JSON (each at most 6,144 characters without whitespace)."
}

variable "permissions_boundary_arn" {
  type        = string
  description = "Managed policy set as the role's permissions boundary; null sets none."
  default     = null
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

variable "tags" {
  type        = map(string)
  description = "Tags of the role and its policies (on top of the provider's default tags)."
  default     = {}
}
