# What a deploy job of this environment does (tools/iam lists the calls and proves each one with the simulator):
# read its platform outputs from the state, check its cluster, read image digests, register task definitions of
# its own families, pass its own task roles, roll out and watch its own services (through CodeDeploy where they
# are blue/green), publish its own notifier's code, and call its own notifier.
data "aws_iam_policy_document" "deploy" {
  # Listing names no state; S3 answers a missing object with 403 instead of 404 without it.
  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "ReadOwnState"
    actions   = ["s3:GetObject"]
    resources = [local.state_object_arn]
  }

  statement {
    sid       = "DescribeOwnCluster"
    actions   = ["ecs:DescribeClusters"]
    resources = [local.cluster_arn]
  }

  statement {
    sid       = "ReadImageDigests"
    actions   = ["ecr:DescribeImages"]
    resources = var.ecr_repository_arns
  }

  statement {
    sid       = "RegisterOwnTaskDefinitions"
    actions   = ["ecs:RegisterTaskDefinition"]
    resources = local.task_definition_family_arns
  }

  # DescribeTaskDefinition has no resource-level permissions in IAM.
  statement {
    sid       = "ReadTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "RollOutOwnServices"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = local.service_arns
  }

  # ecs-rollout names the deployment alarm that stopped a rollout.
  statement {
    sid       = "ReadOwnServiceDeployments"
    actions   = ["ecs:DescribeServiceDeployments"]
    resources = concat(local.service_arns, ["arn:${local.partition}:ecs:${local.in_region}:service-deployment/${local.name_prefix}/*/*"])
  }

  statement {
    sid       = "ListOwnTasks"
    actions   = ["ecs:ListTasks"]
    resources = ["arn:${local.partition}:ecs:${local.in_region}:container-instance/${local.name_prefix}/*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster_arn]
    }
  }

  statement {
    sid       = "DescribeOwnTasks"
    actions   = ["ecs:DescribeTasks"]
    resources = ["arn:${local.partition}:ecs:${local.in_region}:task/${local.name_prefix}/*"]
  }

  statement {
    sid       = "PassOwnTaskRoles"
    actions   = ["iam:PassRole"]
    resources = concat(local.execution_role_arns, local.task_role_arns, var.existing_task_role_arns)

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  # A Function URL with AWS_IAM auth needs both on the caller.
  statement {
    sid       = "CallOwnNotifierUrl"
    actions   = ["lambda:InvokeFunctionUrl"]
    resources = local.notifier_arns

    condition {
      test     = "StringEquals"
      variable = "lambda:FunctionUrlAuthType"
      values   = ["AWS_IAM"]
    }
  }

  statement {
    sid       = "InvokeOwnNotifierThroughUrl"
    actions   = ["lambda:InvokeFunction"]
    resources = local.notifier_arns

    condition {
      test     = "Bool"
      variable = "lambda:InvokedViaFunctionUrl"
      values   = ["true"]
    }
  }

  # CODE_DEPLOY services (ecs-rollout's codedeploy-* inputs) and the notifier's canary roll out through their own
  # deployment groups.
  statement {
    sid       = "CanaryRollouts"
    actions   = ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"]
    resources = [for name in concat(var.services, ["deploy-notifier"]) : "arn:${local.partition}:codedeploy:${local.in_region}:deploymentgroup:${local.name_prefix}-${name}/*"]
  }

  # The notifier's new code: uploaded, published as a version, then shifted to through its alias by CodeDeploy.
  statement {
    sid       = "PublishOwnNotifier"
    actions   = ["lambda:GetAlias", "lambda:GetFunctionConfiguration", "lambda:PublishVersion", "lambda:UpdateFunctionCode"]
    resources = local.notifier_arns
  }

  statement {
    sid       = "ReadDeploymentConfigs"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = ["arn:${local.partition}:codedeploy:${local.in_region}:deploymentconfig:*"]
  }

  # GetDeploymentTarget has no resource-level permissions in IAM.
  statement {
    sid       = "ReadDeploymentTargets"
    actions   = ["codedeploy:GetDeploymentTarget", "codedeploy:ListDeploymentTargets"]
    resources = ["*"]
  }
}
