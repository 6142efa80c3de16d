data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  tags = merge(var.tags, {
    Project     = var.project
    Environment = "shared"
    ManagedBy   = "terraform"
  })

  state_bucket_name = coalesce(var.state_bucket_name, "${var.project}-terraform-state")

  # Written out rather than read from the repositories, so plans (and the role policies) know them before apply.
  ecr_repository_arns = [
    for service in var.services :
    "arn:${data.aws_partition.current.partition}:ecr:${var.aws_region}:${data.aws_caller_identity.current.account_id}:repository/${var.project}/${service}"
  ]
}

module "state_bucket" {
  source = "../modules/state-bucket"

  bucket_name                        = local.state_bucket_name
  noncurrent_version_expiration_days = var.state_noncurrent_version_days
}

module "ecr" {
  source = "../modules/ecr"

  project          = var.project
  services         = toset(var.services)
  keep_last_images = var.ecr_keep_last_images
}

module "github_oidc" {
  source = "../modules/github-oidc"
  count  = var.create_github_oidc ? 1 : 0

  create_oidc_provider = var.create_oidc_provider
}

# Trusted only from deploy.yml's jobs on main outside any GitHub environment: the build job.
module "build_role" {
  source = "../modules/image-build-role"
  count  = var.create_github_oidc ? 1 : 0

  role_name            = "${var.project}-github-build"
  github_repository    = var.github_repository
  branches             = var.github_build_branches
  oidc_provider_arn    = module.github_oidc[0].oidc_provider_arn
  ecr_repository_arns  = local.ecr_repository_arns
  max_session_duration = var.role_max_session_duration
}

# Per environment: a deploy role and a terraform role, each trusted only from its own workflows on main in the
# GitHub environment of that name, a read-only plan role (pull request plans and drift checks), and the
# permissions boundary of every role the platform creates there.
module "environment_access" {
  source   = "../modules/environment-access"
  for_each = var.create_github_oidc ? toset(var.environments) : toset([])

  project                 = var.project
  environment             = each.key
  region                  = var.aws_region
  github_repository       = var.github_repository
  oidc_provider_arn       = module.github_oidc[0].oidc_provider_arn
  services                = var.services
  ecr_repository_arns     = local.ecr_repository_arns
  state_bucket_name       = local.state_bucket_name
  state_key               = "platform/${each.key}/terraform.tfstate"
  secrets_state_key       = "platform/${each.key}/secrets.tfstate"
  existing_task_role_arns = lookup(var.existing_task_role_arns, each.key, [])
  vpc_id                  = lookup(var.environment_vpc_ids, each.key, null)
  sender_emails           = compact([lookup(var.environment_sender_emails, each.key, "")])
  max_session_duration    = var.role_max_session_duration
}

# Without its sender address an environment's terraform role may not create its SES identity and its roles may send
# no mail through SES: the platform's apply is refused ses:CreateEmailIdentity. A warning, so accounts that send by
# SMTP or have no environment yet can still apply.
check "every_environment_has_a_sender" {
  assert {
    condition     = !var.create_github_oidc || alltrue([for environment in var.environments : contains(keys(var.environment_sender_emails), environment)])
    error_message = "environment_sender_emails names no sender for ${join(", ", [for environment in var.environments : environment if !contains(keys(var.environment_sender_emails), environment)])}: add the environment's address to the repository variable NOTIFIER_SENDER_EMAILS (storage-apply passes it as TF_VAR_environment_sender_emails) and apply storage before the environment's terraform-apply."
  }
}
