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

output "public_url" {
  description = "Where the API answers: https://<domain_name> with a domain, else the load balancer's name (https once a certificate is given)."
  value       = local.public_url
}

output "certificate_validation_records" {
  description = "DNS records (name, type, value) that validate the certificate requested for domain_name; create them where the domain is hosted unless route53_zone_id is set. Empty without a requested certificate."
  value       = module.edge.certificate_validation_records
}

output "web_acl_arn" {
  description = "WAF web ACL in front of the load balancer; null with enable_waf = false."
  value       = module.edge.web_acl_arn
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

output "execution_role_arns" {
  description = "Map of service to the execution role of its task definitions (<project>-<env>-<service>-execution: pulls its image, writes its logs, reads the secrets injected into it); every service gets execution_role_arn when that is set."
  value       = { for name, service in module.service : name => service.execution_role_arn }
}

output "task_role_arns" {
  description = "Map of service to the task role of its task definitions (<project>-<env>-<service>-task: reads that service's own secrets, the gateway's none); every service gets task_role_arn (or execution_role_arn) when execution_role_arn is set."
  value       = { for name, service in module.service : name => service.task_role_arn }
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
  description = "RDS-managed master secret: the schema owner, injected by ECS (execution role) into each internal service's migrate container as DB_OWNER_USER/DB_OWNER_PASSWORD (its username/password keys), with which it migrates and creates the service's user."
  value       = local.database_secret_arn
}

output "database_user_secret_arns" {
  description = "Map of internal service to the secret with its own database user and password (its DB_SECRET_ARN), read by the service when it connects."
  value       = { for name, secret in data.aws_secretsmanager_secret.database_user : name => secret.arn }
}

output "api_tokens_secret_arn" {
  description = "Secret holding the gateway's comma-separated write tokens, injected as API_TOKENS."
  value       = data.aws_secretsmanager_secret.api_tokens.arn
}

output "cors_origins" {
  description = "The gateway's CORS_ORIGINS: cors_origins joined with commas (empty: no other origin)."
  value       = join(",", var.cors_origins)
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
  description = "Network settings of the internal services' tasks, which reach the database and the cache (subnet_ids, security_group_ids, assign_public_ip), as aws ecs run-task takes them."
  value       = module.service["product-service"].network_configuration
}

output "deployment_controllers" {
  description = "Map of service to its deployment controller: ECS (rolling) or CODE_DEPLOY (blue/green)."
  value       = { for name, service in module.service : name => service.deployment_controller }
}

output "ecs_codedeploy" {
  description = "Map of CODE_DEPLOY service to its CodeDeploy application, deployment group and configuration, as ecs-rollout's codedeploy-* inputs take them; empty when every service rolls."
  value = local.blue_green ? {
    (local.public_service) = {
      application       = module.gateway_codedeploy[0].application_name
      deployment_group  = module.gateway_codedeploy[0].deployment_group_name
      deployment_config = module.gateway_codedeploy[0].deployment_config_name
    }
  } : {}
}

output "deployment_alarm_names" {
  description = "Map of service to the alarms that stop and roll back its deployments (through ECS or CodeDeploy)."
  value       = module.monitoring.deployment_alarm_names
}

output "notifier_deployment" {
  description = "What a CodeDeploy deployment of the notifier needs: function_name, alias, application, deployment_group, deployment_config_name, alarm_names."
  value       = module.notifier.deployment
}

output "service_urls" {
  description = "Map of internal service to the URL other services call it at: its Service Connect name, or its private DNS name when the gateway is deployed blue/green."
  value       = local.service_urls
}
