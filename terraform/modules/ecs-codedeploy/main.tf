data "aws_partition" "current" {}

locals {
  # Accounts that may not create IAM roles (AWS Academy's LabRole) hand in the role CodeDeploy acts as.
  create_role = var.role_arn == null
  role_arn    = local.create_role ? aws_iam_role.codedeploy[0].arn : var.role_arn
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  count = local.create_role ? 1 : 0

  name                 = "${var.name}-codedeploy"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = var.permissions_boundary_arn
}

# AWS's policy for ECS blue/green: manage task sets, swap listener targets, read the alarms, invoke hook functions
# named CodeDeployHook_*.
resource "aws_iam_role_policy_attachment" "codedeploy" {
  count = local.create_role ? 1 : 0

  role       = aws_iam_role.codedeploy[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSCodeDeployRoleForECS"
}

resource "aws_codedeploy_app" "this" {
  name             = var.name
  compute_platform = "ECS"
}

resource "aws_codedeploy_deployment_group" "this" {
  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = var.name
  service_role_arn       = local.role_arn
  deployment_config_name = var.deployment_config_name

  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }

  ecs_service {
    cluster_name = var.cluster_name
    service_name = var.service_name
  }

  blue_green_deployment_config {
    deployment_ready_option {
      action_on_timeout = "CONTINUE_DEPLOYMENT"
    }

    terminate_blue_instances_on_deployment_success {
      action                           = "TERMINATE"
      termination_wait_time_in_minutes = var.termination_wait_minutes
    }
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [var.production_listener_arn]
      }

      test_traffic_route {
        listener_arns = [var.test_listener_arn]
      }

      target_group {
        name = var.blue_target_group_name
      }

      target_group {
        name = var.green_target_group_name
      }
    }
  }

  # A deployment stops as soon as one of these alarms is in ALARM, and rolls back.
  alarm_configuration {
    enabled = length(var.alarm_names) > 0
    alarms  = var.alarm_names
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }

  depends_on = [aws_iam_role_policy_attachment.codedeploy]
}
