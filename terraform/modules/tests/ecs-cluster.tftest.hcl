# The ECS cluster: Container Insights, Fargate capacity providers and the Service Connect namespace.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                      = "berth-dev"
  service_connect_namespace = "berth-dev"
}

run "cluster" {
  command = plan

  module {
    source = "./ecs-cluster"
  }

  assert {
    condition     = aws_ecs_cluster.this.setting == toset([{ name = "containerInsights", value = "enabled" }])
    error_message = "Container Insights is on."
  }

  assert {
    condition     = aws_ecs_cluster_capacity_providers.this.capacity_providers == toset(["FARGATE", "FARGATE_SPOT"]) && length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 1
    error_message = "Without a spot weight every task stays on regular Fargate."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./ecs-cluster"
  }

  variables {
    container_insights  = "disabled"
    fargate_base        = -1
    fargate_spot_weight = 1001
  }

  expect_failures = [var.container_insights, var.fargate_base, var.fargate_spot_weight]
}
