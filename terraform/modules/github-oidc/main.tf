data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
locals {
  github_host = "token.actions.githubusercontent.com"
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  region      = var.region

  # A job's `sub` claim names its environment when it has one, otherwise its ref.
  allowed_subjects = concat(
    [for environment in var.github_environments : "repo:${var.github_repository}:environment:${environment}"],
    [for branch in var.github_branches : "repo:${var.github_repository}:ref:refs/heads/${branch}"],
  )
  subjects = length(local.allowed_subjects) > 0 ? local.allowed_subjects : ["repo:${var.github_repository}:*"]

  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.github_host}"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.github_host}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "${local.github_host}:sub"
      values   = local.subjects
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = var.role_name
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = var.ecr_repository_arns
  }

  # Task-definition actions do not support resource-level permissions.
  statement {
    sid = "EcsTaskDefinitions"
    actions = [
      "ecs:DeregisterTaskDefinition",
      "ecs:DescribeTaskDefinition",
      "ecs:ListTaskDefinitions",
      "ecs:RegisterTaskDefinition",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "EcsTagOnRegister"
    actions   = ["ecs:TagResource"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RegisterTaskDefinition"]
    }
  }

  statement {
    sid     = "EcsServices"
    actions = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${var.project}-*/*",
    ]
  }

  statement {
    sid     = "EcsReadClusterAndTasks"
    actions = ["ecs:DescribeClusters", "ecs:DescribeTasks", "ecs:ListTasks"]
    resources = [
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:cluster/${var.project}-*",
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${var.project}-*/*",
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:container-instance/${var.project}-*/*",
    ]
  }

  statement {
    sid     = "PassOnlyTaskRoles"
    actions = ["iam:PassRole"]
    resources = concat(
      ["arn:${local.partition}:iam::${local.account_id}:role/${var.project}-*"],
      var.passable_role_arns,
    )

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid       = "StateList"
    actions   = ["s3:ListBucket"]
    resources = [var.state_bucket_arn]
  }

  statement {
    sid       = "StateRead"
    actions   = ["s3:GetObject"]
    resources = ["${var.state_bucket_arn}/*"]
  }

  # Plans take the S3 native lock: a .tflock object written and deleted next to the state.
  statement {
    sid       = "StateLock"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.state_bucket_arn}/*.tflock"]
  }

  # Function URLs with AWS_IAM auth need both permissions on the caller.
  statement {
    sid     = "InvokeNotifier"
    actions = ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"]
    resources = [
      "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${var.project}-*-deploy-notifier",
    ]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_iam_role_policy_attachment" "additional" {
  for_each = toset(var.additional_policy_arns)

  role       = aws_iam_role.deploy.name
  policy_arn = each.value
}
