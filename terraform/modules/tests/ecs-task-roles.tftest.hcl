# The execution role reads the secrets injected into containers; the task role those the application reads itself.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  name_prefix = "berth-dev-product-service"
}

run "secret_policies" {
  command = plan

  module {
    source = "./ecs-task-roles"
  }

  variables {
    secret_arns = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-0123-AbCdEf"]
    task_secret_arns = {
      "database-user" = "arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-dev-product-service-database-??????"
      "cache-token"   = "arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-dev-product-service-cache-??????"
    }
  }

  assert {
    condition = (
      aws_iam_role_policy.execution_secrets[0].name == "read-task-secrets" &&
      aws_iam_role_policy.execution_secrets[0].role == aws_iam_role.execution.name &&
      [for policy in aws_iam_role_policy.task_secrets : policy.name] == ["read-cache-token", "read-database-user"] &&
      alltrue([for policy in aws_iam_role_policy.task_secrets : policy.role == aws_iam_role.task.name]) &&
      length(aws_iam_role_policy.task) == 0
    )
    error_message = "The execution role gets a policy for the injected secrets, the task role one per secret the application reads (the rendered documents are checked on a real plan)."
  }

  assert {
    condition = jsonencode(output.secret_access) == jsonencode({
      execution = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-0123-AbCdEf"]
      task = {
        "cache-token"   = "arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-dev-product-service-cache-??????"
        "database-user" = "arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-dev-product-service-database-??????"
      }
    })
    error_message = "secret_access reports what each role may read."
  }

  assert {
    condition = (
      aws_iam_role.execution.name == "berth-dev-product-service-execution" && aws_iam_role.execution.path == "/" &&
      aws_iam_role.task.name == "berth-dev-product-service-task" && aws_iam_role.task.path == "/" &&
      output.role_names == { execution = "berth-dev-product-service-execution", task = "berth-dev-product-service-task" }
    )
    error_message = "The roles are <name_prefix>-execution and <name_prefix>-task, in path /."
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
    name_prefix      = "berth-staging-a-service-name-long-enough-to-overflow-iam"
    task_secret_arns = { "database-user" = "arn:aws:ssm:us-east-1:111122223333:parameter/berth-dev/password" }
  }

  expect_failures = [var.name_prefix, var.task_secret_arns]
}
