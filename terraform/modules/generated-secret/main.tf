data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # 256 random bits as 64 hex digits. uuid() draws 128 bits from the operating system's CSPRNG each time; it is a
  # built-in function, so no provider is needed and the mocked test suites can evaluate it (they cannot open
  # ephemeral resources such as aws_secretsmanager_random_password).
  generated = replace("${uuid()}${uuid()}", "-", "")
  value     = var.username == null ? local.generated : jsonencode({ username = var.username, password = local.generated })

  initial_label = "terraform-initial"
}

resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  description             = var.description
  recovery_window_in_days = var.recovery_window_days
}

# The first value, written once through a write-only argument: it appears in no plan and no state, and Terraform
# never writes it again, so a value an operator puts later (put-secret-value) stays until the operator changes it.
# Its refresh still calls GetSecretValue (keeping nothing of the answer): only roles that may read the value can
# refresh this resource, which is why it lives in terraform/secrets and not in the platform a pull request plans.
# The extra staging label keeps this version from becoming "deprecated" (label-less) once later values replace it:
# Secrets Manager may delete such versions, and the provider would then plan to write a new generated value.
# A secret that already holds a value (adopted with an import) gets none: an imported version cannot keep a write-only
# value (the provider plans to replace it, writing a new one), and its refresh would put the value in the state.
resource "aws_secretsmanager_secret_version" "initial" {
  count = var.write_initial_value ? 1 : 0

  secret_id                = aws_secretsmanager_secret.this.id
  secret_string_wo         = local.value
  secret_string_wo_version = 1
  version_stages           = ["AWSCURRENT", local.initial_label]

  # AWSCURRENT moves to each value put later; following it back would undo the operator's change.
  lifecycle {
    ignore_changes = [version_stages]
  }
}
