# The shared layer: state bucket, one ECR repository per service, the GitHub OIDC deploy role.
# terraform.tfvars (aws_region) is loaded as for a real apply; the workflows pass github_repository.

mock_provider "aws" {
  override_during = plan
  source          = "../modules/tests/mocks"
}

variables {
  github_repository = "acme/berth"
}

run "outputs_the_workflows_read" {
  command = plan

  assert {
    condition     = output.state_bucket == "berth-terraform-state" && output.aws_region == "us-east-1"
    error_message = "The state bucket is <project>-terraform-state, in the region of terraform.tfvars."
  }

  assert {
    condition     = keys(output.ecr_repository_urls) == ["api-gateway", "inventory-service", "product-service"] && alltrue([for url in values(output.ecr_repository_urls) : length(url) > 0])
    error_message = "ecr_repository_urls maps each service to its repository URL (read by ecr-secret-sync)."
  }

  assert {
    condition     = output.deploy_role_arn != null && output.deploy_role_arn == module.github_oidc[0].role_arn
    error_message = "deploy_role_arn is the OIDC deploy role (for vars.AWS_DEPLOY_ROLE_ARN)."
  }

  assert {
    condition     = length(module.github_oidc) == 1 && module.github_oidc[0].oidc_provider_arn != null
    error_message = "By default the OIDC provider and the deploy role are created."
  }
}

run "accounts_without_oidc" {
  command = plan

  variables {
    create_github_oidc = false
    github_repository  = null
  }

  assert {
    condition     = length(module.github_oidc) == 0 && output.deploy_role_arn == null
    error_message = "create_github_oidc = false creates no OIDC provider or role, and deploy_role_arn is null."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  variables {
    project           = "B"
    aws_region        = "us-east"
    github_repository = null
  }

  expect_failures = [var.project, var.aws_region, var.github_repository]
}
