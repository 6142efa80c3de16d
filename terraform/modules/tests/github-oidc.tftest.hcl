# The GitHub OIDC deploy role (its rendered policies are planned with the real provider, not here).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  project             = "berth"
  region              = "us-east-1"
  role_name           = "berth-github-deploy"
  github_repository   = "acme/berth"
  github_environments = ["dev"]
  ecr_repository_arns = ["arn:aws:ecr:us-east-1:111122223333:repository/berth/api-gateway"]
  state_bucket_arn    = "arn:aws:s3:::berth-terraform-state"
}

run "provider_and_role" {
  command = plan

  module {
    source = "./github-oidc"
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && toset(aws_iam_openid_connect_provider.github[0].client_id_list) == toset(["sts.amazonaws.com"])
    error_message = "The OIDC provider is GitHub's, for the sts.amazonaws.com audience."
  }

  assert {
    condition     = aws_iam_role.deploy.name == "berth-github-deploy" && aws_iam_role.deploy.max_session_duration == 3600
    error_message = "The deploy role has its name and a one-hour session."
  }
}

run "existing_provider" {
  command = plan

  module {
    source = "./github-oidc"
  }

  variables {
    create_oidc_provider = false
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && output.oidc_provider_arn == "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    error_message = "create_oidc_provider = false trusts the account's existing provider."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./github-oidc"
  }

  variables {
    github_repository    = "berth"
    region               = "us_east_1"
    max_session_duration = 60
  }

  expect_failures = [var.github_repository, var.region, var.max_session_duration]
}
