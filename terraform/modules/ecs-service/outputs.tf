output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "service_id" {
  description = "ID (ARN) of the ECS service."
  value       = aws_ecs_service.this.id
}

output "task_definition_family" {
  description = "Task definition family the deploy pipeline registers new revisions in."
  value       = aws_ecs_task_definition.bootstrap.family
}

output "log_group_name" {
  description = "CloudWatch log group of the service."
  value       = aws_cloudwatch_log_group.this.name
}

output "execution_role_arn" {
  description = "Execution role the service's tasks use."
  value       = local.execution_role_arn
}

output "task_role_arn" {
  description = "Task role the service's tasks use."
  value       = local.task_role_arn
}

output "roles" {
  description = "The roles this module created (ecs-task-roles' outputs: role_names, ARNs and the secrets each may read), one entry; empty with create_roles = false."
  value       = module.roles
}

output "network_configuration" {
  description = "Where the tasks run: subnet IDs, security group IDs and whether they get a public IP (for aws ecs run-task)."
  value = {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
    assign_public_ip   = var.assign_public_ip
  }
}

output "deployment_controller" {
  description = "How the service is deployed: ECS (rolling) or CODE_DEPLOY (blue/green)."
  value       = var.deployment_controller
}

output "deployment_alarm_names" {
  description = "Alarms that stop and roll back the service's rolling deployments (empty for CODE_DEPLOY)."
  value       = local.ecs_controlled ? var.deployment_alarm_names : []
}

output "dns_name" {
  description = "Service name in the Cloud Map DNS namespace (<service>, resolved as <service>.<namespace>); null when not registered."
  value       = var.register_in_dns ? aws_service_discovery_service.dns[0].name : null
}
