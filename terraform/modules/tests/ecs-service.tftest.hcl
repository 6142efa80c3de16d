# One Fargate service: rollback on failed deployments (circuit breaker, deployment alarms, or CodeDeploy for a
# blue/green service), where its tasks run, and the bootstrap task definition.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  name_prefix                   = "berth-dev"
  region                        = "us-east-1"
  service_name                  = "api-gateway"
  cluster_id                    = "arn:aws:ecs:us-east-1:111122223333:cluster/berth-dev"
  cluster_name                  = "berth-dev"
  container_port                = 8000
  cpu                           = 256
  memory                        = 512
  desired_count                 = 1
  min_count                     = 1
  max_count                     = 2
  subnet_ids                    = ["subnet-0public-a", "subnet-0public-b"]
  security_group_ids            = ["sg-0services"]
  service_connect_namespace_arn = "arn:aws:servicediscovery:us-east-1:111122223333:namespace/ns-mock"
  log_retention_days            = 7
  create_roles                  = false
  execution_role_arn            = "arn:aws:iam::111122223333:role/LabRole"
  task_role_arn                 = "arn:aws:iam::111122223333:role/LabRole"
}

run "service" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    assign_public_ip = true
  }

  assert {
    condition     = aws_ecs_service.this.deployment_circuit_breaker[0].enable && aws_ecs_service.this.deployment_circuit_breaker[0].rollback
    error_message = "Failed deployments roll back (circuit breaker with rollback)."
  }

  assert {
    condition = (
      aws_ecs_service.this.network_configuration[0].assign_public_ip &&
      aws_ecs_service.this.network_configuration[0].subnets == toset(["subnet-0public-a", "subnet-0public-b"]) &&
      output.network_configuration.assign_public_ip
    )
    error_message = "Tasks run in the given subnets and get a public IP when asked to."
  }

  assert {
    condition     = length(module.roles) == 0 && aws_ecs_task_definition.bootstrap.execution_role_arn == "arn:aws:iam::111122223333:role/LabRole"
    error_message = "With create_roles = false the given roles are used and none is created."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].logConfiguration.options["awslogs-region"] == "us-east-1" &&
      jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].portMappings[0].name == "api-gateway" &&
      aws_ecs_task_definition.bootstrap.family == "berth-dev-api-gateway"
    )
    error_message = "The bootstrap task definition logs to the region given and names its port after the service (Service Connect)."
  }

  assert {
    condition     = aws_appautoscaling_target.this.min_capacity == 1 && aws_appautoscaling_target.this.max_capacity == 2
    error_message = "Autoscaling runs between min_count and max_count."
  }
}

run "private_by_default" {
  command = plan

  module {
    source = "./ecs-service"
  }

  assert {
    condition     = !aws_ecs_service.this.network_configuration[0].assign_public_ip
    error_message = "Tasks get no public IP unless asked to."
  }
}

run "deployment_alarms_stop_and_roll_back" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    deployment_alarm_names = ["berth-dev-api-gateway-5xx", "berth-dev-api-gateway-response-time"]
  }

  assert {
    condition = (
      aws_ecs_service.this.deployment_controller[0].type == "ECS" &&
      aws_ecs_service.this.alarms[0].enable && aws_ecs_service.this.alarms[0].rollback &&
      aws_ecs_service.this.alarms[0].alarm_names == toset(["berth-dev-api-gateway-5xx", "berth-dev-api-gateway-response-time"]) &&
      output.deployment_alarm_names == tolist(["berth-dev-api-gateway-5xx", "berth-dev-api-gateway-response-time"])
    )
    error_message = "A rolling service's deployment alarms are enabled with rollback."
  }

  assert {
    condition     = length(aws_ecs_service.this.service_connect_configuration) == 1 && length(aws_ecs_service.this.service_registries) == 0
    error_message = "A rolling service uses Service Connect and registers no DNS name unless asked to."
  }
}

run "no_alarms_block_without_alarms" {
  command = plan

  module {
    source = "./ecs-service"
  }

  assert {
    condition     = length(aws_ecs_service.this.alarms) == 0
    error_message = "Without deployment_alarm_names the service has no alarms block."
  }
}

run "blue_green_through_codedeploy" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    deployment_controller = "CODE_DEPLOY"
    target_group_arns     = ["arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/berth-dev-gateway/0123456789abcdef"]
  }

  assert {
    condition = (
      aws_ecs_service.this.deployment_controller[0].type == "CODE_DEPLOY" &&
      length(aws_ecs_service.this.deployment_circuit_breaker) == 0 &&
      length(aws_ecs_service.this.alarms) == 0 &&
      length(aws_ecs_service.this.service_connect_configuration) == 0 &&
      output.deployment_controller == "CODE_DEPLOY"
    )
    error_message = "A CODE_DEPLOY service leaves failure detection to its deployment group and has no Service Connect (ECS controller only)."
  }
}

run "registers_a_dns_name_for_callers_without_service_connect" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    service_name     = "product-service"
    container_port   = 8001
    register_in_dns  = true
    dns_namespace_id = "ns-0internal"
  }

  assert {
    condition = (
      aws_service_discovery_service.dns[0].name == "product-service" &&
      aws_service_discovery_service.dns[0].dns_config[0].namespace_id == "ns-0internal" &&
      aws_service_discovery_service.dns[0].dns_config[0].dns_records[0].type == "A" &&
      length(aws_ecs_service.this.service_registries) == 1 &&
      length(aws_ecs_service.this.service_connect_configuration) == 1 &&
      output.dns_name == "product-service"
    )
    error_message = "The service keeps Service Connect and also answers as product-service.<namespace> (A records of its tasks)."
  }
}

run "rejects_codedeploy_without_a_target_group" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    deployment_controller = "CODE_DEPLOY"
  }

  expect_failures = [var.deployment_controller]
}

run "rejects_alarms_on_codedeploy_and_dns_without_a_namespace" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    deployment_controller  = "CODE_DEPLOY"
    target_group_arns      = ["arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/berth-dev-gateway/0123456789abcdef"]
    deployment_alarm_names = ["berth-dev-api-gateway-5xx"]
    register_in_dns        = true
  }

  expect_failures = [var.deployment_alarm_names, var.dns_namespace_id]
}

run "rejects_more_than_ten_alarms" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    deployment_alarm_names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]
  }

  expect_failures = [var.deployment_alarm_names]
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./ecs-service"
  }

  variables {
    service_name           = "API"
    region                 = "east"
    container_port         = 70000
    cpu                    = 300
    desired_count          = -1
    min_count              = -1
    max_count              = 0
    cpu_target_utilization = 95
    log_retention_days     = 2
    fargate_spot_weight    = -1
    deployment_controller  = "EXTERNAL"
  }

  expect_failures = [
    var.service_name, var.region, var.container_port, var.cpu, var.desired_count, var.min_count, var.max_count,
    var.cpu_target_utilization, var.log_retention_days, var.fargate_spot_weight, var.deployment_controller,
  ]
}
