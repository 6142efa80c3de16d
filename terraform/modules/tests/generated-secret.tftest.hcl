# A secret whose first value Terraform generates and writes without keeping it: JSON credentials or a bare token.

# Mocked values are made at apply (the runs apply, to see the generated value), not while planning.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name        = "berth-dev-product-service-database"
  description = "Database user of product-service"
  region      = "us-east-1"
}

run "credentials_for_a_database_user" {
  command = apply

  module {
    source = "./generated-secret"
  }

  variables {
    username = "product_service"
  }

  assert {
    condition = (
      jsondecode(local.value).username == "product_service" &&
      can(regex("^[0-9a-f]{64}$", jsondecode(local.value).password)) &&
      length(keys(jsondecode(local.value))) == 2
    )
    error_message = "With a username the value is {\"username\", \"password\"} with 64 hex digits of password."
  }

  assert {
    condition = (
      aws_secretsmanager_secret_version.initial[0].secret_string == null &&
      aws_secretsmanager_secret_version.initial[0].secret_string_wo == null &&
      aws_secretsmanager_secret_version.initial[0].secret_string_wo_version == 1
    )
    error_message = "The value is written once through the write-only argument and kept in no state."
  }

  assert {
    condition     = toset(aws_secretsmanager_secret_version.initial[0].version_stages) == toset(["AWSCURRENT", "terraform-initial"])
    error_message = "The first version is current and keeps a label of its own, so Secrets Manager never deletes it."
  }

  assert {
    condition = (
      aws_secretsmanager_secret.this.name == "berth-dev-product-service-database" &&
      aws_secretsmanager_secret.this.recovery_window_in_days == 7 &&
      output.arn_pattern == "arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-dev-product-service-database-??????"
    )
    error_message = "The secret is named as given, recoverable for 7 days, and arn_pattern matches it alone."
  }
}

run "bare_token" {
  command = apply

  module {
    source = "./generated-secret"
  }

  variables {
    name                 = "berth-dev-api-tokens"
    description          = "Write tokens of api-gateway"
    recovery_window_days = 0
  }

  assert {
    condition     = can(regex("^[0-9a-f]{64}$", local.value))
    error_message = "Without a username the value is the 64 hex digits alone (a valid API_TOKENS list of one)."
  }

  assert {
    condition     = aws_secretsmanager_secret.this.recovery_window_in_days == 0
    error_message = "recovery_window_days = 0 deletes the secret at once on destroy."
  }
}

run "existing_secret_gets_no_value" {
  command = apply

  module {
    source = "./generated-secret"
  }

  variables {
    write_initial_value = false
  }

  assert {
    condition     = length(aws_secretsmanager_secret_version.initial) == 0 && aws_secretsmanager_secret.this.name == var.name
    error_message = "A secret adopted with its value (write_initial_value = false) is managed without any version: its value is never replaced."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./generated-secret"
  }

  variables {
    name                 = "berth dev tokens"
    username             = "Product-Service"
    region               = "us-east"
    recovery_window_days = 3
  }

  expect_failures = [var.name, var.username, var.region, var.recovery_window_days]
}
