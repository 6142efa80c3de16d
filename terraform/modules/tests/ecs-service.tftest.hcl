# One Fargate service: rollback on failed deployments, where its tasks run, and the bootstrap task definition.

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
  }

  expect_failures = [
    var.service_name, var.region, var.container_port, var.cpu, var.desired_count, var.min_count, var.max_count,
    var.cpu_target_utilization, var.log_retention_days, var.fargate_spot_weight,
  ]
}
