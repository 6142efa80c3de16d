# The build role: trusted from the build workflow on branches of the repository only, never from a GitHub
# environment. Its trust policy is evaluated on a real-provider plan (checks/iam).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  role_name           = "berth-github-build"
  github_repository   = "acme/berth"
  oidc_provider_arn   = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
  ecr_repository_arns = ["arn:aws:ecr:us-east-1:111122223333:repository/berth/api-gateway"]
}

run "trusted_from_main" {
  command = plan

  module {
    source = "./image-build-role"
  }

  assert {
    condition     = module.role.role_arn == "arn:aws:iam::111122223333:role/berth-github-build" && output.role_arn == module.role.role_arn
    error_message = "The build role is <role_name>."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./image-build-role"
  }

  variables {
    github_repository   = "berth"
    branches            = ["release/*"]
    workflow            = "../evil.yml"
    ecr_repository_arns = []
  }

  expect_failures = [var.github_repository, var.branches, var.workflow, var.ecr_repository_arns]
}
