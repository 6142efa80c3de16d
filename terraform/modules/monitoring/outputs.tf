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
      ]) : alarm.alarm_name => {
      metric             = alarm.metric_name == null ? "expression" : "${alarm.namespace}/${alarm.metric_name}"
      threshold          = alarm.threshold
      period             = alarm.period
      evaluation_periods = alarm.evaluation_periods
      alarm_actions      = alarm.alarm_actions
    }
  }
}
