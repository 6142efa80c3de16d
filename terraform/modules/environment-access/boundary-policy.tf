# The most any role terraform/platform creates in this environment may do: what the environment's task
# execution role, task role, notifier function and CodeDeploy roles (AWS's AWSCodeDeployRoleForECS and
# AWSCodeDeployRoleForLambda) need, on this environment's resources only. A role the
# terraform role writes is the intersection of its own policies and this, so no policy written through Terraform
# can reach another environment, IAM, or the storage layer.
data "aws_iam_policy_document" "boundary" {
  statement {
    sid       = "PullImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = var.ecr_repository_arns
  }

  # GetAuthorizationToken has no resource-level permissions.
  statement {
    sid       = "EcrSignIn"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for arn in local.log_group_arns : "${arn}:*"]
  }

  # The database secret RDS creates is named rds!…; RDS tags it with the instance it belongs to.
  statement {
    sid       = "ReadOwnDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:${local.partition}:secretsmanager:${local.in_region}:secret:rds!*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/aws:rds:primaryDBInstanceArn"
      values   = ["${local.arn_rds}:db:${local.name_prefix}"]
    }
  }

  # Secrets the environment's own configuration names (the notifier's SMTP and HMAC secrets) follow its prefix.
  statement {
    sid       = "ReadOwnSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:${local.partition}:secretsmanager:${local.in_region}:secret:${local.name_prefix}-*"]
  }

  statement {
    sid       = "OwnDeployHistory"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    resources = ["${local.arn_ddb}:table/${local.name_prefix}-*"]
  }

  # Mail only through the environment's own sender identity and From its own address, so no role it creates can
  # send as another environment (or as any other identity of the account). No sender known: no mail through SES.
  dynamic "statement" {
    for_each = length(var.sender_emails) > 0 ? [var.sender_emails] : []

    content {
      sid       = "SendAsOwnSender"
      actions   = ["ses:SendEmail", "ses:SendRawEmail"]
      resources = local.sender_identity_arns

      condition {
        test     = "StringEquals"
        variable = "ses:FromAddress"
        values   = statement.value
      }
    }
  }

  # CodeDeploy's blue/green of an ECS service: task sets of the environment's services, and its listeners.
  statement {
    sid     = "BlueGreenTaskSets"
    actions = ["ecs:CreateTaskSet", "ecs:DeleteTaskSet", "ecs:DescribeServices", "ecs:UpdateServicePrimaryTaskSet"]
    resources = [
      "${local.arn_ecs}:service/${local.name_prefix}/*",
      "${local.arn_ecs}:task-set/${local.name_prefix}/*/*",
    ]
  }

  statement {
    sid       = "BlueGreenListeners"
    actions   = ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"]
    resources = ["${local.arn_elb}:listener/app/${local.name_prefix}/*", "${local.arn_elb}:listener-rule/app/${local.name_prefix}/*"]
  }

  # Describe calls of load balancing have no resource-level permissions.
  statement {
    sid       = "ReadLoadBalancing"
    actions   = ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups"]
    resources = ["*"]
  }

  statement {
    sid       = "PassOwnTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [local.platform_roles_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  # CodeDeploy's canary of the notifier: moving its alias and calling its functions.
  statement {
    sid       = "OwnFunctions"
    actions   = ["lambda:GetAlias", "lambda:GetFunction", "lambda:GetProvisionedConcurrencyConfig", "lambda:InvokeFunction", "lambda:UpdateAlias"]
    resources = ["${local.arn_lambda}:function:${local.name_prefix}-*"]
  }

  statement {
    sid       = "ReadOwnAlarms"
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = ["${local.arn_alarms}:alarm:${local.name_prefix}-*"]
  }

  statement {
    sid       = "PublishToOwnTopics"
    actions   = ["sns:Publish"]
    resources = ["${local.arn_sns}:${local.name_prefix}-*"]
  }
}
