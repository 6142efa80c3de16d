# The role the deploy workflow's build job assumes: it may push images to Berth's repositories and nothing else,
# and only the build workflow's jobs on the listed branches (outside any GitHub environment) may assume it.
data "aws_iam_policy_document" "push" {
  # GetAuthorizationToken has no resource-level permissions.
  statement {
    sid       = "EcrSignIn"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = var.ecr_repository_arns
  }
}

module "role" {
  source = "../github-actions-role"

  name              = var.role_name
  description       = "Builds Berth's service images and pushes them to ECR"
  oidc_provider_arn = var.oidc_provider_arn
  subjects = [
    for branch in var.branches :
    "repo:${var.github_repository}:ref:refs/heads/${branch}:job_workflow_ref:${var.github_repository}/.github/workflows/${var.workflow}@refs/heads/${branch}"
  ]
  max_session_duration = var.max_session_duration
  policies             = { push = data.aws_iam_policy_document.push.json }
  tags                 = { Purpose = "build" }
}
