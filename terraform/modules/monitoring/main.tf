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

# Every alarm, by its name after var.name: what it watches and when it goes off. All compare GreaterThanThreshold,
# treat missing data as not breaching and notify the alarm topic (ok_actions: when it clears, too). A metric-math
# alarm has no metric of its own but queries: one expression (return_data) over the metrics it names.
locals {
  internal_services = { for key, name in var.service_names : key => name if key != var.gateway_service_key }

  # Unset attributes of one alarm; each definition below overrides what it sets.
  alarm_defaults = {
    namespace           = null
    metric_name         = null
    dimensions          = null
    statistic           = null
    extended_statistic  = null
    period              = null
    datapoints_to_alarm = null
    ok_actions          = false
    queries             = []
  }
  alb_dimensions = { LoadBalancer = var.alb_arn_suffix }

  # A metric of a metric-math alarm, summed per period.
  sum_query = { expression = null, label = null, return_data = null }

  alarms = merge(
    {
      for key, service in var.service_names : "${key}-cpu-high" => merge(local.alarm_defaults, {
        description        = "${key} CPU above ${var.cpu_alarm_threshold}% for 25 minutes"
        namespace          = "AWS/ECS"
        metric_name        = "CPUUtilization"
        dimensions         = { ClusterName = var.cluster_name, ServiceName = service }
        statistic          = "Average"
        period             = 300
        evaluation_periods = 5
        threshold          = var.cpu_alarm_threshold
        ok_actions         = true
      })
    },
    {
      "notifier-duration" = merge(local.alarm_defaults, {
        description        = "Notifier took longer than ${var.lambda_duration_threshold_ms} ms"
        namespace          = "AWS/Lambda"
        metric_name        = "Duration"
        dimensions         = { FunctionName = var.lambda_function_name }
        statistic          = "Maximum"
        period             = 300
        evaluation_periods = 1
        threshold          = var.lambda_duration_threshold_ms
      })
      "alb-peak-lcus" = merge(local.alarm_defaults, {
        description        = "Load balancer peak LCUs above ${var.alb_peak_lcu_threshold}"
        namespace          = "AWS/ApplicationELB"
        metric_name        = "PeakLCUs"
        dimensions         = local.alb_dimensions
        statistic          = "Maximum"
        period             = 300
        evaluation_periods = 1
        threshold          = var.alb_peak_lcu_threshold
      })
      "alb-5xx" = merge(local.alarm_defaults, {
        description        = "More than ${var.alb_5xx_threshold} 5xx responses in 5 minutes"
        evaluation_periods = 1
        threshold          = var.alb_5xx_threshold
        queries = [
          { id = "total", expression = "elb + target", label = "5xx responses", return_data = true, metric = null },
          merge(local.sum_query, { id = "elb", metric = { namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_ELB_5XX_Count", dimensions = local.alb_dimensions, period = 300 } }),
          merge(local.sum_query, { id = "target", metric = { namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_Target_5XX_Count", dimensions = local.alb_dimensions, period = 300 } }),
        ]
      })
      "gateway-unhealthy-targets" = merge(local.alarm_defaults, {
        description        = "The gateway target group has unhealthy targets"
        namespace          = "AWS/ApplicationELB"
        metric_name        = "UnHealthyHostCount"
        dimensions         = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
        statistic          = "Maximum"
        period             = 60
        evaluation_periods = 3
        threshold          = 0
        ok_actions         = true
      })
    },
    # Deployment alarms: what a release must not make worse. ECS stops and rolls back a rolling deployment when one
    # goes off (ecs-service's alarms block); CodeDeploy does the same for a blue/green gateway. One-minute periods,
    # two bad minutes out of three, so a canary is judged within its five minutes; rates only from enough requests.
    {
      "${var.gateway_service_key}-5xx" = merge(local.alarm_defaults, {
        description         = "More than ${var.error_rate_threshold_percent}% of ${var.gateway_service_key}'s responses are 5xx (load balancer or targets), from ${var.min_requests_per_minute} requests a minute"
        evaluation_periods  = 3
        datapoints_to_alarm = 2
        threshold           = var.error_rate_threshold_percent
        ok_actions          = true
        queries = concat(
          [{ id = "rate", expression = "IF(requests >= ${var.min_requests_per_minute}, 100 * (FILL(elb, 0) + FILL(target, 0)) / requests, 0)", label = "5xx responses (%)", return_data = true, metric = null }],
          [
            for id, metric in { elb = "HTTPCode_ELB_5XX_Count", requests = "RequestCount", target = "HTTPCode_Target_5XX_Count" } :
            merge(local.sum_query, { id = id, metric = { namespace = "AWS/ApplicationELB", metric_name = metric, dimensions = local.alb_dimensions, period = 60 } })
          ],
        )
      })
      "${var.gateway_service_key}-response-time" = merge(local.alarm_defaults, {
        description         = "${var.gateway_service_key}'s p95 target response time is above ${var.gateway_response_time_threshold_ms} ms"
        namespace           = "AWS/ApplicationELB"
        metric_name         = "TargetResponseTime"
        dimensions          = local.alb_dimensions
        extended_statistic  = "p95"
        period              = 60
        evaluation_periods  = 3
        datapoints_to_alarm = 2
        # The load balancer reports seconds.
        threshold  = var.gateway_response_time_threshold_ms / 1000
        ok_actions = true
      })
    },
    # The internal services' own health, as the Service Connect proxy in front of each of their tasks measures it.
    {
      for key, service in local.internal_services : "${key}-5xx" => merge(local.alarm_defaults, {
        description         = "More than ${var.error_rate_threshold_percent}% of ${key}'s responses are 5xx, from ${var.min_requests_per_minute} requests a minute"
        evaluation_periods  = 3
        datapoints_to_alarm = 2
        threshold           = var.error_rate_threshold_percent
        ok_actions          = true
        queries = concat(
          [{ id = "rate", expression = "IF(requests >= ${var.min_requests_per_minute}, 100 * FILL(errors, 0) / requests, 0)", label = "5xx responses (%)", return_data = true, metric = null }],
          [
            for id, metric in { errors = "HTTPCode_Target_5XX_Count", requests = "RequestCount" } :
            merge(local.sum_query, { id = id, metric = { namespace = "AWS/ECS", metric_name = metric, dimensions = { ClusterName = var.cluster_name, ServiceName = service, DiscoveryName = key }, period = 60 } })
          ],
        )
      })
    },
    {
      for key, service in local.internal_services : "${key}-response-time" => merge(local.alarm_defaults, {
        description         = "${key}'s p95 response time is above ${var.service_response_time_threshold_ms} ms"
        namespace           = "AWS/ECS"
        metric_name         = "TargetResponseTime"
        dimensions          = { ClusterName = var.cluster_name, ServiceName = service, DiscoveryName = key }
        extended_statistic  = "p95"
        period              = 60
        evaluation_periods  = 3
        datapoints_to_alarm = 2
        # Service Connect reports milliseconds.
        threshold  = var.service_response_time_threshold_ms
        ok_actions = true
      })
    },
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints_to_alarm
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = each.value.ok_actions ? [var.alarm_topic_arn] : null

  dynamic "metric_query" {
    for_each = each.value.queries

    content {
      id          = metric_query.value.id
      expression  = metric_query.value.expression
      label       = metric_query.value.label
      return_data = metric_query.value.return_data

      dynamic "metric" {
        for_each = metric_query.value.metric == null ? [] : [metric_query.value.metric]

        content {
          namespace   = metric.value.namespace
          metric_name = metric.value.metric_name
          dimensions  = metric.value.dimensions
          stat        = "Sum"
          period      = metric.value.period
        }
      }
    }
  }
}
