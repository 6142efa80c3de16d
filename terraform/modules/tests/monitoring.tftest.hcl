# The seed's alarms and dashboard: thresholds, periods and where every alarm notifies.

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
      aws_cloudwatch_metric_alarm.service_cpu[service].namespace == "AWS/ECS" &&
      aws_cloudwatch_metric_alarm.service_cpu[service].metric_name == "CPUUtilization" &&
      aws_cloudwatch_metric_alarm.service_cpu[service].dimensions == tomap({ ClusterName = "berth-dev", ServiceName = service }) &&
      aws_cloudwatch_metric_alarm.service_cpu[service].comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.service_cpu[service].threshold == 80 &&
      aws_cloudwatch_metric_alarm.service_cpu[service].period == 300 &&
      aws_cloudwatch_metric_alarm.service_cpu[service].evaluation_periods == 5
    ])
    error_message = "Every service needs a CPU alarm: above 80% for 5 periods of 5 minutes."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.lambda_duration.namespace == "AWS/Lambda" &&
      aws_cloudwatch_metric_alarm.lambda_duration.metric_name == "Duration" &&
      aws_cloudwatch_metric_alarm.lambda_duration.dimensions == tomap({ FunctionName = "berth-dev-deploy-notifier" }) &&
      aws_cloudwatch_metric_alarm.lambda_duration.comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.lambda_duration.threshold == 1500 &&
      aws_cloudwatch_metric_alarm.lambda_duration.period == 300 &&
      aws_cloudwatch_metric_alarm.lambda_duration.evaluation_periods == 1
    )
    error_message = "The notifier duration alarm fires above 1,500 ms in a 5-minute period."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.alb_peak_lcus.namespace == "AWS/ApplicationELB" &&
      aws_cloudwatch_metric_alarm.alb_peak_lcus.metric_name == "PeakLCUs" &&
      aws_cloudwatch_metric_alarm.alb_peak_lcus.dimensions == tomap({ LoadBalancer = "app/berth-dev/0123456789abcdef" }) &&
      aws_cloudwatch_metric_alarm.alb_peak_lcus.comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.alb_peak_lcus.threshold == 8 &&
      aws_cloudwatch_metric_alarm.alb_peak_lcus.period == 300 &&
      aws_cloudwatch_metric_alarm.alb_peak_lcus.evaluation_periods == 1
    )
    error_message = "The load balancer alarm fires above 8 peak LCUs in a 5-minute period."
  }

  assert {
    condition = alltrue([
      for alarm in concat(values(aws_cloudwatch_metric_alarm.service_cpu), [
        aws_cloudwatch_metric_alarm.lambda_duration,
        aws_cloudwatch_metric_alarm.alb_peak_lcus,
        aws_cloudwatch_metric_alarm.alb_5xx,
        aws_cloudwatch_metric_alarm.unhealthy_targets,
      ]) : alarm.alarm_actions == toset([var.alarm_topic_arn])
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

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./monitoring"
  }

  variables {
    region              = "global"
    cpu_alarm_threshold = 120
  }

  expect_failures = [var.region, var.cpu_alarm_threshold]
}
