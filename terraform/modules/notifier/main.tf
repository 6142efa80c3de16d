data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
locals {
  function_name = "${var.name_prefix}-deploy-notifier"
  account_id    = data.aws_caller_identity.current.account_id
  secret_arns   = compact([var.smtp_secret_arn, var.hmac_secret_arn])
  # Accounts that may not create IAM roles (AWS Academy's LabRole) hand in the role the function runs as.
  create_role = var.role_arn == null
  role_arn    = local.create_role ? aws_iam_role.function[0].arn : var.role_arn
  # ECS deployment events name the service, whose ARN is the cluster ARN with service/<cluster>/ in place of cluster/<cluster>.
  service_arn_prefix     = "${replace(var.cluster_arn, ":cluster/", ":service/")}/"
  create_codedeploy_role = var.codedeploy_role_arn == null
  codedeploy_role_arn    = local.create_codedeploy_role ? aws_iam_role.codedeploy[0].arn : var.codedeploy_role_arn
  # Lambda's metrics of invocations through the alias: what the canary is judged by.
  alias_dimensions = { FunctionName = local.function_name, Resource = "${local.function_name}:${var.alias_name}" }
  # Built from the name, not read from the topic, so the topic policy is known (and can be checked) at plan time.
  alarm_topic_name = "${var.name_prefix}-alarms"
  alarm_topic_arn  = "arn:${data.aws_partition.current.partition}:sns:${var.region}:${local.account_id}:${local.alarm_topic_name}"
  # Who publishes to the alarm topic, on behalf of what: the environment's CloudWatch alarms and EventBridge rules.
  # The notifier drops alarm messages and events whose source ARN starts with neither prefix.
  alarm_publishers = [
    {
      sid        = "OwnAlarmsPublish"
      service    = "cloudwatch.amazonaws.com"
      arn_prefix = "arn:${data.aws_partition.current.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:${var.name_prefix}-"
    },
    {
      sid        = "OwnRulesPublish"
      service    = "events.amazonaws.com"
      arn_prefix = "arn:${data.aws_partition.current.partition}:events:${var.region}:${local.account_id}:rule/${var.name_prefix}-"
    },
  ]
  source_arn_prefixes = [for publisher in local.alarm_publishers : publisher.arn_prefix]
}

resource "aws_dynamodb_table" "history" {
  name         = "${var.name_prefix}-deploy-history"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "idempotencyKey"

  attribute {
    name = "idempotencyKey"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

# SES v2: the identity has an ARN and takes tags (the provider's default tags, Environment among them), so the
# environment's terraform role may create, change and delete its own identity only. SES v1's identity could not be
# scoped at all. An identity is account-wide: each environment needs its own sender address.
resource "aws_sesv2_email_identity" "sender" {
  email_identity = var.sender_email
}

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  count = local.create_role ? 1 : 0

  name                 = local.function_name
  assume_role_policy   = data.aws_iam_policy_document.lambda_trust.json
  permissions_boundary = var.permissions_boundary_arn
}

data "aws_iam_policy_document" "function" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }

  statement {
    sid       = "DeployHistory"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.history.arn]
  }

  statement {
    sid       = "SendAsSender"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = ["arn:${data.aws_partition.current.partition}:ses:${var.region}:${local.account_id}:identity/${var.sender_email}"]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.sender_email]
    }
  }

  dynamic "statement" {
    for_each = length(local.secret_arns) > 0 ? [local.secret_arns] : []

    content {
      sid       = "ReadNotifierSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = statement.value
    }
  }
}

resource "aws_iam_role_policy" "function" {
  count = local.create_role ? 1 : 0

  name   = "deploy-notifier"
  role   = aws_iam_role.function[0].id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_lambda_function" "this" {
  function_name    = local.function_name
  role             = local.role_arn
  runtime          = "nodejs22.x"
  handler          = "index.handler"
  architectures    = ["arm64"]
  filename         = var.artifact_path
  source_code_hash = filebase64sha256(var.artifact_path)
  memory_size      = var.memory_size
  timeout          = var.timeout_seconds
  # Every code or configuration change becomes a numbered version; callers invoke the alias, which CodeDeploy moves.
  publish = true

  environment {
    variables = {
      HISTORY_TABLE_NAME = aws_dynamodb_table.history.name
      SENDER_EMAIL       = var.sender_email
      RECIPIENT_EMAILS   = join(",", var.recipient_emails)
      EMAIL_TRANSPORT    = var.email_transport
      SMTP_SECRET_ARN    = var.smtp_secret_arn == null ? "" : var.smtp_secret_arn
      HMAC_SECRET_ARN    = var.hmac_secret_arn == null ? "" : var.hmac_secret_arn
      ENVIRONMENT        = var.environment
      # Newline-separated: the alarms and rules whose messages the function accepts (the topic policy's prefixes).
      ALLOWED_SOURCE_ARN_PREFIXES = join("\n", local.source_arn_prefixes)
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  depends_on = [aws_iam_role_policy.function]
}

# Everything invokes the function through this alias: the Function URL, the EventBridge rule and the alarm topic.
# Terraform points it at the first version; afterwards only CodeDeploy moves it (a deployment in the group below),
# so a version Terraform publishes for new code or configuration serves traffic only after such a canary.
resource "aws_lambda_alias" "live" {
  name             = var.alias_name
  description      = "The version callers get; moved by CodeDeploy (${var.deployment_config_name})"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version

  lifecycle {
    ignore_changes = [function_version, routing_config]
  }
}

resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  qualifier          = aws_lambda_alias.live.name
  authorization_type = "AWS_IAM"
}

resource "aws_cloudwatch_event_rule" "deployments" {
  name        = "${var.name_prefix}-ecs-deployments"
  description = "ECS deployment state changes of ${var.name_prefix}"
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Deployment State Change"]
    resources     = [{ prefix = local.service_arn_prefix }]
  })
}

