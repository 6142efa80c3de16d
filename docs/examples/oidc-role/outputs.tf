output "build_role_arn" {
  description = "Set as the caller repository's AWS_BUILD_ROLE_ARN variable."
  value       = module.build_role.role_arn
}

output "deploy_role_arn" {
  description = "Set as the caller's AWS_DEPLOY_ROLE_ARN variable (repository level, or in dev and prod)."
  value       = module.deploy_role.role_arn
}
