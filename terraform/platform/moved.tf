# The monitoring module's alarms were one resource block each and are now one aws_cloudwatch_metric_alarm.this
# built from a map of definitions; these moves keep every existing alarm (same names) instead of recreating it.

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.service_cpu["api-gateway"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["api-gateway-cpu-high"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.service_cpu["product-service"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["product-service-cpu-high"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.service_cpu["inventory-service"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["inventory-service-cpu-high"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.lambda_duration
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["notifier-duration"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.alb_peak_lcus
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["alb-peak-lcus"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.alb_5xx
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["alb-5xx"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.unhealthy_targets
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["gateway-unhealthy-targets"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.gateway_5xx
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["api-gateway-5xx"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.gateway_response_time
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["api-gateway-response-time"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.service_5xx["product-service"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["product-service-5xx"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.service_response_time["product-service"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["product-service-response-time"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.service_5xx["inventory-service"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["inventory-service-5xx"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.service_response_time["inventory-service"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.this["inventory-service-response-time"]
}
