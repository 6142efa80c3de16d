module "roles" {
  source = "../ecs-task-roles"
  count  = var.create_roles ? 1 : 0

  name_prefix              = "${var.name_prefix}-${var.service_name}"
  secret_arns              = var.secret_arns
  task_secret_arns         = var.task_secret_arns
  permissions_boundary_arn = var.permissions_boundary_arn
}

locals {
  family             = "${var.name_prefix}-${var.service_name}"
  port_name          = coalesce(var.port_name, var.service_name)
  execution_role_arn = var.create_roles ? module.roles[0].execution_role_arn : var.execution_role_arn
  task_role_arn      = var.create_roles ? module.roles[0].task_role_arn : var.task_role_arn

  # busybox httpd answers /health with 200 so the placeholder passes load balancer checks.
  bootstrap_command = "mkdir -p /www && echo ok > /www/health && exec httpd -f -p ${var.container_port} -h /www"

  # CodeDeploy blue/green replaces ECS's own deployments: no circuit breaker, no deployment alarms (the deployment
  # group has its own), and no Service Connect, which only the ECS controller supports.
  ecs_controlled = var.deployment_controller == "ECS"
}

# A DNS name in a Cloud Map private DNS namespace, for callers that cannot use Service Connect (a service on the
# CODE_DEPLOY controller): <service>.<namespace> answers with the IPs of the running tasks.
resource "aws_service_discovery_service" "dns" {
  count = var.register_in_dns ? 1 : 0

  name = var.service_name

  dns_config {
    namespace_id   = var.dns_namespace_id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = 10
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name_prefix}/${var.service_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_task_definition" "bootstrap" {
  family                   = local.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = local.execution_role_arn
  task_role_arn            = local.task_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = var.service_name
      image     = var.bootstrap_image
      essential = true
      command   = ["sh", "-c", local.bootstrap_command]
      portMappings = [
        {
          name          = local.port_name
          containerPort = var.container_port
          protocol      = "tcp"
          appProtocol   = "http"
        },
      ]
      environment = [for name, value in var.environment_variables : { name = name, value = value }]
      secrets     = [for name, value_from in var.secrets : { name = name, valueFrom = value_from }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = var.region
          awslogs-stream-prefix = var.service_name
        }
      }
    },
  ])
}

resource "aws_ecs_service" "this" {
  name                              = var.service_name
  cluster                           = var.cluster_id
  task_definition                   = aws_ecs_task_definition.bootstrap.arn
  desired_count                     = var.desired_count
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true
  health_check_grace_period_seconds = length(var.target_group_arns) > 0 ? var.health_check_grace_period_seconds : null

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
    weight            = 1
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.fargate_spot_weight > 0 ? [var.fargate_spot_weight] : []

    content {
      capacity_provider = "FARGATE_SPOT"
      weight            = capacity_provider_strategy.value
    }
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = var.assign_public_ip
  }

  deployment_controller {
    type = var.deployment_controller
  }

  dynamic "deployment_circuit_breaker" {
    for_each = local.ecs_controlled ? [true] : []

    content {
      enable   = true
      rollback = true
    }
  }

  # The service's own health alarms stop a rolling deployment that makes them fire, and roll it back.
  dynamic "alarms" {
    for_each = local.ecs_controlled && length(var.deployment_alarm_names) > 0 ? [var.deployment_alarm_names] : []

    content {
      alarm_names = alarms.value
      enable      = true
      rollback    = var.deployment_alarm_rollback
    }
  }

  dynamic "load_balancer" {
    for_each = var.target_group_arns

    content {
      target_group_arn = load_balancer.value
      container_name   = var.service_name
      container_port   = var.container_port
    }
  }

  dynamic "service_connect_configuration" {
    for_each = local.ecs_controlled ? [var.service_connect_namespace_arn] : []

    content {
      enabled   = true
      namespace = service_connect_configuration.value

      service {
        port_name      = local.port_name
        discovery_name = var.service_name

        client_alias {
          port     = var.container_port
          dns_name = var.service_name
        }
      }
    }
  }

  dynamic "service_registries" {
    for_each = aws_service_discovery_service.dns

    content {
      registry_arn = service_registries.value.arn
    }
  }

  lifecycle {
    # The deploy pipeline registers task definitions and autoscaling moves the count. CodeDeploy moves a blue/green
    # service between its two target groups, which Terraform must not move back.
    ignore_changes = [task_definition, desired_count, load_balancer]
  }
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  min_capacity       = var.min_count
  max_capacity       = var.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.family}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_utilization
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
