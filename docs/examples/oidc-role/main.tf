# The roles a caller repository (acme/shop-cart) assumes through GitHub OIDC, made in Berth's account with Berth's
# own modules: a build role that may only push cart images (jobs on main), and a deploy role for its environments
# (dev, prod) that may only do what Berth's actions do for the cart service. Berth's storage root already made the
# account's OIDC provider, so it is looked up, not created. Apply with credentials that may manage IAM there.
module "github_oidc" {
  source = "git::https://github.com/acme/berth.git//terraform/modules/github-oidc?ref=v1"

  create_oidc_provider = false
}

module "build_role" {
  source = "git::https://github.com/acme/berth.git//terraform/modules/image-build-role?ref=v1"

  role_name           = "shop-cart-github-build"
  github_repository   = "acme/shop-cart"
  oidc_provider_arn   = module.github_oidc.oidc_provider_arn
  ecr_repository_arns = [var.cart_repository_arn]
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  arn_prefix = "arn:${data.aws_partition.current.partition}"
  account    = data.aws_caller_identity.current.account_id
  ecs        = "${local.arn_prefix}:ecs:${var.aws_region}:${local.account}"
}

# What render-task-definition, ecs-rollout, notify-lambda-url and ecr-secret-sync call for the cart service, and
# reading Berth's platform state for the caller's deploy/terraform.
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "CartImages"
    actions   = ["ecr:DescribeImages", "ecr:DescribeRepositories"]
    resources = [var.cart_repository_arn]
  }

  # RegisterTaskDefinition and DescribeTaskDefinition have no resource-level permissions.
  statement {
    sid       = "TaskDefinitions"
    actions   = ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "CartService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = ["${local.ecs}:service/berth-*/cart"]
  }

  statement {
    sid       = "CartTasks"
    actions   = ["ecs:ListTasks", "ecs:DescribeTasks"]
    resources = ["${local.ecs}:cluster/berth-*", "${local.ecs}:task/berth-*/*", "${local.ecs}:container-instance/berth-*/*"]
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = var.task_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadPlatformState"
    actions   = ["s3:GetObject"]
    resources = ["${var.state_bucket_arn}/platform/*"]
  }

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [var.state_bucket_arn]
  }

  statement {
    sid       = "Announce"
    actions   = ["lambda:InvokeFunctionUrl"]
    resources = ["${local.arn_prefix}:lambda:${var.aws_region}:${local.account}:function:berth-*-deploy-notifier"]
  }
}

module "deploy_role" {
  source = "git::https://github.com/acme/berth.git//terraform/modules/github-actions-role?ref=v1"

  name              = "shop-cart-github-deploy"
  description       = "Deploys acme/shop-cart's cart service onto Berth"
  oidc_provider_arn = module.github_oidc.oidc_provider_arn
  # acme/shop-cart sets its OIDC subject template to repo, context, job_workflow_ref (as npm run bootstrap does for
  # Berth), so only its jobs running Berth's deploy-service.yml at v1 in these environments get the role.
  subjects = [
    for environment in ["dev", "prod"] :
    "repo:acme/shop-cart:environment:${environment}:job_workflow_ref:acme/berth/.github/workflows/deploy-service.yml@refs/tags/v1"
  ]
  policies = { deploy = data.aws_iam_policy_document.deploy.json }
}
