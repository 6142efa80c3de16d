# The account's GitHub OIDC provider, whose ARN every GitHub role trusts (the roles are in github-actions-role).

mock_provider "aws" {
  source = "./tests/mocks"
}

run "creates_the_provider" {
  command = plan

  module {
    source = "./github-oidc"
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && toset(aws_iam_openid_connect_provider.github[0].client_id_list) == toset(["sts.amazonaws.com"])
    error_message = "The OIDC provider is GitHub's, for the sts.amazonaws.com audience."
  }

  assert {
    condition     = output.oidc_provider_arn == "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The provider ARN is known at plan time, so the roles' trust policies render in a plan."
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
