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
        output.alb_dns, output.ecs_service_names, output.lambda_url, output.execution_role_arns, output.task_role_arns,
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
    condition = (
      keys(output.execution_role_arns) == keys(local.services) && keys(output.task_role_arns) == keys(local.services) &&
      alltrue([
        for name, service in module.service :
        length(service.roles) == 1 &&
        output.execution_role_arns[name] == service.roles[0].execution_role_arn && output.task_role_arns[name] == service.roles[0].task_role_arn
      ])
    )
    error_message = "Without existing role ARNs in the tfvars, each service runs as the execution and task roles created for it, which the outputs name per service."
  }

  # Release safety, in every environment: each service's deployments are stopped and rolled back by its own alarms
  # (through ECS for a rolling service, through CodeDeploy for a blue/green gateway), and the notifier is released
  # behind its live alias by a CodeDeploy canary.

  assert {
    condition = alltrue([
      for service in keys(output.ecs_service_names) :
      jsonencode(output.deployment_alarm_names[service]) == jsonencode(["berth-${var.environment}-${service}-5xx", "berth-${var.environment}-${service}-response-time"]) &&
      jsonencode(output.deployment_alarm_names[service]) == jsonencode(
        output.deployment_controllers[service] == "ECS" ? module.service[service].deployment_alarm_names : module.gateway_codedeploy[0].alarm_names
      )
    ])
    error_message = "Every service's 5xx and response-time alarms stop its deployments: ECS's alarms block, or the CodeDeploy group."
  }

  assert {
    condition = alltrue([
      for name in flatten(values(output.deployment_alarm_names)) : contains(keys(module.monitoring.alarms), name)
    ])
    error_message = "The deployment alarms exist (and, like every alarm, notify the alarm topic)."
  }

  assert {
    condition = (
      output.deployment_controllers["product-service"] == "ECS" && output.deployment_controllers["inventory-service"] == "ECS" &&
      output.deployment_controllers["api-gateway"] == var.gateway_deployment_controller &&
      jsonencode(keys(output.ecs_codedeploy)) == jsonencode(var.gateway_deployment_controller == "CODE_DEPLOY" ? ["api-gateway"] : [])
    )
    error_message = "Only the gateway may be blue/green, as its tfvars say; ecs_codedeploy lists exactly the CODE_DEPLOY services."
  }

  assert {
    condition = jsonencode(output.notifier_deployment) == jsonencode({
      function_name          = "berth-${var.environment}-deploy-notifier"
      alias                  = "live"
      application            = "berth-${var.environment}-deploy-notifier"
      deployment_group       = "berth-${var.environment}-deploy-notifier-live"
      deployment_config_name = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
      alarm_names            = ["berth-${var.environment}-notifier-live-errors", "berth-${var.environment}-notifier-live-duration"]
    })
    error_message = "The notifier is released through its live alias by a 10 % canary rolled back on its Errors and Duration alarms."
  }

  assert {
    condition     = jsonencode(keys(output.service_urls)) == jsonencode(["inventory-service", "product-service"])
    error_message = "The gateway's task definition reads the URLs of both internal services."
  }

  # Access, in every environment: the gateway is the only service the load balancer reaches, the internal services
  # answer the gateway only, and each role reads exactly the secrets its tasks use.

  # Group IDs known while planning, so the groups can be told apart.
  override_resource {
    target          = module.security_groups.aws_security_group.gateway
    override_during = plan
    values          = { id = "sg-0gateway" }
  }

  override_resource {
    target          = module.security_groups.aws_security_group.services
    override_during = plan
    values          = { id = "sg-0services" }
  }

  assert {
    condition = (
      toset(module.service["api-gateway"].network_configuration.security_group_ids) == toset([module.security_groups.gateway_security_group_id]) &&
      alltrue([
        for name in ["product-service", "inventory-service"] :
        toset(module.service[name].network_configuration.security_group_ids) == toset([module.security_groups.services_security_group_id])
      ]) &&
      module.security_groups.gateway_security_group_id == "sg-0gateway"
    )
    error_message = "The gateway runs in its own security group; the internal services in theirs, which admits only the gateway."
  }

  assert {
    condition = jsonencode({ for name, service in module.service : name => service.roles[0].secret_access }) == jsonencode({
      "api-gateway" = {
        execution = ["arn:aws:secretsmanager:${var.aws_region}:${data.aws_caller_identity.current.account_id}:secret:berth-${var.environment}-api-tokens-??????"]
        task      = {}
      }
      "inventory-service" = {
        execution = [module.database.master_user_secret_arn]
        task = {
          "database-user" = "arn:aws:secretsmanager:${var.aws_region}:${data.aws_caller_identity.current.account_id}:secret:berth-${var.environment}-inventory-service-database-??????"
        }
      }
      "product-service" = {
        execution = [module.database.master_user_secret_arn]
        task = {
          "database-user" = "arn:aws:secretsmanager:${var.aws_region}:${data.aws_caller_identity.current.account_id}:secret:berth-${var.environment}-product-service-database-??????"
        }
      }
    })
    error_message = "Each service's roles read its own secrets only: the gateway's execution role the API tokens it injects, an internal service's execution role the owner it injects into the migrate container, its task role its own database user alone."
  }

  assert {
    condition = alltrue([
      for name, service in module.service :
      service.roles[0].role_names == { execution = "berth-${var.environment}-${name}-execution", task = "berth-${var.environment}-${name}-task" }
    ])
    error_message = "The roles are named <project>-<env>-<service>-execution and -task, the names the deploy role may pass."
  }

  # What the bootstrap task definitions carry, by the names of services/<name>/task-definition.json.
  assert {
    condition = (
      jsonencode(local.service_secrets) == jsonencode({
        "api-gateway"       = { API_TOKENS = output.api_tokens_secret_arn }
        "inventory-service" = {}
        "product-service"   = {}
      }) &&
      local.service_environment["api-gateway"].CORS_ORIGINS == output.cors_origins &&
      local.service_environment["api-gateway"].TRUSTED_PROXIES == "1" &&
      length(setintersection(keys(local.service_environment["api-gateway"]), ["PGHOST", "DB_SECRET_ARN", "DB_OWNER_SECRET_ARN"])) == 0
    )
    error_message = "The gateway gets API_TOKENS from its secret, CORS_ORIGINS and the load balancer as trusted proxy, and nothing of the database."
  }

  assert {
    condition = alltrue([
      for name in ["product-service", "inventory-service"] :
      local.service_environment[name].DB_SECRET_ARN == output.database_user_secret_arns[name] &&
      local.service_environment[name].PGSSLMODE == "verify-full" &&
      local.service_environment[name].PGHOST == output.database_host &&
      length(setintersection(keys(local.service_environment[name]), ["PGUSER", "PGPASSWORD", "DB_OWNER_SECRET_ARN", "DB_OWNER_USER", "DB_OWNER_PASSWORD"])) == 0
    ])
    error_message = "Each internal service reads its own user's secret at connect time, over verified TLS; no password and nothing of the owner is among its settings."
  }

  assert {
    condition = (
      data.aws_secretsmanager_secret.api_tokens.name == "berth-${var.environment}-api-tokens" &&
      jsonencode(keys(output.database_user_secret_arns)) == jsonencode(["inventory-service", "product-service"]) &&
      data.aws_secretsmanager_secret.database_user["product-service"].name == "berth-${var.environment}-product-service-database" &&
      data.aws_secretsmanager_secret.database_user["inventory-service"].name == "berth-${var.environment}-inventory-service-database" &&
      local.database_users["product-service"] == "product_service" &&
      local.database_users["inventory-service"] == "inventory_service" &&
      local.secret_arn_patterns.api_tokens == "arn:aws:secretsmanager:${var.aws_region}:${data.aws_caller_identity.current.account_id}:secret:berth-${var.environment}-api-tokens-??????"
    )
    error_message = "The platform looks up the tokens and each internal service's database user (product_service, inventory_service) by the names terraform/secrets gives them, and grants each by its ARN pattern alone."
  }

  assert {
    condition     = module.database.tls.force_ssl
    error_message = "The database refuses connections without TLS (rds.force_ssl)."
  }

  # The edge, in every environment: the web ACL in front of the load balancer, HTTPS wherever a domain is given.

  assert {
    condition = (
      output.web_acl_arn != null &&
      module.edge.protected_resource_arn == module.alb.arn &&
      module.edge.waf_rules["rate-limit-per-address"].priority == 0 &&
      module.edge.waf_rules["rate-limit-per-address"].rate_limit == var.waf_rate_limit &&
      module.edge.waf_rules["aws-common-rule-set"].managed_rule_group == "AWS/AWSManagedRulesCommonRuleSet"
    )
    error_message = "Every environment's load balancer sits behind the web ACL: the per-address rate limit first, then AWS's common rules."
  }

  assert {
    condition = (
      module.edge.https_enabled == (var.domain_name != null) &&
      output.public_url == (var.domain_name != null ? "https://${var.domain_name}" : "http://${output.alb_dns}")
    )
    error_message = "An environment with a domain serves HTTPS on it; one without serves HTTP on the load balancer's name."
  }
}
