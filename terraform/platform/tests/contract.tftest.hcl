# What every environment must provide, run once per environment with its tfvars:
#   terraform test -var-file=../environments/<env>.tfvars -filter=tests/contract.tftest.hcl -filter=tests/<env>.tftest.hcl

mock_provider "aws" {
  override_during = plan
  source          = "../modules/tests/mocks"
}

# The notifier's addresses come from TF_VAR_ variables in the workflows; the artifact is a stand-in zip.
variables {
  notifier_sender_email     = "deploys@example.com"
  notifier_recipient_emails = "team@example.com, lead@example.com"
  alarm_emails              = "oncall@example.com"
  notifier_artifact_path    = "../modules/tests/fixtures/deploy-notifier.zip"
}

# Plans compute mocked values only where told to (override_during); distinct subnet IDs per tier let the egress
# check below tell public from private subnets.
override_resource {
  target          = module.vpc.aws_subnet.public
  override_during = plan
  values          = { id = "subnet-0public" }
}

override_resource {
  target          = module.vpc.aws_subnet.private
  override_during = plan
  values          = { id = "subnet-0private" }
}

run "contract" {
  command = plan

  # Read by render-task-definition, ecs-rollout, notify-lambda-url and the deploy workflows.
  assert {
    condition = alltrue([
      for value in [
        output.vpc_id, output.public_subnet_ids, output.private_subnet_ids, output.cluster_id, output.cluster_name,
        output.alb_dns, output.ecs_service_names, output.lambda_url, output.execution_role_arn, output.task_role_arn,
        output.log_group_names, output.aws_region, output.dashboard_url, output.database_host, output.database_name,
        output.database_secret_arn, output.cache_endpoint, output.service_connect_namespace,
        output.task_definition_families, output.lambda_function_name, output.alarm_topic_arn,
      ] : value != null && length(value) > 0
    ])
    error_message = "Every output the workflows and the render action read must be set."
  }

  assert {
    condition     = output.database_port == 5432 && output.cache_port == 6379
    error_message = "The services connect to PostgreSQL on 5432 and the cache on 6379."
  }

  assert {
    condition = (
      output.cluster_name == "berth-${var.environment}" &&
      output.service_connect_namespace == "berth-${var.environment}" &&
      output.aws_region == var.aws_region &&
      output.database_name == "berth"
    )
    error_message = "Cluster and Service Connect namespace are berth-<environment>, in the tfvars' region."
  }

  assert {
    condition = (
      output.ecs_service_names == { "api-gateway" = "api-gateway", "product-service" = "product-service", "inventory-service" = "inventory-service" } &&
      output.task_definition_families == { for service in keys(output.ecs_service_names) : service => "berth-${var.environment}-${service}" } &&
      output.log_group_names == { for service in keys(output.ecs_service_names) : service => "/ecs/berth-${var.environment}/${service}" }
    )
    error_message = "Each service has its ECS service, task definition family berth-<env>-<service> and log group /ecs/berth-<env>/<service>."
  }

  assert {
    condition     = output.lambda_url == module.notifier.function_url && output.alarm_topic_arn == module.notifier.alarm_topic_arn
    error_message = "lambda_url and alarm_topic_arn are the notifier's."
  }

  # The seed's three alarms, and every alarm notifying the topic the notifier and the alarm e-mails subscribe to.
  assert {
    condition = alltrue([
      for service in keys(output.ecs_service_names) :
      module.monitoring.alarms["berth-${var.environment}-${service}-cpu-high"].metric == "AWS/ECS/CPUUtilization" &&
      module.monitoring.alarms["berth-${var.environment}-${service}-cpu-high"].threshold == 80 &&
      module.monitoring.alarms["berth-${var.environment}-${service}-cpu-high"].period == 300 &&
      module.monitoring.alarms["berth-${var.environment}-${service}-cpu-high"].evaluation_periods == 5
    ])
    error_message = "Every service has a CPU alarm above 80% for 5 periods of 5 minutes."
  }

  assert {
    condition = (
      module.monitoring.alarms["berth-${var.environment}-notifier-duration"].metric == "AWS/Lambda/Duration" &&
      module.monitoring.alarms["berth-${var.environment}-notifier-duration"].threshold == 1500 &&
      module.monitoring.alarms["berth-${var.environment}-notifier-duration"].period == 300 &&
      module.monitoring.alarms["berth-${var.environment}-notifier-duration"].evaluation_periods == 1
    )
    error_message = "The notifier duration alarm fires above 1,500 ms in 5 minutes."
  }

  assert {
    condition = (
      module.monitoring.alarms["berth-${var.environment}-alb-peak-lcus"].metric == "AWS/ApplicationELB/PeakLCUs" &&
      module.monitoring.alarms["berth-${var.environment}-alb-peak-lcus"].threshold == 8 &&
      module.monitoring.alarms["berth-${var.environment}-alb-peak-lcus"].period == 300 &&
      module.monitoring.alarms["berth-${var.environment}-alb-peak-lcus"].evaluation_periods == 1
    )
    error_message = "The load balancer alarm fires above 8 peak LCUs in 5 minutes."
  }

  assert {
    condition     = alltrue([for alarm in values(module.monitoring.alarms) : alarm.alarm_actions == toset([output.alarm_topic_arn])])
    error_message = "Every alarm notifies the alarm topic."
  }

  # The first deploy runs a placeholder from public.ecr.aws, later ones pull from ECR: tasks need a way out.
  assert {
    condition = (
      output.task_network.assign_public_ip
      ? length(setsubtract(output.task_network.subnet_ids, output.public_subnet_ids)) == 0
      : length(setsubtract(output.task_network.subnet_ids, output.private_subnet_ids)) == 0 && length(module.vpc.nat_gateway_ids) == 1
    )
    error_message = "Tasks must reach image registries: public subnets with public IPs, or private subnets behind a NAT gateway."
  }

  assert {
    condition     = output.execution_role_arn == module.task_roles[0].execution_role_arn && output.task_role_arn == module.task_roles[0].task_role_arn
    error_message = "Without existing role ARNs in the tfvars, the environment's created roles are used."
  }
}
