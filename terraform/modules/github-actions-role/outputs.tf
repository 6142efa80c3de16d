output "role_arn" {
  description = "ARN of the role."
  value       = local.role_arn
}

output "role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "policy_arns" {
  description = "Map of policy key to the ARN of the managed policy attached to the role."
  value       = local.policy_arns
}
