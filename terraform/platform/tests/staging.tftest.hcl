# staging, run with ../environments/staging.tfvars (see contract.tftest.hcl).

mock_provider "aws" {
  override_during = plan
  source          = "../modules/tests/mocks"
}

variables {
  notifier_sender_email     = "deploys@example.com"
  notifier_recipient_emails = "team@example.com"
  notifier_artifact_path    = "../modules/tests/fixtures/deploy-notifier.zip"
}

# Distinct mocked subnet IDs per tier, known while planning.
override_resource {
  target          = module.vpc.aws_subnet.public
  override_during = plan
  values          = { id = "subnet-0public" }
}

override_resource {
  target          = module.vpc.aws_subnet.private
  override_during = plan
  values          = { id = "subnet-0private" }
}

run "staging" {
  command = plan

  assert {
    condition     = var.environment == "staging"
    error_message = "Run this file with -var-file=../environments/staging.tfvars."
  }

  assert {
    condition = (
      length(module.vpc.nat_gateway_ids) == 1 &&
      !output.task_network.assign_public_ip &&
      toset(output.task_network.subnet_ids) == toset(output.private_subnet_ids)
    )
    error_message = "staging tasks run in the private subnets behind the NAT gateway, without public IPs."
  }

  assert {
    condition = (
      !module.database.protection.deletion_protection &&
      !module.alb.deletion_protection &&
      module.database.protection.backup_retention_days == 7
    )
    error_message = "staging keeps a week of backups and stays destroyable."
  }

  # Staging rolls every service.

  assert {
    condition = (
      jsonencode(values(output.deployment_controllers)) == jsonencode(["ECS", "ECS", "ECS"]) &&
      length(output.ecs_codedeploy) == 0 && length(module.gateway_codedeploy) == 0 &&
      module.alb.blue_green == null && length(aws_service_discovery_private_dns_namespace.internal) == 0
    )
    error_message = "staging deploys every service rolling: no CodeDeploy group, green target group or DNS namespace."
  }

  assert {
    condition     = jsonencode(output.service_urls) == jsonencode({ "product-service" = "http://product-service:8001", "inventory-service" = "http://inventory-service:8002" })
    error_message = "The gateway calls the other services by their Service Connect names."
  }
}
