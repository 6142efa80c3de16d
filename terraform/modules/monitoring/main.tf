locals {
  region = var.region
  alb    = ["LoadBalancer", var.alb_arn_suffix]

  ecs_widgets = [
    for metric in ["CPUUtilization", "MemoryUtilization"] : {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title  = "ECS ${metric} per service"
        region = local.region
        stat   = "Average"
        period = 300
        metrics = [
          for key, service in var.service_names : ["AWS/ECS", metric, "ClusterName", var.cluster_name, "ServiceName", service, { label = key }]
        ]
      }
    }
  ]

  alb_widgets = [
    for widget in [
      { title = "ALB peak LCUs", stat = "Maximum", metrics = ["PeakLCUs"] },
      { title = "ALB connections", stat = "Sum", metrics = ["NewConnectionCount", "ActiveConnectionCount"] },
      { title = "ALB processed bytes", stat = "Sum", metrics = ["ProcessedBytes"] },
      { title = "ALB HTTP 4xx and 5xx", stat = "Sum", metrics = ["HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count"] },
      { title = "ALB target response time", stat = "Average", metrics = ["TargetResponseTime"] },
      ] : {
      type   = "metric"
      width  = 8
      height = 6
      properties = {
        title   = widget.title
        region  = local.region
        stat    = widget.stat
        period  = 300
        metrics = [for metric in widget.metrics : concat(["AWS/ApplicationELB", metric], local.alb)]
      }
    }
  ]

  notifier = ["FunctionName", var.lambda_function_name]
  lambda_widgets = [
    for widget in [
      { title = "Notifier invocations and errors", stat = "Sum", metrics = [for metric in ["Invocations", "Errors", "Throttles"] : concat(["AWS/Lambda", metric], local.notifier)] },
      { title = "Notifier duration", stat = "Maximum", metrics = [concat(["AWS/Lambda", "Duration"], local.notifier)] },
      { title = "Notifier Function URL latency", stat = "Average", metrics = [concat(["AWS/Lambda", "UrlRequestLatency"], local.notifier)] },
      { title = "Notifier concurrency", stat = "Maximum", metrics = [concat(["AWS/Lambda", "ConcurrentExecutions"], local.notifier)] },
      # Account-wide: concurrent executions of functions without reserved concurrency, which share one pool with the notifier.
      { title = "Lambda unreserved concurrency (account)", stat = "Maximum", metrics = [["AWS/Lambda", "UnreservedConcurrentExecutions"]] },
      ] : {
      type   = "metric"
      width  = 8
      height = 6
      properties = {
        title   = widget.title
        region  = local.region
        stat    = widget.stat
        period  = 300
        metrics = widget.metrics
      }
    }
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = concat(local.ecs_widgets, local.alb_widgets, local.lambda_widgets) })
}

resource "aws_cloudwatch_metric_alarm" "service_cpu" {
  for_each = var.service_names

  alarm_name          = "${var.name}-${each.key}-cpu-high"
  alarm_description   = "${each.key} CPU above ${var.cpu_alarm_threshold}% for 25 minutes"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = { ClusterName = var.cluster_name, ServiceName = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 5
  threshold           = var.cpu_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "lambda_duration" {
  alarm_name          = "${var.name}-notifier-duration"
  alarm_description   = "Notifier took longer than ${var.lambda_duration_threshold_ms} ms"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = var.lambda_function_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.lambda_duration_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "alb_peak_lcus" {
  alarm_name          = "${var.name}-alb-peak-lcus"
  alarm_description   = "Load balancer peak LCUs above ${var.alb_peak_lcu_threshold}"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "PeakLCUs"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alb_peak_lcu_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${var.name}-alb-5xx"
  alarm_description   = "More than ${var.alb_5xx_threshold} 5xx responses in 5 minutes"
  evaluation_periods  = 1
  threshold           = var.alb_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]

  metric_query {
    id          = "total"
    expression  = "elb + target"
    label       = "5xx responses"
    return_data = true
  }

  metric_query {
    id = "elb"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "target"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  alarm_name          = "${var.name}-gateway-unhealthy-targets"
  alarm_description   = "The gateway target group has unhealthy targets"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

# Deployment alarms: what a release must not make worse. ECS stops and rolls back a rolling deployment when one
# goes off (ecs-service's alarms block); CodeDeploy does the same for a blue/green gateway. One-minute periods, two
# bad minutes out of three, so a canary is judged within its five minutes; rates only from enough requests.
locals {
  internal_services = { for key, name in var.service_names : key => name if key != var.gateway_service_key }
}

resource "aws_cloudwatch_metric_alarm" "gateway_5xx" {
  alarm_name          = "${var.name}-${var.gateway_service_key}-5xx"
  alarm_description   = "More than ${var.error_rate_threshold_percent}% of ${var.gateway_service_key}'s responses are 5xx (load balancer or targets), from ${var.min_requests_per_minute} requests a minute"
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.error_rate_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  metric_query {
    id          = "rate"
    expression  = "IF(requests >= ${var.min_requests_per_minute}, 100 * (FILL(elb, 0) + FILL(target, 0)) / requests, 0)"
    label       = "5xx responses (%)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { requests = "RequestCount", elb = "HTTPCode_ELB_5XX_Count", target = "HTTPCode_Target_5XX_Count" }

    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = { LoadBalancer = var.alb_arn_suffix }
        stat        = "Sum"
        period      = 60
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "gateway_response_time" {
  alarm_name          = "${var.name}-${var.gateway_service_key}-response-time"
  alarm_description   = "${var.gateway_service_key}'s p95 target response time is above ${var.gateway_response_time_threshold_ms} ms"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  extended_statistic  = "p95"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  # The load balancer reports seconds.
  threshold           = var.gateway_response_time_threshold_ms / 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

# The internal services' own health, as the Service Connect proxy in front of each of their tasks measures it.
resource "aws_cloudwatch_metric_alarm" "service_5xx" {
  for_each = local.internal_services

  alarm_name          = "${var.name}-${each.key}-5xx"
  alarm_description   = "More than ${var.error_rate_threshold_percent}% of ${each.key}'s responses are 5xx, from ${var.min_requests_per_minute} requests a minute"
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.error_rate_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  metric_query {
    id          = "rate"
    expression  = "IF(requests >= ${var.min_requests_per_minute}, 100 * FILL(errors, 0) / requests, 0)"
    label       = "5xx responses (%)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { requests = "RequestCount", errors = "HTTPCode_Target_5XX_Count" }

    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ECS"
        metric_name = metric_query.value
        dimensions  = { ClusterName = var.cluster_name, ServiceName = each.value, DiscoveryName = each.key }
        stat        = "Sum"
        period      = 60
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "service_response_time" {
  for_each = local.internal_services

  alarm_name          = "${var.name}-${each.key}-response-time"
  alarm_description   = "${each.key}'s p95 response time is above ${var.service_response_time_threshold_ms} ms"
  namespace           = "AWS/ECS"
  metric_name         = "TargetResponseTime"
  dimensions          = { ClusterName = var.cluster_name, ServiceName = each.value, DiscoveryName = each.key }
  extended_statistic  = "p95"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  # Service Connect reports milliseconds.
  threshold           = var.service_response_time_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}
