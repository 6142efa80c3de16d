# The CodeDeploy application and deployment group of a blue/green ECS service: canary traffic shifting between two
# target groups, stopped and rolled back by the service's alarms.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  name                    = "berth-prod-api-gateway"
  cluster_name            = "berth-prod"
  service_name            = "api-gateway"
  production_listener_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/berth-prod/0123456789abcdef/0000000000000080"
  test_listener_arn       = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/berth-prod/0123456789abcdef/0000000000009000"
  blue_target_group_name  = "berth-prod-gateway"
  green_target_group_name = "berth-prod-green"
  alarm_names             = ["berth-prod-api-gateway-5xx", "berth-prod-api-gateway-response-time"]
}

run "canary_with_alarm_rollback" {
  command = plan

  module {
    source = "./ecs-codedeploy"
  }

  assert {
    condition = (
      aws_codedeploy_app.this.compute_platform == "ECS" &&
      aws_codedeploy_deployment_group.this.deployment_config_name == "CodeDeployDefault.ECSCanary10Percent5Minutes" &&
      aws_codedeploy_deployment_group.this.deployment_style[0].deployment_type == "BLUE_GREEN" &&
      aws_codedeploy_deployment_group.this.deployment_style[0].deployment_option == "WITH_TRAFFIC_CONTROL" &&
      aws_codedeploy_deployment_group.this.ecs_service[0].cluster_name == "berth-prod" &&
      aws_codedeploy_deployment_group.this.ecs_service[0].service_name == "api-gateway"
    )
    error_message = "The group deploys the ECS service blue/green as a canary: 10 % for five minutes, then the rest."
  }

  assert {
    condition = (
      aws_codedeploy_deployment_group.this.alarm_configuration[0].enabled &&
      aws_codedeploy_deployment_group.this.alarm_configuration[0].alarms == toset(["berth-prod-api-gateway-5xx", "berth-prod-api-gateway-response-time"]) &&
      aws_codedeploy_deployment_group.this.auto_rollback_configuration[0].enabled &&
      aws_codedeploy_deployment_group.this.auto_rollback_configuration[0].events == toset(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"])
    )
    error_message = "A failed deployment, or one of the service's alarms going off, stops the canary and rolls it back."
  }

  assert {
    condition = (
      aws_codedeploy_deployment_group.this.load_balancer_info[0].target_group_pair_info[0].prod_traffic_route[0].listener_arns == toset([var.production_listener_arn]) &&
      aws_codedeploy_deployment_group.this.load_balancer_info[0].target_group_pair_info[0].test_traffic_route[0].listener_arns == toset([var.test_listener_arn]) &&
      [for group in aws_codedeploy_deployment_group.this.load_balancer_info[0].target_group_pair_info[0].target_group : group.name] == ["berth-prod-gateway", "berth-prod-green"]
    )
    error_message = "CodeDeploy moves the production listener between the blue and the green target group; the test listener fronts green."
  }

  assert {
    condition = (
      aws_codedeploy_deployment_group.this.blue_green_deployment_config[0].terminate_blue_instances_on_deployment_success[0].action == "TERMINATE" &&
      aws_codedeploy_deployment_group.this.blue_green_deployment_config[0].terminate_blue_instances_on_deployment_success[0].termination_wait_time_in_minutes == 5
    )
    error_message = "The old task set stays five minutes after success, then goes."
  }

  assert {
    condition = (
      length(aws_iam_role.codedeploy) == 1 &&
      aws_iam_role_policy_attachment.codedeploy[0].policy_arn == "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS" &&
      output.role_arn == aws_iam_role.codedeploy[0].arn &&
      output.application_name == "berth-prod-api-gateway" && output.deployment_group_name == "berth-prod-api-gateway"
    )
    error_message = "Without role_arn CodeDeploy gets a role with AWS's ECS blue/green policy; the outputs name app and group."
  }
}

run "existing_role" {
  command = plan

  module {
    source = "./ecs-codedeploy"
  }

  variables {
    role_arn = "arn:aws:iam::111122223333:role/LabRole"
  }

  assert {
    condition     = length(aws_iam_role.codedeploy) == 0 && aws_codedeploy_deployment_group.this.service_role_arn == "arn:aws:iam::111122223333:role/LabRole"
    error_message = "With role_arn no role is created and CodeDeploy acts as the given one (AWS Academy)."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./ecs-codedeploy"
  }

  variables {
    name                     = "berth prod"
    green_target_group_name  = "berth-prod-gateway"
    deployment_config_name   = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    alarm_names              = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]
    termination_wait_minutes = 3000
    role_arn                 = "LabRole"
  }

  expect_failures = [
    var.name, var.green_target_group_name, var.deployment_config_name, var.alarm_names, var.termination_wait_minutes,
    var.role_arn,
  ]
}
