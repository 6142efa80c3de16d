# The shared layer: state bucket, one ECR repository per service, the GitHub OIDC provider, the build role and
# every environment's deploy, terraform and plan roles. terraform.tfvars (aws_region) is loaded as for a real apply; the
# workflows pass github_repository and environment_sender_emails. What the roles allow is proven on a real-provider plan (tools/iam).

mock_provider "aws" {
  override_during = plan
  source          = "../modules/tests/mocks"
}

variables {
  github_repository         = "acme/berth"
  environment_sender_emails = { dev = "deploys-dev@example.com", staging = "deploys-staging@example.com", prod = "deploys-prod@example.com" }
}

run "outputs_the_workflows_and_the_bootstrap_read" {
  command = plan

  assert {
    condition     = output.state_bucket == "berth-terraform-state" && output.aws_region == "us-east-1"
    error_message = "The state bucket is <project>-terraform-state, in the region of terraform.tfvars."
  }

  assert {
    condition     = keys(output.ecr_repository_urls) == ["api-gateway", "inventory-service", "product-service"] && alltrue([for url in values(output.ecr_repository_urls) : length(url) > 0])
    error_message = "ecr_repository_urls maps each service to its repository URL (read by ecr-secret-sync and npm run bootstrap)."
  }

  assert {
    condition     = output.build_role_arn == "arn:aws:iam::111122223333:role/berth-github-build"
    error_message = "build_role_arn is the build role (the repository variable AWS_BUILD_ROLE_ARN)."
  }

  assert {
    condition = output.environment_role_arns == {
      for environment in ["dev", "staging", "prod"] : environment => {
        deploy    = "arn:aws:iam::111122223333:role/berth-github-${environment}-deploy"
        terraform = "arn:aws:iam::111122223333:role/berth-github-${environment}-terraform"
        plan      = "arn:aws:iam::111122223333:role/berth-github-${environment}-plan"
      }
    }
    error_message = "environment_role_arns gives each environment its deploy, terraform and plan role (its AWS_DEPLOY_ROLE_ARN and AWS_TERRAFORM_ROLE_ARN, and its entry of AWS_PLAN_ROLE_ARNS)."
  }

  assert {
    condition     = output.environment_access.prod.resources.state_object_arn == "arn:aws:s3:::berth-terraform-state/platform/prod/terraform.tfstate" && output.environment_access.dev.permissions_boundary_arn == "arn:aws:iam::111122223333:policy/berth-dev-permissions-boundary"
    error_message = "Each environment's roles reach its own state object (the key of environments/<environment>.backend.hcl) and its boundary."
  }

  assert {
    condition     = length(module.github_oidc) == 1 && keys(module.environment_access) == ["dev", "prod", "staging"]
    error_message = "By default the OIDC provider, the build role and the roles of dev, staging and prod are created."
  }
}

run "some_environments_only" {
  command = plan

  variables {
    environments = ["prod"]
  }

  assert {
    condition     = keys(output.environment_role_arns) == ["prod"]
    error_message = "Only the listed environments get roles."
  }
}

run "accounts_without_oidc" {
  command = plan

  variables {
    create_github_oidc = false
    github_repository  = null
  }

  assert {
    condition     = length(module.github_oidc) == 0 && length(module.build_role) == 0 && length(module.environment_access) == 0
    error_message = "create_github_oidc = false creates no OIDC provider and no role."
  }

  assert {
    condition     = output.build_role_arn == null && output.environment_role_arns == null && output.environment_access == null
    error_message = "Without roles both role outputs are null (npm run bootstrap then publishes no role variables)."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  variables {
    project                   = "B"
    aws_region                = "us-east"
    github_repository         = null
    environments              = ["qa"]
    existing_task_role_arns   = { qa = [] }
    role_max_session_duration = 60
  }

  expect_failures = [var.project, var.aws_region, var.github_repository, var.environments, var.existing_task_role_arns, var.role_max_session_duration]
}

# An SES identity belongs to the whole account: the environment owning a shared address could delete it under the
# other (the case does not matter to SES).
run "refuses_one_sender_address_for_two_environments" {
  command = plan

  variables {
    environment_sender_emails = { dev = "deploys@example.com", prod = "Deploys@example.com" }
  }

  expect_failures = [var.environment_sender_emails]
}

run "rejects_malformed_sender_addresses" {
  command = plan

  variables {
    environment_sender_emails = { qa = "deploys-qa@example.com", dev = "*@example.com" }
  }

  expect_failures = [var.environment_sender_emails]
}

# Warned, not refused (accounts sending by SMTP still apply): an environment without a sender gets no SES at all.
run "warns_of_an_environment_without_a_sender" {
  command = plan

  variables {
    environment_sender_emails = { dev = "deploys-dev@example.com" }
  }

  expect_failures = [check.every_environment_has_a_sender]
}
