data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name_prefix = "${var.project}-${var.environment}"

  # The boundary terraform/storage creates for this environment: its terraform role may create roles only with it.
  permissions_boundary_arn = var.attach_permissions_boundary ? "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:policy/${local.name_prefix}-permissions-boundary" : null

  # Required tags are merged last so the tags variable cannot override them.
  tags = merge(var.tags, {
    Project     = var.project
    Environment = var.environment
    ManagedBy   = "terraform"
  })

  # The contract with the services and the deploy pipeline: container name and port per service.
  services = {
    "api-gateway"       = { port = 8000, public = true }
    "product-service"   = { port = 8001, public = false }
    "inventory-service" = { port = 8002, public = false }
  }
  public_service = one([for name, service in local.services : name if service.public])

  # Only the service behind the load balancer can be deployed blue/green: CodeDeploy shifts listener traffic.
  deployment_controllers = { for name, service in local.services : name => service.public ? var.gateway_deployment_controller : "ECS" }
  blue_green             = var.gateway_deployment_controller == "CODE_DEPLOY"

  # A CODE_DEPLOY gateway has no Service Connect (ECS supports it on the ECS controller only), so it reaches the
  # other services by their names in a private DNS namespace instead; task definitions read these URLs.
  service_urls = {
    for name, service in local.services : name => (
      local.blue_green ? "http://${name}.${local.name_prefix}.internal:${service.port}" : "http://${name}:${service.port}"
    ) if !service.public
  }

  # Each service runs as roles of its own (<project>-<env>-<service>-execution and -task, created by ecs-service),
  # unless the account supplies roles (AWS Academy's LabRole), which every service then shares.
  use_existing_roles = var.execution_role_arn != null

  # Tasks must reach ECR and the bootstrap image on public.ecr.aws: behind the NAT gateway from the private
  # subnets, or, without NAT, from the public subnets with public IPs (docs/infrastructure.md, "Egress and its cost").
  tasks_in_public_subnets = !var.enable_nat_gateway

  # The RDS-managed master secret: the schema owner, with which each internal service's migrate container migrates and
  # creates the service's user. ECS injects it into that container alone (execution role); no task role may read it.
  database_secret_arn = module.database.master_user_secret_arn

  # The least-privilege database user of each internal service: a member of the access role its migrations create.
  database_users = { for name, service in local.services : name => replace(name, "-", "_") if !service.public }

  # Secrets and settings each service's containers get, by the names services/<name>/task-definition.json uses, so
  # the bootstrap task already carries the real wiring. The gateway reads no database; the internal services read
  # their own user's secret themselves when they connect (DB_SECRET_ARN, with the task role), so it may rotate under
  # running tasks. The owner is no service setting: only the task's migrate container gets it, at task start.
  redis_url = "rediss://${module.cache.primary_endpoint_address}:${module.cache.port}"
  service_environment = {
    for name, service in local.services : name => merge(
      { PORT = tostring(service.port), REDIS_URL = local.redis_url },
      service.public ? {
        CORS_ORIGINS    = join(",", var.cors_origins)
        TRUSTED_PROXIES = "1"
        } : {
        PGHOST        = module.database.address
        PGPORT        = tostring(module.database.port)
        PGDATABASE    = module.database.database_name
        PGSSLMODE     = "verify-full"
        DB_SECRET_ARN = data.aws_secretsmanager_secret.database_user[name].arn
        AWS_REGION    = var.aws_region
      },
    )
  }
  service_secrets = { for name, service in local.services : name => service.public ? { API_TOKENS = data.aws_secretsmanager_secret.api_tokens.arn } : {} }

  # IAM resources matching each generated secret alone: its ARN with ?????? for the six characters Secrets Manager
  # appends, so a secret terraform/secrets recreates keeps its grants.
  secret_arn_prefix = "arn:${data.aws_partition.current.partition}:secretsmanager:${var.aws_region}:${data.aws_caller_identity.current.account_id}:secret"
  secret_arn_patterns = {
    api_tokens    = "${local.secret_arn_prefix}:${data.aws_secretsmanager_secret.api_tokens.name}-??????"
    database_user = { for name, secret in data.aws_secretsmanager_secret.database_user : name => "${local.secret_arn_prefix}:${secret.name}-??????" }
  }

  # What each service's own roles may read: its execution role the secrets ECS injects into its containers (the
  # gateway's API tokens; an internal service's owner, for its migrate container), its task role the secrets the
  # service reads itself (its own database user only).
  execution_secret_arns = { for name, service in local.services : name => service.public ? [local.secret_arn_patterns.api_tokens] : [local.database_secret_arn] }
  task_secret_arns = {
    for name, service in local.services : name => service.public ? {} : {
      "database-user" = local.secret_arn_patterns.database_user[name]
    }
  }

  https_enabled = module.edge.https_enabled
  public_url    = var.domain_name != null ? "https://${var.domain_name}" : "${local.https_enabled ? "https" : "http"}://${module.alb.dns_name}"

  # E-mail lists arrive as comma-separated strings because they come from TF_VAR_ environment variables.
  notifier_recipients = [for address in split(",", var.notifier_recipient_emails == null ? "" : var.notifier_recipient_emails) : trimspace(address) if trimspace(address) != ""]
  alarm_emails        = [for address in split(",", var.alarm_emails) : trimspace(address) if trimspace(address) != ""]
}

