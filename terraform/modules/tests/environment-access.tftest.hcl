# One environment's deploy role, terraform role and permissions boundary. What the policies allow is proven with
# the IAM policy simulator on a plan with the real provider (tools/iam); these runs pin names and wiring.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  project             = "berth"
  environment         = "staging"
  region              = "eu-west-1"
  github_repository   = "acme/berth"
  oidc_provider_arn   = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
  services            = ["api-gateway", "product-service"]
  ecr_repository_arns = ["arn:aws:ecr:eu-west-1:111122223333:repository/berth/api-gateway"]
  state_bucket_name   = "berth-terraform-state"
  state_key           = "platform/staging/terraform.tfstate"
  secrets_state_key   = "platform/staging/secrets.tfstate"
}

run "roles_boundary_and_resources" {
  command = plan

  module {
    source = "./environment-access"
  }

  assert {
    condition     = output.deploy_role_arn == "arn:aws:iam::111122223333:role/berth-github-staging-deploy" && output.terraform_role_arn == "arn:aws:iam::111122223333:role/berth-github-staging-terraform" && output.plan_role_arn == "arn:aws:iam::111122223333:role/berth-github-staging-plan"
    error_message = "The roles are berth-github-<environment>-deploy, -terraform and -plan, outside the berth-<environment>-* names the terraform role may manage."
  }

  assert {
    condition     = aws_iam_policy.boundary.name == "berth-staging-permissions-boundary" && output.permissions_boundary_arn == "arn:aws:iam::111122223333:policy/berth-staging-permissions-boundary"
    error_message = "The boundary has the name terraform/platform derives (<project>-<environment>-permissions-boundary)."
  }

  assert {
    condition = jsonencode(output.resources) == jsonencode({
      cluster_arn              = "arn:aws:ecs:eu-west-1:111122223333:cluster/berth-staging"
      service_arns             = ["arn:aws:ecs:eu-west-1:111122223333:service/berth-staging/api-gateway", "arn:aws:ecs:eu-west-1:111122223333:service/berth-staging/product-service"]
      task_role_arns           = ["arn:aws:iam::111122223333:role/berth-staging-api-gateway-task", "arn:aws:iam::111122223333:role/berth-staging-product-service-task"]
      execution_role_arns      = ["arn:aws:iam::111122223333:role/berth-staging-api-gateway-execution", "arn:aws:iam::111122223333:role/berth-staging-product-service-execution"]
      state_object_arn         = "arn:aws:s3:::berth-terraform-state/platform/staging/terraform.tfstate"
      secrets_state_object_arn = "arn:aws:s3:::berth-terraform-state/platform/staging/secrets.tfstate"
      ecr_repository_arns      = ["arn:aws:ecr:eu-west-1:111122223333:repository/berth/api-gateway"]
    })
    error_message = "The resources the roles are scoped to follow the platform's names."
  }

  assert {
    condition     = keys(module.plan_role.policy_arns) == ["reads", "state-and-reads"]
    error_message = "The plan role's reads are two managed policies of their own."
  }

  assert {
    condition     = keys(module.terraform_role.policy_arns) == ["compute", "data-stores", "deployments", "edge", "iam", "network", "notifications", "state-and-reads"]
    error_message = "The terraform role's permissions are split into managed policies (each under IAM's size limit)."
  }
}

run "existing_task_roles_may_be_passed" {
  command = plan

  module {
    source = "./environment-access"
  }

  variables {
    existing_task_role_arns = ["arn:aws:iam::111122223333:role/LabRole"]
  }

  assert {
    condition     = contains(output.resources.task_role_arns, "arn:aws:iam::111122223333:role/LabRole")
    error_message = "Roles the account brings for its tasks are among those the deploy role may pass."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./environment-access"
  }

  variables {
    project                 = "Berth"
    environment             = "qa"
    region                  = "eu_west_1"
    github_repository       = "berth"
    services                = []
    state_key               = "platform/*"
    secrets_state_key       = "platform/*"
    existing_task_role_arns = ["LabRole"]
    max_session_duration    = 100
  }

  expect_failures = [var.project, var.environment, var.region, var.github_repository, var.services, var.state_key, var.secrets_state_key, var.existing_task_role_arns, var.max_session_duration]
}
