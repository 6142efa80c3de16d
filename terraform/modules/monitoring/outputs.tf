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
    for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_name => {
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
  value = {
    for key in keys(var.service_names) : key => [
      aws_cloudwatch_metric_alarm.this["${key}-5xx"].alarm_name,
      aws_cloudwatch_metric_alarm.this["${key}-response-time"].alarm_name,
    ]
  }
}