module "vpc" {
  source = "../modules/vpc"

  name               = local.name_prefix
  region             = var.aws_region
  cidr_block         = var.vpc_cidr
  az_count           = var.az_count
  enable_nat_gateway = var.enable_nat_gateway
}

module "security_groups" {
  source = "../modules/security-groups"

  name                   = local.name_prefix
  vpc_id                 = module.vpc.vpc_id
  public_service_port    = local.services[local.public_service].port
  internal_service_ports = [for name, service in local.services : service.port if !service.public]
}

module "alb" {
  source = "../modules/alb"

  name                = local.name_prefix
  vpc_id              = module.vpc.vpc_id
  public_subnet_ids   = module.vpc.public_subnet_ids
  security_group_id   = module.security_groups.alb_security_group_id
  target_port         = local.services[local.public_service].port
  health_check_path   = "/health"
  https               = local.https_enabled
  certificate_arn     = module.edge.certificate_arn
  deletion_protection = var.deletion_protection
  access_logs_bucket  = var.alb_access_logs_bucket
  blue_green          = local.blue_green
}

# The WAF web ACL in front of the load balancer, and the certificate (with its DNS records) of domain_name.
module "edge" {
  source = "../modules/edge"

  name                   = local.name_prefix
  load_balancer_arn      = module.alb.arn
  load_balancer_dns_name = module.alb.dns_name
  load_balancer_zone_id  = module.alb.zone_id
  enable_waf             = var.enable_waf
  rate_limit             = var.waf_rate_limit
  domain_name            = var.domain_name
  certificate_arn        = var.certificate_arn
  route53_zone_id        = var.route53_zone_id
}

module "cluster" {
  source = "../modules/ecs-cluster"

  name                      = local.name_prefix
  service_connect_namespace = local.name_prefix
  fargate_spot_weight       = var.fargate_spot_weight
}

module "database" {
  source = "../modules/database"

  identifier            = local.name_prefix
  instance_class        = var.db_instance_class
  allocated_storage     = var.db_allocated_storage
  database_name         = var.database_name
  subnet_ids            = module.vpc.private_subnet_ids
  security_group_ids    = [module.security_groups.database_security_group_id]
  multi_az              = var.db_multi_az
  backup_retention_days = var.db_backup_retention_days
  deletion_protection   = var.deletion_protection
}

module "cache" {
  source = "../modules/cache"

  name               = local.name_prefix
  node_type          = var.cache_node_type
  node_count         = var.cache_node_count
  subnet_ids         = module.vpc.private_subnet_ids
  security_group_ids = [module.security_groups.cache_security_group_id]
}

# The generated secrets: terraform/secrets creates them (applied first) and holds their write-only versions, whose
# refresh reads the value; here they are only looked up by name (DescribeSecret), so the plan role, which plans every
# pull request's code, can refresh this root without being able to read a secret value.
data "aws_secretsmanager_secret" "api_tokens" {
  name = "${local.name_prefix}-api-tokens"
}

data "aws_secretsmanager_secret" "database_user" {
  for_each = local.database_users

  name = "${local.name_prefix}-${each.key}-database"
}

resource "aws_service_discovery_private_dns_namespace" "internal" {
  count = local.blue_green ? 1 : 0

  name        = "${local.name_prefix}.internal"
  description = "DNS names of ${local.name_prefix}'s internal services, for the CODE_DEPLOY gateway"
  vpc         = module.vpc.vpc_id
}

module "service" {
  source   = "../modules/ecs-service"
  for_each = local.services

