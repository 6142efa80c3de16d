# The seed's alarms and dashboard: thresholds, periods and where every alarm notifies; and the deployment alarms
# that stop a release: the gateway's 5xx rate and response time, and each internal service's own.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                    = "berth-dev"
  region                  = "us-east-1"
  cluster_name            = "berth-dev"
  service_names           = { "api-gateway" = "api-gateway", "product-service" = "product-service", "inventory-service" = "inventory-service" }
  alb_arn_suffix          = "app/berth-dev/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/berth-dev-gateway/0123456789abcdef"
  lambda_function_name    = "berth-dev-deploy-notifier"
  alarm_topic_arn         = "arn:aws:sns:us-east-1:111122223333:berth-dev-alarms"
}

run "alarms_and_dashboard" {
  command = plan

  module {
    source = "./monitoring"
  }

  assert {
    condition = alltrue([
      for service in ["api-gateway", "product-service", "inventory-service"] :
      aws_cloudwatch_metric_alarm.this["${service}-cpu-high"].namespace == "AWS/ECS" &&
      aws_cloudwatch_metric_alarm.this["${service}-cpu-high"].metric_name == "CPUUtilization" &&
      aws_cloudwatch_metric_alarm.this["${service}-cpu-high"].dimensions == tomap({ ClusterName = "berth-dev", ServiceName = service }) &&
      aws_cloudwatch_metric_alarm.this["${service}-cpu-high"].comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.this["${service}-cpu-high"].threshold == 80 &&
      aws_cloudwatch_metric_alarm.this["${service}-cpu-high"].period == 300 &&
      aws_cloudwatch_metric_alarm.this["${service}-cpu-high"].evaluation_periods == 5
    ])
    error_message = "Every service needs a CPU alarm: above 80% for 5 periods of 5 minutes."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["notifier-duration"].namespace == "AWS/Lambda" &&
      aws_cloudwatch_metric_alarm.this["notifier-duration"].metric_name == "Duration" &&
      aws_cloudwatch_metric_alarm.this["notifier-duration"].dimensions == tomap({ FunctionName = "berth-dev-deploy-notifier" }) &&
      aws_cloudwatch_metric_alarm.this["notifier-duration"].comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.this["notifier-duration"].threshold == 1500 &&
      aws_cloudwatch_metric_alarm.this["notifier-duration"].period == 300 &&
      aws_cloudwatch_metric_alarm.this["notifier-duration"].evaluation_periods == 1
    )
    error_message = "The notifier duration alarm fires above 1,500 ms in a 5-minute period."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["alb-peak-lcus"].namespace == "AWS/ApplicationELB" &&
      aws_cloudwatch_metric_alarm.this["alb-peak-lcus"].metric_name == "PeakLCUs" &&
      aws_cloudwatch_metric_alarm.this["alb-peak-lcus"].dimensions == tomap({ LoadBalancer = "app/berth-dev/0123456789abcdef" }) &&
      aws_cloudwatch_metric_alarm.this["alb-peak-lcus"].comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.this["alb-peak-lcus"].threshold == 8 &&
      aws_cloudwatch_metric_alarm.this["alb-peak-lcus"].period == 300 &&
      aws_cloudwatch_metric_alarm.this["alb-peak-lcus"].evaluation_periods == 1
    )
    error_message = "The load balancer alarm fires above 8 peak LCUs in a 5-minute period."
  }

  assert {
    condition = alltrue([
      for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_actions == toset([var.alarm_topic_arn])
    ])
    error_message = "Every alarm notifies the alarm topic."
  }

  assert {
    condition = alltrue([
      for metric in ["CPUUtilization", "MemoryUtilization", "PeakLCUs", "TargetResponseTime", "Invocations", "Errors", "Duration", "ConcurrentExecutions", "UnreservedConcurrentExecutions", "UrlRequestLatency"] :
      contains(flatten([for widget in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for line in widget.properties.metrics : line[1]]]), metric)
    ])
    error_message = "The dashboard shows ECS CPU and memory, ALB LCUs and latency, and the notifier's invocations, errors, duration, concurrency, unreserved concurrency and Function URL latency."
  }

  assert {
    condition = anytrue([
      for widget in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : anytrue([
        for line in widget.properties.metrics : line[1] == "UrlRequestLatency" && contains(line, "berth-dev-deploy-notifier")
      ])
    ])
    error_message = "The Function URL latency widget reads the notifier's UrlRequestLatency."
  }

  assert {
    condition     = output.dashboard_url == "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/berth-dev"
    error_message = "The dashboard URL points at the environment's region and dashboard."
  }
}

