output "vpc_id" {
  description = "ID of the environment's VPC."
  value       = module.vpc.vpc_id
}

output "public_subnet_ids" {
  description = "Public subnet IDs (load balancer)."
  value       = module.vpc.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnet IDs (tasks, database, cache)."
  value       = module.vpc.private_subnet_ids
}

output "cluster_id" {
  description = "ID (ARN) of the ECS cluster."
  value       = module.cluster.cluster_id
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.cluster.cluster_name
}

output "alb_dns" {
  description = "Public DNS name of the load balancer in front of api-gateway."
  value       = module.alb.dns_name
}

output "ecs_service_names" {
  description = "Map of service to ECS service name."
  value       = { for name, service in module.service : name => service.service_name }
}

output "task_definition_families" {
  description = "Map of service to the task definition family deployments register revisions in."
  value       = { for name, service in module.service : name => service.task_definition_family }
}

output "lambda_url" {
  description = "Function URL of the deploy notifier (AWS_IAM auth)."
  value       = module.notifier.function_url
}

output "lambda_function_name" {
  description = "Name of the deploy-notifier function."
  value       = module.notifier.function_name
}

output "execution_role_arn" {
  description = "Task execution role every service's task definition uses."
  value       = local.use_existing_roles ? var.execution_role_arn : module.task_roles[0].execution_role_arn
}

output "task_role_arn" {
  description = "Task role every service's task definition uses."
  value       = local.use_existing_roles ? coalesce(var.task_role_arn, var.execution_role_arn) : module.task_roles[0].task_role_arn
}

output "log_group_names" {
  description = "Map of service to CloudWatch log group name."
  value       = { for name, service in module.service : name => service.log_group_name }
}

output "aws_region" {
  description = "Region of the environment."
  value       = var.aws_region
}

output "dashboard_url" {
  description = "Console URL of the environment's CloudWatch dashboard."
  value       = module.monitoring.dashboard_url
}

output "database_host" {
  description = "Host name of the PostgreSQL instance."
  value       = module.database.address
}

output "database_port" {
  description = "Port of the PostgreSQL instance."
  value       = module.database.port
}

output "database_name" {
  description = "Name of the application database."
  value       = module.database.database_name
}

output "database_secret_arn" {
  description = "RDS-managed master secret; task definitions read :username:: and :password:: from it."
  value       = local.database_secret_arn
}

output "cache_endpoint" {
  description = "Host name of the cache primary endpoint (TLS required)."
  value       = module.cache.primary_endpoint_address
}

output "cache_port" {
  description = "Port of the cache."
  value       = module.cache.port
}

output "service_connect_namespace" {
  description = "Service Connect namespace; services call each other as http://<service>:<port>."
  value       = module.cluster.service_connect_namespace_name
}

output "alarm_topic_arn" {
  description = "SNS topic for alarms and failed deployments."
  value       = module.notifier.alarm_topic_arn
}

output "task_network" {
  description = "Network settings of every service's tasks (subnet_ids, security_group_ids, assign_public_ip), as aws ecs run-task takes them."
  value       = module.service["api-gateway"].network_configuration
}
