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

  # Prod releases the gateway as a canary.

  assert {
    condition = jsonencode(output.ecs_codedeploy) == jsonencode({
      "api-gateway" = {
        application       = "berth-prod-api-gateway"
        deployment_group  = "berth-prod-api-gateway"
        deployment_config = "CodeDeployDefault.ECSCanary10Percent5Minutes"
      }
    })
    error_message = "prod's gateway is deployed through CodeDeploy as a 10 % canary; ecs_codedeploy names its application and group."
  }

  assert {
    condition = (
      module.service["api-gateway"].deployment_controller == "CODE_DEPLOY" &&
      length(module.service["api-gateway"].deployment_alarm_names) == 0 &&
      jsonencode(module.gateway_codedeploy[0].alarm_names) == jsonencode(["berth-prod-api-gateway-5xx", "berth-prod-api-gateway-response-time"])
    )
    error_message = "The gateway's alarms stop its canary in the CodeDeploy group (ECS takes no alarms for a CODE_DEPLOY service)."
  }

  assert {
    condition = (
      module.alb.blue_green.green_target_group_name == "berth-prod-green" &&
      module.alb.blue_green.test_listener_port == 9000 &&
      module.alb.target_group_name == "berth-prod-gateway"
    )
    error_message = "Blue/green needs the second target group and the test listener."
  }

  assert {
    condition = (
      aws_service_discovery_private_dns_namespace.internal[0].name == "berth-prod.internal" &&
      module.service["product-service"].dns_name == "product-service" &&
      module.service["inventory-service"].dns_name == "inventory-service" &&
      module.service["api-gateway"].dns_name == null &&
      jsonencode(output.service_urls) == jsonencode({
        "product-service"   = "http://product-service.berth-prod.internal:8001"
        "inventory-service" = "http://inventory-service.berth-prod.internal:8002"
      })
    )
    error_message = "Without Service Connect the gateway reaches the other services by DNS names in berth-prod.internal."
  }
}

run "prod_serves_https_on_its_domain" {
  command = plan

  override_resource {
    target          = module.edge.aws_acm_certificate.this
    override_during = plan
    values = {
      arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
      domain_validation_options = [{
        domain_name           = "api.berth.example.com"
        resource_record_name  = "_0123456789abcdef.api.berth.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_fedcba9876543210.acm-validations.aws."
      }]
    }
  }

  assert {
    condition     = var.domain_name == "api.berth.example.com" && output.public_url == "https://api.berth.example.com"
    error_message = "prod's tfvars give its domain, where the API answers over HTTPS."
  }

  assert {
    condition = (
      module.edge.https_enabled && local.https_enabled &&
      module.edge.certificate_arn == "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
    )
    error_message = "prod requests an ACM certificate for its domain and the load balancer serves HTTPS with it (HTTP redirects)."
  }

  assert {
    condition = jsonencode(output.certificate_validation_records) == jsonencode([{
      name = "_0123456789abcdef.api.berth.example.com.", type = "CNAME", value = "_fedcba9876543210.acm-validations.aws."
    }])
    error_message = "Without a Route 53 zone, certificate_validation_records gives the CNAME to create where the domain is hosted."
  }
}
