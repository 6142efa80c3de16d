# The environment's generated secrets, as terraform-apply.yml applies them before the platform: every secret with its
# write-only first value, or, for a secret adopted from the platform root, the secret alone (its value stays).

# Mocked values are made at apply (the runs apply, to see what is written), not while planning.
mock_provider "aws" {
  source = "../modules/tests/mocks"
}

variables {
  project             = "berth"
  environment         = "dev"
  aws_region          = "us-east-1"
  deletion_protection = false
}

run "new_environment_writes_every_first_value" {
  command = apply

  assert {
    condition = (
      output.api_tokens_secret_name == "berth-dev-api-tokens" &&
      jsonencode(output.database_user_secret_names) == jsonencode({
        "inventory-service" = "berth-dev-inventory-service-database"
        "product-service"   = "berth-dev-product-service-database"
      })
    )
    error_message = "The secrets have the names terraform/platform looks up: <project>-<env>-api-tokens and <project>-<env>-<service>-database."
  }

  assert {
    condition = (
      module.api_tokens.initial_version_id != null &&
      alltrue([for secret in module.database_user_secret : secret.initial_version_id != null]) &&
      module.database_user_secret["product-service"].username == "product_service" &&
      local.recovery_window_days == 0
    )
    error_message = "A new environment's secrets each get their generated first value; without deletion protection a deleted secret goes at once."
  }
}

run "adopted_secrets_keep_their_values" {
  command = apply

  variables {
    environment          = "prod"
    deletion_protection  = true
    adopted_secret_names = ["berth-prod-api-tokens", "berth-prod-product-service-database"]
  }

  assert {
    condition = (
      module.api_tokens.initial_version_id == null &&
      module.database_user_secret["product-service"].initial_version_id == null &&
      module.database_user_secret["inventory-service"].initial_version_id != null
    )
    error_message = "An adopted secret gets no version from Terraform (its value stays); a secret not adopted still gets its first value."
  }

  assert {
    condition     = local.recovery_window_days == 30
    error_message = "With deletion protection a deleted secret stays recoverable for 30 days."
  }
}

run "adopts_only_its_own_environments_secrets" {
  command = plan

  variables {
    adopted_secret_names = ["berth-prod-api-tokens"]
  }

  expect_failures = [var.adopted_secret_names]
}
