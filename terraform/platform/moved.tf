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

# The notifier's sender identity moved from SES v1 (aws_ses_email_identity, which IAM cannot scope) to SES v2
# (aws_sesv2_email_identity). Another resource type cannot be `moved`: the old entry leaves the state without
# deleting the identity (deleting it would undo its verification), and the new resource imports the same identity
# where it exists (notifier_adopt_sender_identity = true), so no verification mail is sent again.
removed {
  from = module.notifier.aws_ses_email_identity.sender

  lifecycle {
    destroy = false
  }
}

import {
  for_each = var.notifier_adopt_sender_identity ? toset([var.notifier_sender_email]) : toset([])
  to       = module.notifier.aws_sesv2_email_identity.sender
  id       = each.value
}

# The generated secrets moved to terraform/secrets (a refresh of their versions reads the value, which the plan role
# must not): this root forgets them without deleting them, and terraform/secrets imports the secrets with their values
# (adopted_secret_names; docs/runbook.md, "Generated secrets move to terraform/secrets").
removed {
  from = module.api_tokens

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.database_user_secret

  lifecycle {
    destroy = false
  }
}
