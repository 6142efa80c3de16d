locals {
  tags = merge(var.tags, {
    Project     = var.project
    Environment = "shared"
    ManagedBy   = "terraform"
  })

  state_bucket_name = coalesce(var.state_bucket_name, "${var.project}-terraform-state")
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

  project                = var.project
  region                 = var.aws_region
  role_name              = "${var.project}-github-deploy"
  github_repository      = var.github_repository
  github_environments    = var.github_environments
  github_branches        = var.github_branches
  create_oidc_provider   = var.create_oidc_provider
  ecr_repository_arns    = values(module.ecr.repository_arns)
  state_bucket_arn       = module.state_bucket.bucket_arn
  passable_role_arns     = var.passable_role_arns
  additional_policy_arns = var.deploy_role_policy_arns
}
