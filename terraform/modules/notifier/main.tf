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
  service_arn_prefix = "${replace(var.cluster_arn, ":cluster/", ":service/")}/"
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

resource "aws_ses_email_identity" "sender" {
  email = var.sender_email
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

  name               = local.function_name
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
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
    resources = ["arn:${data.aws_partition.current.partition}:ses:${var.region}:${local.account_id}:identity/*"]

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

  environment {
    variables = {
      HISTORY_TABLE_NAME = aws_dynamodb_table.history.name
      SENDER_EMAIL       = var.sender_email
      RECIPIENT_EMAILS   = join(",", var.recipient_emails)
      EMAIL_TRANSPORT    = var.email_transport
      SMTP_SECRET_ARN    = var.smtp_secret_arn == null ? "" : var.smtp_secret_arn
      HMAC_SECRET_ARN    = var.hmac_secret_arn == null ? "" : var.hmac_secret_arn
      ENVIRONMENT        = var.environment
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  depends_on = [aws_iam_role_policy.function]
}

resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
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
  arn  = aws_lambda_function.this.arn
}

resource "aws_lambda_permission" "events" {
  statement_id  = "AllowEcsDeploymentEvents"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.deployments.arn
}

# Alarms and failed deployments go to people through SNS. The topic stays on SNS's default
# encryption because CloudWatch cannot publish to a topic encrypted with the AWS managed key.
resource "aws_sns_topic" "alarms" {
  name = "${var.name_prefix}-alarms"
}

data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "EventBridgeAndCloudWatchPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
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
  endpoint  = aws_lambda_function.this.arn
}

resource "aws_lambda_permission" "alarms" {
  statement_id  = "AllowAlarmTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
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
