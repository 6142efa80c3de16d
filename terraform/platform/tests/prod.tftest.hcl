# prod, run with ../environments/prod.tfvars (see contract.tftest.hcl).

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

run "prod" {
  command = plan

  assert {
    condition     = var.environment == "prod"
    error_message = "Run this file with -var-file=../environments/prod.tfvars."
  }

  assert {
    condition = (
      module.database.protection.deletion_protection &&
      module.database.protection.final_snapshot_identifier == "berth-prod-final" &&
      module.alb.deletion_protection
    )
    error_message = "prod protects the database and the load balancer from deletion and keeps a final snapshot."
  }

  assert {
    condition     = module.database.protection.backup_retention_days == 14 && module.database.protection.multi_az
    error_message = "prod keeps 14 days of backups and a standby in a second zone."
  }

  assert {
    condition = (
      length(module.vpc.nat_gateway_ids) == 1 &&
      !output.task_network.assign_public_ip &&
      toset(output.task_network.subnet_ids) == toset(output.private_subnet_ids) &&
      length(output.private_subnet_ids) == 3
    )
    error_message = "prod tasks run in three private subnets behind the NAT gateway, without public IPs."
  }
}
