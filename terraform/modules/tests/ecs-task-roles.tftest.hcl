# The execution role reads the secrets injected into containers; the task role those the application reads itself.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  name_prefix = "berth-dev"
}

run "secret_policies" {
  command = plan

  module {
    source = "./ecs-task-roles"
  }

  variables {
    secret_arns      = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-dev-api-tokens-??????"]
    task_secret_arns = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-0123-AbCdEf"]
  }

  assert {
    condition = (
      aws_iam_role_policy.execution_secrets[0].name == "read-task-secrets" &&
      aws_iam_role_policy.task_secrets[0].name == "read-application-secrets" &&
      length(aws_iam_role_policy.task) == 0
    )
    error_message = "Each role gets a policy for its own secrets (the rendered documents are checked on a real plan)."
  }

  assert {
    condition = jsonencode(output.secret_access) == jsonencode({
      execution = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-dev-api-tokens-??????"]
      task      = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-0123-AbCdEf"]
    })
    error_message = "secret_access reports what each role may read."
  }
}

run "no_secrets_no_policies" {
  command = plan

  module {
    source = "./ecs-task-roles"
  }

  assert {
    condition     = length(aws_iam_role_policy.execution_secrets) == 0 && length(aws_iam_role_policy.task_secrets) == 0
    error_message = "Without secrets neither role may read any."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./ecs-task-roles"
  }

  variables {
    task_secret_arns = ["arn:aws:ssm:us-east-1:111122223333:parameter/berth-dev/password"]
  }

  expect_failures = [var.task_secret_arns]
}
