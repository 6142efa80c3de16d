# One role GitHub jobs assume through OIDC: exact subjects (and pull request patterns), managed policies, an
# optional boundary. The rendered trust policy is evaluated on a plan with the real provider (checks/iam), since
# mocks cannot render it.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name              = "berth-github-dev-deploy"
  description       = "Deploys dev"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
  subjects          = ["repo:acme/berth:environment:dev:job_workflow_ref:acme/berth/.github/workflows/deploy-environment.yml@refs/heads/main"]
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
    subjects = ["repo:acme/berth:pull_request:job_workflow_ref:acme/berth/.github/workflows/plan-review.yml@refs/pull/1/merge"]
  }

  expect_failures = [var.subjects]
}

# GitHub's default subject template names no workflow: any branch's job in the environment would match.
run "rejects_subjects_without_a_workflow" {
  command = plan

  module {
    source = "./github-actions-role"
  }

  variables {
    subjects = ["repo:acme/berth:environment:dev", "repo:acme/berth:ref:refs/heads/main"]
  }

  expect_failures = [var.subjects]
}

run "pull_request_patterns_only_with_the_number_as_wildcard" {
  command = plan

  module {
    source = "./github-actions-role"
  }

  variables {
    subjects = []
    subject_patterns = [
      "repo:acme/berth:pull_request:job_workflow_ref:acme/berth/.github/workflows/*.yml@refs/pull/*/merge",
      "repo:acme/berth:*",
    ]
  }

  expect_failures = [var.subject_patterns]
}

run "some_subject_is_required" {
  command = plan

  module {
    source = "./github-actions-role"
  }

  variables {
    subjects         = []
    subject_patterns = []
  }

  expect_failures = [var.subject_patterns]
}
