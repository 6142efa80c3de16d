# What `terraform plan -lock=false -refresh=true` of terraform/platform reads for this environment, and nothing it
# could write: the environment's state object (no lock file, no PutObject) and the Describe/List/Get calls of the
# provider's refresh, on this environment's resources only (checks/iam derives the calls from terraform-calls and
# proves every write of the terraform role is refused to this role).

data "aws_iam_policy_document" "plan_state_and_reads" {
  # The S3 backend lists its workspaces (prefix env:/) on init; the environment's own prefix answers a missing
  # state with 404 rather than 403. Other environments' keys are neither listed nor read.
  statement {
    sid       = "ListOwnStatePrefix"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["env:/*", "${dirname(var.state_key)}/*"]
    }
  }

  statement {
    sid       = "ReadOwnState"
    actions   = ["s3:GetObject"]
    resources = [local.state_object_arn]
  }

  statement {
    sid       = "UnscopableReads"
    actions   = local.unscopable_reads
    resources = ["*"]
  }

  # Secret values are never read by a plan: terraform/secrets writes them write-only (they are in no state) and
  # the platform only looks the secrets up, and a pull request's job must not see them. Explicit, so no other
  # statement can grant it.
  statement {
    sid       = "NoSecretValues"
    effect    = "Deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "plan_reads" {
  statement {
    sid     = "ReadOwnCompute"
    actions = ["ecs:DescribeClusters", "ecs:DescribeServices", "ecs:ListTagsForResource"]
    resources = [
      local.cluster_arn,
      "${local.arn_ecs}:service/${local.name_prefix}/*",
    ]
  }

  statement {
    sid       = "ReadOwnLogGroups"
    actions   = ["logs:ListTagsForResource"]
    resources = local.log_group_arns
  }

  statement {
    sid = "ReadOwnDataStores"
    actions = [
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeTable",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
      "elasticache:DescribeCacheClusters",
      "elasticache:DescribeCacheSubnetGroups",
      "elasticache:DescribeReplicationGroups",
      "elasticache:ListTagsForResource",
      "rds:DescribeDBInstances",
      "rds:DescribeDBParameterGroups",
      "rds:DescribeDBParameters",
      "rds:DescribeDBSubnetGroups",
      "rds:ListTagsForResource",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
    ]
    resources = [
      "${local.arn_ddb}:table/${local.name_prefix}-*",
      "${local.arn_cache}:replicationgroup:${local.name_prefix}",
      "${local.arn_cache}:cluster:${local.name_prefix}-*",
      "${local.arn_cache}:subnetgroup:${local.name_prefix}",
      "${local.arn_rds}:db:${local.name_prefix}",
      "${local.arn_rds}:subgrp:${local.name_prefix}",
      "${local.arn_rds}:pg:${local.name_prefix}-*",
      "arn:${local.partition}:secretsmanager:${local.in_region}:secret:${local.name_prefix}-*",
    ]
  }

  # The database's own secret (rds!…) has a generated name; RDS tags it with its instance.
  statement {
    sid       = "DescribeOwnDatabaseSecret"
    actions   = ["secretsmanager:DescribeSecret"]
    resources = ["arn:${local.partition}:secretsmanager:${local.in_region}:secret:rds!*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/aws:rds:primaryDBInstanceArn"
      values   = ["${local.arn_rds}:db:${local.name_prefix}"]
    }
  }

  statement {
    sid       = "ReadOwnRoles"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"]
    resources = [local.platform_roles_arn]
  }

  statement {
    sid = "ReadOwnNotifierAndDeployments"
    actions = [
      "cloudwatch:DescribeAlarms",
      "cloudwatch:GetDashboard",
      "cloudwatch:ListTagsForResource",
      "codedeploy:GetApplication",
      "codedeploy:GetDeploymentGroup",
      "codedeploy:ListTagsForResource",
      "events:DescribeRule",
      "events:ListTagsForResource",
      "events:ListTargetsByRule",
      "lambda:GetAlias",
      "lambda:GetFunction",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionUrlConfig",
      "lambda:GetPolicy",
      "lambda:ListVersionsByFunction",
      "sns:GetSubscriptionAttributes",
      "sns:GetTopicAttributes",
      "sns:ListTagsForResource",
      "wafv2:GetWebACL",
      "wafv2:ListTagsForResource",
    ]
    resources = [
      "${local.arn_alarms}:alarm:${local.name_prefix}-*",
      "arn:${local.partition}:cloudwatch::${local.account_id}:dashboard/${local.name_prefix}",
      "arn:${local.partition}:codedeploy:${local.in_region}:application:${local.name_prefix}-*",
      "arn:${local.partition}:codedeploy:${local.in_region}:deploymentgroup:${local.name_prefix}-*/*",
      "${local.arn_events}:rule/${local.name_prefix}-*",
      "${local.arn_lambda}:function:${local.name_prefix}-*",
      "${local.arn_sns}:${local.name_prefix}-*",
      "arn:${local.partition}:wafv2:${local.in_region}:regional/webacl/${local.name_prefix}/*",
    ]
  }

  # AWS's own deployment configurations (CodeDeployDefault.…); reading them changes nothing.
  statement {
    sid       = "ReadDeploymentConfigs"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = ["arn:${local.partition}:codedeploy:${local.in_region}:deploymentconfig:*"]
  }

  # WAF's association read has no resource-level permissions.
  statement {
    sid       = "ReadWebAclOfResources"
    actions   = ["wafv2:GetWebACLForResource"]
    resources = ["*"]
  }

  # Generated ids (Cloud Map, certificates, scalable targets): read only while tagged for this environment.
  statement {
    sid = "ReadOwnTaggedResources"
    actions = [
      "acm:DescribeCertificate",
      "acm:ListTagsForCertificate",
      "application-autoscaling:ListTagsForResource",
      "servicediscovery:GetNamespace",
      "servicediscovery:GetService",
    ]
    resources = [
      "arn:${local.partition}:acm:${local.in_region}:certificate/*",
      "arn:${local.partition}:application-autoscaling:${local.in_region}:scalable-target/*",
      "arn:${local.partition}:servicediscovery:${local.in_region}:namespace/*",
      "arn:${local.partition}:servicediscovery:${local.in_region}:service/*",
    ]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment]
    }
  }

  # The environment's own SES identities, by ARN (ListTagsForResource has no tag condition).
  dynamic "statement" {
    for_each = length(local.sender_identity_arns) > 0 ? [local.sender_identity_arns] : []

    content {
      sid       = "ReadOwnSenderIdentity"
      actions   = ["ses:GetEmailIdentity", "ses:ListTagsForResource"]
      resources = statement.value
    }
  }
}
