output "state_bucket" {
  description = "Name of the Terraform state bucket."
  value       = module.state_bucket.bucket_name
}

output "ecr_repository_urls" {
  description = "Map of service to ECR repository URL."
  value       = module.ecr.repository_urls
}

output "aws_region" {
  description = "Region of the shared layer."
  value       = var.aws_region
}

output "build_role_arn" {
  description = "Role the build job assumes (repository variable AWS_BUILD_ROLE_ARN); null when create_github_oidc is false."
  value       = var.create_github_oidc ? module.build_role[0].role_arn : null
}

output "environment_role_arns" {
  description = "Per environment, its deploy, terraform and read-only plan roles ({ dev = { deploy, terraform, plan }, … }: that GitHub environment's AWS_DEPLOY_ROLE_ARN and AWS_TERRAFORM_ROLE_ARN, and its entry in the repository variable AWS_PLAN_ROLE_ARNS); null when create_github_oidc is false."
  value = var.create_github_oidc ? {
    for environment, access in module.environment_access : environment => {
      deploy    = access.deploy_role_arn
      terraform = access.terraform_role_arn
      plan      = access.plan_role_arn
    }
  } : null
}

output "environment_access" {
  description = "Per environment, the permissions boundary of the roles its platform creates and the resources its roles are scoped to (read by npm run iam:policies); null when create_github_oidc is false."
  value = var.create_github_oidc ? {
    for environment, access in module.environment_access : environment => {
      permissions_boundary_arn = access.permissions_boundary_arn
      resources                = access.resources
    }
  } : null
}