resource "aws_cloudwatch_event_target" "notifier" {
  rule = aws_cloudwatch_event_rule.deployments.name
  arn  = aws_lambda_alias.live.arn
}

resource "aws_lambda_permission" "events" {
  statement_id  = "AllowEcsDeploymentEvents"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.deployments.arn
}

# Alarms and failed deployments go to people through SNS. The topic stays on SNS's default
# encryption because CloudWatch cannot publish to a topic encrypted with the AWS managed key.
resource "aws_sns_topic" "alarms" {
  name = local.alarm_topic_name
}

# Only this environment's own alarms and rules may publish: the environment's roles can create alarms and rules
# named <name_prefix>-* only, so another environment in the account cannot mail its "alarms" to these recipients.
data "aws_iam_policy_document" "alarms_topic" {
  dynamic "statement" {
    for_each = local.alarm_publishers

    content {
      sid       = statement.value.sid
      actions   = ["sns:Publish"]
      resources = [local.alarm_topic_arn]

      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = ["${statement.value.arn_prefix}*"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

# Alarms reach the function through the topic: it records them and mails the recipients (docs/notifications.md).
resource "aws_sns_topic_subscription" "notifier" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_alias.live.arn
}

resource "aws_lambda_permission" "alarms" {
  statement_id  = "AllowAlarmTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.alarms.arn
}

resource "aws_sns_topic_subscription" "alarm_emails" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_event_rule" "failed_deployments" {
  name        = "${var.name_prefix}-ecs-deployment-failures"
  description = "Failed ECS deployments of ${var.name_prefix}"
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Deployment State Change"]
    resources     = [{ prefix = local.service_arn_prefix }]
    detail        = { eventName = ["SERVICE_DEPLOYMENT_FAILED"] }
  })
}

resource "aws_cloudwatch_event_target" "failed_deployments_topic" {
  rule = aws_cloudwatch_event_rule.failed_deployments.name
  arn  = aws_sns_topic.alarms.arn
}

# The canary's judges: errors and slowness of the invocations through the alias, per minute. CodeDeploy stops a
# deployment and moves the alias back as soon as one goes off.
resource "aws_cloudwatch_metric_alarm" "live_errors" {
  alarm_name          = "${var.name_prefix}-notifier-${var.alias_name}-errors"
  alarm_description   = "The notifier's ${var.alias_name} alias had errors in the last minute"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = local.alias_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "live_duration" {
  alarm_name          = "${var.name_prefix}-notifier-${var.alias_name}-duration"
  alarm_description   = "An invocation of the notifier's ${var.alias_name} alias took longer than ${var.canary_duration_threshold_ms} ms"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = local.alias_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.canary_duration_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

data "aws_iam_policy_document" "codedeploy_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  count = local.create_codedeploy_role ? 1 : 0

  name                 = "${local.function_name}-codedeploy"
  assume_role_policy   = data.aws_iam_policy_document.codedeploy_trust.json
  permissions_boundary = var.permissions_boundary_arn
}

# AWS's policy for Lambda deployments: move aliases, read the alarms, invoke hook functions named CodeDeployHook_*.
resource "aws_iam_role_policy_attachment" "codedeploy" {
  count = local.create_codedeploy_role ? 1 : 0

  role       = aws_iam_role.codedeploy[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"
}

resource "aws_codedeploy_app" "this" {
  name             = local.function_name
  compute_platform = "Lambda"
}

resource "aws_codedeploy_deployment_group" "live" {
  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = "${local.function_name}-${var.alias_name}"
  service_role_arn       = local.codedeploy_role_arn
  deployment_config_name = var.deployment_config_name

  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }

  alarm_configuration {
    enabled = true
    alarms  = [aws_cloudwatch_metric_alarm.live_errors.alarm_name, aws_cloudwatch_metric_alarm.live_duration.alarm_name]
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }

  depends_on = [aws_iam_role_policy_attachment.codedeploy]
}
