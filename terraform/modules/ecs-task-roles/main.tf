data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Stops another account's tasks from assuming these roles (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name                 = "${var.name_prefix}-execution"
  path                 = "/"
  description          = "Pulls images, writes logs and reads task secrets for ${var.name_prefix}"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
  permissions_boundary = var.permissions_boundary_arn
}

resource "aws_iam_role_policy_attachment" "execution_managed" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  count = length(var.secret_arns) > 0 ? 1 : 0

  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = var.secret_arns
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  count = length(var.secret_arns) > 0 ? 1 : 0

  name   = "read-task-secrets"
  role   = aws_iam_role.execution.name
  policy = data.aws_iam_policy_document.execution_secrets[0].json
}

resource "aws_iam_role" "task" {
  name                 = "${var.name_prefix}-task"
  path                 = "/"
  description          = "Application role of the ${var.name_prefix} tasks"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
  permissions_boundary = var.permissions_boundary_arn
}

# Secrets the application reads itself when it connects (and again after a refused password), not at task start.
# One policy per secret: a secret whose ARN is known only after apply leaves the others readable at plan time.
data "aws_iam_policy_document" "task_secrets" {
  for_each = var.task_secret_arns

  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [each.value]
  }
}

resource "aws_iam_role_policy" "task_secrets" {
  for_each = var.task_secret_arns

  name   = "read-${each.key}"
  role   = aws_iam_role.task.name
  policy = data.aws_iam_policy_document.task_secrets[each.key].json
}

resource "aws_iam_role_policy" "task" {
  count = var.task_policy_json == null ? 0 : 1

  name   = "application"
  role   = aws_iam_role.task.name
  policy = var.task_policy_json
}
