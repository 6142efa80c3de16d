# The deploy notifier: Function URL auth, alarms delivered to the function, and accounts that bring their own role;
# versions behind the live alias that every caller invokes, and the CodeDeploy canary that moves it.

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
    condition     = aws_lambda_function_url.this.authorization_type == "AWS_IAM" && aws_lambda_function_url.this.qualifier == "live"
    error_message = "The Function URL must require SigV4-signed requests (AWS_IAM) and invoke the live alias."
  }

  assert {
    condition = (
      aws_lambda_function.this.publish &&
      aws_lambda_alias.live.name == "live" &&
      aws_lambda_alias.live.function_name == aws_lambda_function.this.function_name &&
      aws_lambda_alias.live.function_version == aws_lambda_function.this.version &&
      output.alias_arn == aws_lambda_alias.live.arn
    )
    error_message = "Every change publishes a version; the live alias starts on the version Terraform published."
  }

  assert {
    condition = (
      aws_sns_topic_subscription.notifier.protocol == "lambda" &&
      aws_sns_topic_subscription.notifier.topic_arn == aws_sns_topic.alarms.arn &&
      aws_sns_topic_subscription.notifier.endpoint == aws_lambda_alias.live.arn
    )
    error_message = "The alarm topic must deliver to the notifier's live alias (a lambda subscription)."
  }

  assert {
    condition = (
      aws_lambda_permission.alarms.principal == "sns.amazonaws.com" &&
      aws_lambda_permission.alarms.action == "lambda:InvokeFunction" &&
      aws_lambda_permission.alarms.source_arn == aws_sns_topic.alarms.arn &&
      aws_lambda_permission.alarms.function_name == aws_lambda_function.this.function_name &&
      aws_lambda_permission.alarms.qualifier == "live"
    )
    error_message = "SNS may invoke the live alias, only for the alarm topic."
  }

  assert {
    condition = (
      aws_lambda_permission.events.principal == "events.amazonaws.com" &&
      aws_lambda_permission.events.qualifier == "live" &&
      aws_lambda_permission.events.source_arn == aws_cloudwatch_event_rule.deployments.arn
    )
    error_message = "EventBridge may invoke the live alias, only for the deployment rule."
  }

  assert {
    condition     = [for subscription in aws_sns_topic_subscription.alarm_emails : subscription.endpoint] == ["oncall@example.com"]
    error_message = "Each alarm address gets an e-mail subscription."
  }

  assert {
    condition     = aws_cloudwatch_event_target.notifier.arn == aws_lambda_alias.live.arn && aws_cloudwatch_event_target.failed_deployments_topic.arn == aws_sns_topic.alarms.arn
    error_message = "ECS deployment events go to the live alias, failed deployments to the alarm topic."
  }

  assert {
    condition     = length(aws_iam_role.function) == 1 && aws_lambda_function.this.role == aws_iam_role.function[0].arn
    error_message = "Without role_arn the module creates the function's role."
  }
}

run "canary_through_codedeploy" {
  command = plan

  module {
    source = "./notifier"
  }

  assert {
    condition = (
      aws_codedeploy_app.this.compute_platform == "Lambda" &&
      aws_codedeploy_deployment_group.live.app_name == "berth-dev-deploy-notifier" &&
      aws_codedeploy_deployment_group.live.deployment_group_name == "berth-dev-deploy-notifier-live" &&
      aws_codedeploy_deployment_group.live.deployment_config_name == "CodeDeployDefault.LambdaCanary10Percent5Minutes" &&
      aws_codedeploy_deployment_group.live.deployment_style[0].deployment_type == "BLUE_GREEN" &&
      aws_codedeploy_deployment_group.live.deployment_style[0].deployment_option == "WITH_TRAFFIC_CONTROL"
    )
    error_message = "A Lambda deployment group shifts the alias as a canary: 10 % for five minutes, then the rest."
  }

  assert {
    condition = (
      aws_codedeploy_deployment_group.live.alarm_configuration[0].enabled &&
      aws_codedeploy_deployment_group.live.alarm_configuration[0].alarms == toset(["berth-dev-notifier-live-errors", "berth-dev-notifier-live-duration"]) &&
      aws_codedeploy_deployment_group.live.auto_rollback_configuration[0].enabled &&
      aws_codedeploy_deployment_group.live.auto_rollback_configuration[0].events == toset(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"])
    )
    error_message = "The canary rolls back when it fails or when the alias's Errors or Duration alarm goes off."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.live_errors.namespace == "AWS/Lambda" &&
      aws_cloudwatch_metric_alarm.live_errors.metric_name == "Errors" &&
      aws_cloudwatch_metric_alarm.live_errors.dimensions == tomap({ FunctionName = "berth-dev-deploy-notifier", Resource = "berth-dev-deploy-notifier:live" }) &&
      aws_cloudwatch_metric_alarm.live_errors.threshold == 0 && aws_cloudwatch_metric_alarm.live_errors.period == 60 &&
      aws_cloudwatch_metric_alarm.live_duration.metric_name == "Duration" &&
      aws_cloudwatch_metric_alarm.live_duration.statistic == "Maximum" &&
      aws_cloudwatch_metric_alarm.live_duration.dimensions == aws_cloudwatch_metric_alarm.live_errors.dimensions &&
      aws_cloudwatch_metric_alarm.live_duration.threshold == 1500 && aws_cloudwatch_metric_alarm.live_duration.period == 60
    )
    error_message = "The canary alarms watch invocations through the alias each minute: any error, or one slower than 1,500 ms."
  }

  assert {
    condition = (
      length(aws_iam_role.codedeploy) == 1 &&
      aws_iam_role_policy_attachment.codedeploy[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda" &&
      aws_codedeploy_deployment_group.live.service_role_arn == aws_iam_role.codedeploy[0].arn
    )
    error_message = "Without codedeploy_role_arn CodeDeploy gets a role with AWS's Lambda deployment policy."
  }

  assert {
    condition = output.deployment == {
      function_name          = "berth-dev-deploy-notifier"
      alias                  = "live"
      application            = "berth-dev-deploy-notifier"
      deployment_group       = "berth-dev-deploy-notifier-live"
      deployment_config_name = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
      alarm_names            = ["berth-dev-notifier-live-errors", "berth-dev-notifier-live-duration"]
    }
    error_message = "The deployment output gives a CodeDeploy deployment of the notifier everything it needs."
  }
}

run "all_at_once_and_an_existing_codedeploy_role" {
  command = plan

  module {
    source = "./notifier"
  }

  variables {
    deployment_config_name = "CodeDeployDefault.LambdaAllAtOnce"
    codedeploy_role_arn    = "arn:aws:iam::111122223333:role/LabRole"
  }

  assert {
    condition = (
      aws_codedeploy_deployment_group.live.deployment_config_name == "CodeDeployDefault.LambdaAllAtOnce" &&
      length(aws_iam_role.codedeploy) == 0 &&
      aws_codedeploy_deployment_group.live.service_role_arn == "arn:aws:iam::111122223333:role/LabRole"
    )
    error_message = "The configuration is a setting, and an account without iam:CreateRole hands in CodeDeploy's role."
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

    alias_name                   = "7"
    deployment_config_name       = "CodeDeployDefault.ECSCanary10Percent5Minutes"
    canary_duration_threshold_ms = 0
    codedeploy_role_arn          = "LabRole"
  }

  expect_failures = [
    var.region, var.sender_email, var.recipient_emails, var.email_transport, var.memory_size, var.timeout_seconds,
    var.role_arn, var.alias_name, var.deployment_config_name, var.canary_duration_threshold_ms, var.codedeploy_role_arn,
  ]
}
