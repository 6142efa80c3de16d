output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_url" {
  description = "Console URL of the dashboard."
  value       = "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.this.dashboard_name}"
}

output "alarms" {
  description = "Every alarm by name: the metric it watches (namespace/metric, or expression for metric math), threshold, period, evaluation periods and the topics it notifies."
  value = {
    for alarm in concat(values(aws_cloudwatch_metric_alarm.service_cpu), [
      aws_cloudwatch_metric_alarm.lambda_duration,
      aws_cloudwatch_metric_alarm.alb_peak_lcus,
      aws_cloudwatch_metric_alarm.alb_5xx,
      aws_cloudwatch_metric_alarm.unhealthy_targets,
      aws_cloudwatch_metric_alarm.gateway_5xx,
      aws_cloudwatch_metric_alarm.gateway_response_time,
      ], values(aws_cloudwatch_metric_alarm.service_5xx), values(aws_cloudwatch_metric_alarm.service_response_time)) : alarm.alarm_name => {
      metric             = alarm.metric_name == null ? "expression" : "${alarm.namespace}/${alarm.metric_name}"
      threshold          = alarm.threshold
      period             = alarm.period
      evaluation_periods = alarm.evaluation_periods
      alarm_actions      = alarm.alarm_actions
    }
  }
}

output "deployment_alarm_names" {
  description = "Per service key, the alarms that stop and roll back its deployments: 5xx rate and p95 response time."
  value = merge(
    {
      (var.gateway_service_key) = [
        aws_cloudwatch_metric_alarm.gateway_5xx.alarm_name,
        aws_cloudwatch_metric_alarm.gateway_response_time.alarm_name,
      ]
    },
    {
      for key in keys(local.internal_services) : key => [
        aws_cloudwatch_metric_alarm.service_5xx[key].alarm_name,
        aws_cloudwatch_metric_alarm.service_response_time[key].alarm_name,
      ]
    },
  )
}
