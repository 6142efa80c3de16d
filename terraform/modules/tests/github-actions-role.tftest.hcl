# One role GitHub jobs assume through OIDC: exact subjects, managed policies, an optional boundary. The rendered
# trust policy is asserted on a plan with the real provider (tools/iam), since mocks cannot render it.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name              = "berth-github-dev-deploy"
  description       = "Deploys dev"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
  subjects          = ["repo:acme/berth:environment:dev"]
  policies          = { deploy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", read = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

run "role_and_its_policies" {
  command = plan

  module {
    source = "./github-actions-role"
  }

  assert {
    condition     = aws_iam_role.this.name == "berth-github-dev-deploy" && aws_iam_role.this.max_session_duration == 3600 && aws_iam_role.this.permissions_boundary == null
    error_message = "The role has its name, a one-hour session and no boundary unless one is given."
  }

  assert {
    condition     = keys(aws_iam_policy.this) == ["deploy", "read"] && aws_iam_policy.this["read"].name == "berth-github-dev-deploy-read"
    error_message = "Each policy becomes a managed policy named <role>-<key>."
  }

  assert {
    condition = alltrue([
      for key, attachment in aws_iam_role_policy_attachment.this :
      attachment.role == "berth-github-dev-deploy" && attachment.policy_arn == "arn:aws:iam::111122223333:policy/berth-github-dev-deploy-${key}"
    ])
    error_message = "Every managed policy is attached to the role, by an ARN known at plan time."
  }

  assert {
    condition     = output.role_arn == "arn:aws:iam::111122223333:role/berth-github-dev-deploy"
    error_message = "The role ARN is known at plan time (the bootstrap outputs and npm run iam:policies read it)."
  }
}

run "boundary_when_given" {
  command = plan

  module {
    source = "./github-actions-role"
  }

  variables {
    permissions_boundary_arn = "arn:aws:iam::111122223333:policy/berth-dev-permissions-boundary"
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == "arn:aws:iam::111122223333:policy/berth-dev-permissions-boundary"
    error_message = "A given boundary is set on the role."
  }
}

run "rejects_wildcard_and_malformed_subjects" {
  command = plan

  module {
    source = "./github-actions-role"
  }

  variables {
    name                 = "a role with spaces"
    oidc_provider_arn    = "arn:aws:iam::111122223333:oidc-provider/gitlab.example.com"
    subjects             = ["repo:acme/berth:*"]
    max_session_duration = 60
  }

  expect_failures = [var.name, var.oidc_provider_arn, var.subjects, var.max_session_duration]
}

run "rejects_pull_request_subjects" {
  command = plan

  module {
    source = "./github-actions-role"
  }

  variables {
    subjects = ["repo:acme/berth:pull_request"]
  }

  expect_failures = [var.subjects]
}
