# The environment's generated secrets, apart from terraform/platform: refreshing an aws_secretsmanager_secret_version
# calls GetSecretValue, which the plan role (that plans every pull request's code) must never be allowed. Only the
# terraform role applies this root, before the platform, which finds these secrets by name (DescribeSecret only).

locals {
  name_prefix = "${var.project}-${var.environment}"

  tags = {
    Project     = var.project
    Environment = var.environment
    ManagedBy   = "terraform"
  }

  # The platform's internal services (its local.services without the public gateway): each has a database user.
  database_users = { for name in ["product-service", "inventory-service"] : name => replace(name, "-", "_") }

  api_tokens_name     = "${local.name_prefix}-api-tokens"
  database_user_names = { for name, user in local.database_users : name => "${local.name_prefix}-${name}-database" }

  recovery_window_days = var.deletion_protection ? 30 : 0
}

# Write tokens of the gateway, injected as API_TOKENS. Terraform generates the first one and never holds it; operators
# read and rotate them in Secrets Manager (docs/runbook.md, "API tokens").
module "api_tokens" {
  source = "../modules/generated-secret"

  name                 = local.api_tokens_name
  description          = "Comma-separated bearer tokens api-gateway accepts for writes (API_TOKENS)"
  region               = var.aws_region
  recovery_window_days = local.recovery_window_days
  write_initial_value  = !contains(var.adopted_secret_names, local.api_tokens_name)
}

# Each internal service's database user and password; its service creates the user (as the owner) with this password.
module "database_user_secret" {
  source   = "../modules/generated-secret"
  for_each = local.database_users

  name                 = local.database_user_names[each.key]
  description          = "Database user of ${each.key} ({\"username\", \"password\"}, DB_SECRET_ARN)"
  username             = each.value
  region               = var.aws_region
  recovery_window_days = local.recovery_window_days
  write_initial_value  = !contains(var.adopted_secret_names, local.database_user_names[each.key])
}

# Secrets the platform root created before this root existed (docs/runbook.md, "Generated secrets move to
# terraform/secrets"): imported by name with the value they hold. No version is imported: the provider would plan to
# replace an imported version (writing a new value over the one the services use) and its import reads the value into
# the state.
import {
  for_each = contains(var.adopted_secret_names, local.api_tokens_name) ? toset([local.api_tokens_name]) : toset([])
  to       = module.api_tokens.aws_secretsmanager_secret.this
  id       = each.value
}

import {
  for_each = { for name, secret in local.database_user_names : name => secret if contains(var.adopted_secret_names, secret) }
  to       = module.database_user_secret[each.key].aws_secretsmanager_secret.this
  id       = each.value
}