run "deployment_alarms" {
  command = plan

  module {
    source = "./monitoring"
  }

  assert {
    condition = output.deployment_alarm_names == {
      "api-gateway"       = ["berth-dev-api-gateway-5xx", "berth-dev-api-gateway-response-time"]
      "product-service"   = ["berth-dev-product-service-5xx", "berth-dev-product-service-response-time"]
      "inventory-service" = ["berth-dev-inventory-service-5xx", "berth-dev-inventory-service-response-time"]
    }
    error_message = "Every service has two deployment alarms: its 5xx rate and its response time."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["api-gateway-5xx"].threshold == 5 &&
      aws_cloudwatch_metric_alarm.this["api-gateway-5xx"].evaluation_periods == 3 &&
      aws_cloudwatch_metric_alarm.this["api-gateway-5xx"].datapoints_to_alarm == 2 &&
      [for q in aws_cloudwatch_metric_alarm.this["api-gateway-5xx"].metric_query : q.expression if q.return_data == true] == ["IF(requests >= 20, 100 * (FILL(elb, 0) + FILL(target, 0)) / requests, 0)"] &&
      alltrue([
        for q in aws_cloudwatch_metric_alarm.this["api-gateway-5xx"].metric_query :
        q.metric[0].namespace == "AWS/ApplicationELB" && q.metric[0].period == 60 && q.metric[0].stat == "Sum" &&
        q.metric[0].dimensions == tomap({ LoadBalancer = "app/berth-dev/0123456789abcdef" }) if length(q.metric) > 0
      ]) &&
      toset([for q in aws_cloudwatch_metric_alarm.this["api-gateway-5xx"].metric_query : q.metric[0].metric_name if length(q.metric) > 0]) == toset(["RequestCount", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"])
    )
    error_message = "The gateway's 5xx alarm fires when over 5 % of a minute's responses (of at least 20) are 5xx, two minutes of three, on the whole load balancer (both blue/green target groups)."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["api-gateway-response-time"].metric_name == "TargetResponseTime" &&
      aws_cloudwatch_metric_alarm.this["api-gateway-response-time"].extended_statistic == "p95" &&
      aws_cloudwatch_metric_alarm.this["api-gateway-response-time"].threshold == 1 &&
      aws_cloudwatch_metric_alarm.this["api-gateway-response-time"].period == 60 &&
      aws_cloudwatch_metric_alarm.this["api-gateway-response-time"].dimensions == tomap({ LoadBalancer = "app/berth-dev/0123456789abcdef" })
    )
    error_message = "The gateway's response time alarm fires when its p95 exceeds 1 s (the load balancer reports seconds)."
  }

  assert {
    condition = alltrue([
      for service in ["product-service", "inventory-service"] :
      aws_cloudwatch_metric_alarm.this["${service}-response-time"].namespace == "AWS/ECS" &&
      aws_cloudwatch_metric_alarm.this["${service}-response-time"].extended_statistic == "p95" &&
      aws_cloudwatch_metric_alarm.this["${service}-response-time"].threshold == 500 &&
      aws_cloudwatch_metric_alarm.this["${service}-response-time"].dimensions == tomap({ ClusterName = "berth-dev", ServiceName = service, DiscoveryName = service }) &&
      alltrue([
        for q in aws_cloudwatch_metric_alarm.this["${service}-5xx"].metric_query :
        q.metric[0].namespace == "AWS/ECS" &&
        q.metric[0].dimensions == tomap({ ClusterName = "berth-dev", ServiceName = service, DiscoveryName = service }) if length(q.metric) > 0
      ])
    ])
    error_message = "Each internal service's alarms read its Service Connect metrics: 5xx rate and p95 response time (ms)."
  }

  assert {
    condition     = alltrue([for q in aws_cloudwatch_metric_alarm.this["api-gateway-5xx"].metric_query : q.metric[0].namespace == "AWS/ApplicationELB" if length(q.metric) > 0])
    error_message = "The gateway's own alarms come from the load balancer, not Service Connect."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./monitoring"
  }

  variables {
    region                             = "global"
    cpu_alarm_threshold                = 120
    gateway_service_key                = "web"
    error_rate_threshold_percent       = 100
    min_requests_per_minute            = 0
    gateway_response_time_threshold_ms = 0
    service_response_time_threshold_ms = -1
  }

  expect_failures = [
    var.region, var.cpu_alarm_threshold, var.gateway_service_key, var.error_rate_threshold_percent,
    var.min_requests_per_minute, var.gateway_response_time_threshold_ms, var.service_response_time_threshold_ms,
  ]
}
