output "application_name" {
  description = "CodeDeploy application; ecs-rollout's codedeploy-application input."
  value       = aws_codedeploy_app.this.name
}

output "deployment_group_name" {
  description = "CodeDeploy deployment group; ecs-rollout's codedeploy-deployment-group input."
  value       = aws_codedeploy_deployment_group.this.deployment_group_name
}

output "deployment_config_name" {
  description = "Deployment configuration the group uses unless a deployment names another."
  value       = aws_codedeploy_deployment_group.this.deployment_config_name
}

output "alarm_names" {
  description = "Alarms that stop and roll back a deployment."
  value       = var.alarm_names
}

output "role_arn" {
  description = "Role CodeDeploy acts as (created here, or the role_arn given)."
  value       = local.role_arn
}