  name_prefix                   = local.name_prefix
  region                        = var.aws_region
  service_name                  = each.key
  cluster_id                    = module.cluster.cluster_id
  cluster_name                  = module.cluster.cluster_name
  container_port                = each.value.port
  cpu                           = var.service_cpu[each.key]
  memory                        = var.service_memory[each.key]
  desired_count                 = var.service_desired_count[each.key]
  min_count                     = var.service_min_count[each.key]
  max_count                     = var.service_max_count[each.key]
  cpu_target_utilization        = var.cpu_target_utilization
  fargate_spot_weight           = var.fargate_spot_weight
  subnet_ids                    = local.tasks_in_public_subnets ? module.vpc.public_subnet_ids : module.vpc.private_subnet_ids
  assign_public_ip              = local.tasks_in_public_subnets
  security_group_ids            = [each.value.public ? module.security_groups.gateway_security_group_id : module.security_groups.services_security_group_id]
  target_group_arns             = each.value.public ? [module.alb.target_group_arn] : []
  service_connect_namespace_arn = module.cluster.service_connect_namespace_arn
  deployment_controller         = local.deployment_controllers[each.key]
  deployment_alarm_names        = local.deployment_controllers[each.key] == "ECS" ? module.monitoring.deployment_alarm_names[each.key] : []
  register_in_dns               = local.blue_green && !each.value.public
  dns_namespace_id              = local.blue_green ? aws_service_discovery_private_dns_namespace.internal[0].id : null
  log_retention_days            = var.log_retention_days
  create_roles                  = !local.use_existing_roles
  secret_arns                   = local.execution_secret_arns[each.key]
  task_secret_arns              = local.task_secret_arns[each.key]
  execution_role_arn            = local.use_existing_roles ? var.execution_role_arn : null
  task_role_arn                 = local.use_existing_roles ? coalesce(var.task_role_arn, var.execution_role_arn) : null
  permissions_boundary_arn      = local.permissions_boundary_arn
  environment_variables         = local.service_environment[each.key]
  secrets                       = local.service_secrets[each.key]
}

module "notifier" {
  source = "../modules/notifier"

  name_prefix        = local.name_prefix
  region             = var.aws_region
  environment        = var.environment
  artifact_path      = var.notifier_artifact_path
  sender_email       = var.notifier_sender_email
  recipient_emails   = local.notifier_recipients
  alarm_emails       = local.alarm_emails
  email_transport    = var.notifier_email_transport
  smtp_secret_arn    = var.notifier_smtp_secret_arn
  hmac_secret_arn    = var.notifier_hmac_secret_arn
  role_arn           = var.notifier_role_arn
  cluster_arn        = module.cluster.cluster_arn
  log_retention_days = var.log_retention_days

  deployment_config_name = var.notifier_deployment_config
  codedeploy_role_arn    = var.codedeploy_role_arn

  permissions_boundary_arn = local.permissions_boundary_arn
}

module "monitoring" {
  source = "../modules/monitoring"

  name         = local.name_prefix
  region       = var.aws_region
  cluster_name = module.cluster.cluster_name
  # The services' names, not their resources: their deployment alarms come from this module.
  service_names           = { for name in keys(local.services) : name => name }
  gateway_service_key     = local.public_service
  alb_arn_suffix          = module.alb.arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  lambda_function_name    = module.notifier.function_name
  alarm_topic_arn         = module.notifier.alarm_topic_arn
}

# The gateway's canary when the environment deploys it blue/green: CodeDeploy moves the production listener from the
# blue to the green target group (10 % first), and rolls back when the gateway's deployment alarms go off.
module "gateway_codedeploy" {
  source = "../modules/ecs-codedeploy"
  count  = local.blue_green ? 1 : 0

  name                    = "${local.name_prefix}-${local.public_service}"
  cluster_name            = module.cluster.cluster_name
  service_name            = module.service[local.public_service].service_name
  production_listener_arn = module.alb.listener_arn
  test_listener_arn       = module.alb.blue_green.test_listener_arn
  blue_target_group_name  = module.alb.target_group_name
  green_target_group_name = module.alb.blue_green.green_target_group_name
  deployment_config_name  = var.gateway_deployment_config
  alarm_names             = module.monitoring.deployment_alarm_names[local.public_service]
  role_arn                = var.codedeploy_role_arn

  permissions_boundary_arn = local.permissions_boundary_arn
}
