output "role_arn" {
  description = "ARN of the build role (the repository variable AWS_BUILD_ROLE_ARN)."
  value       = module.role.role_arn
}
