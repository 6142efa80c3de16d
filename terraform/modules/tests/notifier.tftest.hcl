# The deploy notifier: Function URL auth, alarms delivered to the function, and accounts that bring their own role.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix        = "berth-dev"
  region             = "us-east-1"
  environment        = "dev"
  artifact_path      = "tests/fixtures/deploy-notifier.zip"
  sender_email       = "deploys@example.com"
  recipient_emails   = ["team@example.com"]
  alarm_emails       = ["oncall@example.com"]
  cluster_arn        = "arn:aws:ecs:us-east-1:111122223333:cluster/berth-dev"
  log_retention_days = 7
}

run "function_url_and_alarm_delivery" {
  command = apply

  module {
    source = "./notifier"
  }

  assert {
    condition     = aws_lambda_function_url.this.authorization_type == "AWS_IAM"
    error_message = "The Function URL must require SigV4-signed requests (AWS_IAM)."
  }

  assert {
    condition = (
      aws_sns_topic_subscription.notifier.protocol == "lambda" &&
      aws_sns_topic_subscription.notifier.topic_arn == aws_sns_topic.alarms.arn &&
      aws_sns_topic_subscription.notifier.endpoint == aws_lambda_function.this.arn
    )
    error_message = "The alarm topic must deliver to the notifier function (a lambda subscription)."
  }

  assert {
    condition = (
      aws_lambda_permission.alarms.principal == "sns.amazonaws.com" &&
      aws_lambda_permission.alarms.action == "lambda:InvokeFunction" &&
      aws_lambda_permission.alarms.source_arn == aws_sns_topic.alarms.arn &&
      aws_lambda_permission.alarms.function_name == aws_lambda_function.this.function_name
    )
    error_message = "SNS may invoke the function only for the alarm topic."
  }

  assert {
    condition     = [for subscription in aws_sns_topic_subscription.alarm_emails : subscription.endpoint] == ["oncall@example.com"]
    error_message = "Each alarm address gets an e-mail subscription."
  }

  assert {
    condition     = aws_cloudwatch_event_target.notifier.arn == aws_lambda_function.this.arn && aws_cloudwatch_event_target.failed_deployments_topic.arn == aws_sns_topic.alarms.arn
    error_message = "ECS deployment events go to the function, failed deployments to the alarm topic."
  }

  assert {
    condition     = length(aws_iam_role.function) == 1 && aws_lambda_function.this.role == aws_iam_role.function[0].arn
    error_message = "Without role_arn the module creates the function's role."
  }
}

run "existing_role_instead_of_a_created_one" {
  command = plan

  module {
    source = "./notifier"
  }

  variables {
    role_arn = "arn:aws:iam::111122223333:role/LabRole"
  }

  assert {
    condition     = length(aws_iam_role.function) == 0 && length(aws_iam_role_policy.function) == 0
    error_message = "With role_arn the module must create no IAM role and no role policy (AWS Academy forbids iam:CreateRole)."
  }

  assert {
    condition     = aws_lambda_function.this.role == "arn:aws:iam::111122223333:role/LabRole"
    error_message = "With role_arn the function runs as that role."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./notifier"
  }

  variables {
    region           = "us-east"
    sender_email     = "deploys"
    recipient_emails = ["team@example.com,lead@example.com"]
    email_transport  = "sendmail"
    memory_size      = 64
    timeout_seconds  = 901
    role_arn         = "LabRole"
  }

  expect_failures = [
    var.region, var.sender_email, var.recipient_emails, var.email_transport, var.memory_size, var.timeout_seconds,
    var.role_arn,
  ]
}
