# Every validation of the platform's variables rejects a bad value (run with -var-file=../environments/dev.tfvars).
# A validation that reads another variable is skipped while that variable is invalid, so those get runs of their own.
# npm test runs this file against platform's variables.tf alone (checks/terraform VARIABLE_TESTS), so it may test
# nothing but variable validation.

mock_provider "aws" {
  source = "../modules/tests/mocks"
}

variables {
  notifier_sender_email     = "deploys@example.com"
  notifier_recipient_emails = "team@example.com"
  notifier_artifact_path    = "../modules/tests/fixtures/deploy-notifier.zip"
}

run "rejects_malformed_and_missing_values" {
  command = plan

  variables {
    project                   = "Berth!"
    environment               = "qa"
    aws_region                = "useast"
    service_cpu               = { "api-gateway" = 256 }
    service_desired_count     = { "api-gateway" = 1 }
    service_min_count         = { "api-gateway" = 1 }
    log_retention_days        = 2
    notifier_sender_email     = null
    notifier_recipient_emails = null
    notifier_email_transport  = "smtp"
    execution_role_arn        = "LabRole"
    notifier_role_arn         = "LabRole"

    gateway_deployment_controller = "BLUE_GREEN"
    codedeploy_role_arn           = "LabRole"
  }

  expect_failures = [
    var.project, var.environment, var.aws_region, var.service_cpu, var.service_desired_count, var.service_min_count,
    var.log_retention_days, var.notifier_sender_email, var.notifier_recipient_emails, var.notifier_smtp_secret_arn,
    var.execution_role_arn, var.notifier_role_arn, var.gateway_deployment_controller, var.codedeploy_role_arn,
  ]
}

run "rejects_values_checked_against_other_variables" {
  command = plan

  variables {
    service_cpu              = { "api-gateway" = 300, "product-service" = 256, "inventory-service" = 256 }
    service_max_count        = { "api-gateway" = 0, "product-service" = 2, "inventory-service" = 2 }
    notifier_email_transport = "sendmail"
    execution_role_arn       = "arn:aws:iam::111122223333:role/LabRole"
    task_role_arn            = "LabRole"
  }

  expect_failures = [var.service_cpu, var.service_max_count, var.notifier_email_transport, var.task_role_arn]
}

run "rejects_missing_memory_and_a_lone_task_role" {
  command = plan

  variables {
    service_memory = { "api-gateway" = 512 }
    task_role_arn  = "arn:aws:iam::111122223333:role/LabRole"
  }

  expect_failures = [var.service_memory, var.task_role_arn]
}

run "rejects_memory_outside_the_fargate_pairing" {
  command = plan

  variables {
    service_memory = { "api-gateway" = 512, "product-service" = 4096, "inventory-service" = 512 }
  }

  expect_failures = [var.service_memory]
}

run "rejects_malformed_edge_and_access_values" {
  command = plan

  variables {
    domain_name     = "https://api.berth.example.com/"
    certificate_arn = "arn:aws:iam::111122223333:server-certificate/berth"
    waf_rate_limit  = 5
    cors_origins    = ["https://shop.example.com", "https://shop.example.com/"]
  }

  expect_failures = [var.domain_name, var.certificate_arn, var.waf_rate_limit, var.cors_origins]
}

run "rejects_a_malformed_zone_id" {
  command = plan

  variables {
    domain_name     = "api.berth.example.com"
    route53_zone_id = "berth.example.com"
  }

  expect_failures = [var.route53_zone_id]
}

run "rejects_a_zone_without_a_domain" {
  command = plan

  variables {
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.route53_zone_id]
}
