output "state_bucket" {
  description = "Name of the Terraform state bucket."
  value       = module.state_bucket.bucket_name
}

output "ecr_repository_urls" {
  description = "Map of service to ECR repository URL."
  value       = module.ecr.repository_urls
}

output "deploy_role_arn" {
  description = "Role the workflows assume through GitHub OIDC; null when create_github_oidc is false."
  value       = var.create_github_oidc ? module.github_oidc[0].role_arn : null
}

output "aws_region" {
  description = "Region of the shared layer."
  value       = var.aws_region
}
