# terraform/secrets for dev: the same project, environment, region and deletion_protection as dev.tfvars, so the
# secrets get the names terraform/platform looks up (checks/terraform/test/secrets-root.test.ts compares them).
project             = "berth"
environment         = "dev"
aws_region          = "us-east-1"
deletion_protection = false

# An environment applied before the generated secrets moved out of terraform/platform lists them here, so they are
# imported with their values (docs/runbook.md, "Generated secrets move to terraform/secrets"). Empty: created anew.
adopted_secret_names = []
