locals {
  name_prefix = "${var.project}-${var.environment}"

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

  use_existing_roles = var.execution_role_arn != null

  # Tasks must reach ECR and the bootstrap image on public.ecr.aws: behind the NAT gateway from the private
  # subnets, or, without NAT, from the public subnets with public IPs (docs/infrastructure.md, "Egress and its cost").
  tasks_in_public_subnets = !var.enable_nat_gateway

  database_secret_arn = module.database.master_user_secret_arn

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
  certificate_arn     = var.certificate_arn
  deletion_protection = var.deletion_protection
  access_logs_bucket  = var.alb_access_logs_bucket
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

# One execution role and one task role for the environment, unless the account supplies its own.
module "task_roles" {
  source = "../modules/ecs-task-roles"
  count  = local.use_existing_roles ? 0 : 1

  name_prefix = local.name_prefix
  secret_arns = [local.database_secret_arn]
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
  security_group_ids            = [module.security_groups.services_security_group_id]
  target_group_arns             = each.value.public ? [module.alb.target_group_arn] : []
  service_connect_namespace_arn = module.cluster.service_connect_namespace_arn
  log_retention_days            = var.log_retention_days
  create_roles                  = false
  execution_role_arn            = local.use_existing_roles ? var.execution_role_arn : module.task_roles[0].execution_role_arn
  task_role_arn                 = local.use_existing_roles ? coalesce(var.task_role_arn, var.execution_role_arn) : module.task_roles[0].task_role_arn

  # Same names as services/<name>/task-definition.json, so the bootstrap task already carries the real wiring.
  environment_variables = {
    PORT       = tostring(each.value.port)
    PGHOST     = module.database.address
    PGPORT     = tostring(module.database.port)
    PGDATABASE = module.database.database_name
    REDIS_URL  = "rediss://${module.cache.primary_endpoint_address}:${module.cache.port}"
  }
  secrets = {
    PGUSER     = "${local.database_secret_arn}:username::"
    PGPASSWORD = "${local.database_secret_arn}:password::"
  }
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
}

module "monitoring" {
  source = "../modules/monitoring"

  name                    = local.name_prefix
  region                  = var.aws_region
  cluster_name            = module.cluster.cluster_name
  service_names           = { for name, service in module.service : name => service.service_name }
  alb_arn_suffix          = module.alb.arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  lambda_function_name    = module.notifier.function_name
  alarm_topic_arn         = module.notifier.alarm_topic_arn
}
