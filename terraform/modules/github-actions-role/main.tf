data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  github_host = "token.actions.githubusercontent.com"
  # Written out rather than read from the resources, so plans (and `npm run iam:policies`) know them before apply.
  iam_arn_prefix = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}"
  role_arn       = "${local.iam_arn_prefix}:role/${var.name}"
  policy_arns    = { for key in keys(var.policies) : key => "${local.iam_arn_prefix}:policy/${var.name}-${key}" }
}

# Exact subjects (StringEquals): a job is trusted for the environment or branch, the workflow file and the ref it
# names and nothing else, so another branch, workflow, environment, repository or a tag never matches. Pull
# requests only through subject_patterns, whose one wildcard is the pull request number.
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = length(var.subjects) > 0 ? [var.subjects] : []

    content {
      sid     = "GitHubJobs"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [var.oidc_provider_arn]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.github_host}:aud"
        values   = ["sts.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.github_host}:sub"
        values   = statement.value
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.subject_patterns) > 0 ? [var.subject_patterns] : []

    content {
      sid     = "GitHubPullRequests"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [var.oidc_provider_arn]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.github_host}:aud"
        values   = ["sts.amazonaws.com"]
      }

      condition {
        test     = "StringLike"
        variable = "${local.github_host}:sub"
        values   = statement.value
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = var.description
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

# Managed policies rather than inline ones: a role's inline policies share one 10,240-character quota, while
# each managed policy has 6,144 characters of its own.
resource "aws_iam_policy" "this" {
  for_each = var.policies

  name        = "${var.name}-${each.key}"
  description = "${each.key} permissions of ${var.name}"
  policy      = each.value
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.policies

  role       = aws_iam_role.this.name
  policy_arn = local.policy_arns[each.key]

  depends_on = [aws_iam_policy.this]
}
