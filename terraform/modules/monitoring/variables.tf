variable "name" {
  type        = string
  description = "Dashboard name and alarm name prefix."
}

variable "region" {
  type        = string
  description = "AWS region of the provider (dashboard widgets and its console URL). Passed in rather than read from data.aws_region, whose attribute is name in provider v5 and region in v6."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, the provider's region."
  }
}

variable "cluster_name" {
  type        = string
  description = "ECS cluster of the services."
}

variable "service_names" {
  type        = map(string)
  description = "Map of service key to ECS service name."
}

variable "alb_arn_suffix" {
  type        = string
  description = "LoadBalancer dimension of the ALB metrics."
}

variable "target_group_arn_suffix" {
  type        = string
  description = "TargetGroup dimension of the gateway target group."
}

variable "lambda_function_name" {
  type        = string
  description = "Notifier function whose metrics are shown."
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic every alarm notifies."
}

variable "cpu_alarm_threshold" {
  type        = number
  description = "ECS service CPU percentage that, held for five 5-minute periods, raises an alarm."
  default     = 80

  validation {
    condition     = var.cpu_alarm_threshold > 0 && var.cpu_alarm_threshold <= 100
    error_message = "cpu_alarm_threshold must be a percentage (1-100)."
  }
}

variable "lambda_duration_threshold_ms" {
  type        = number
  description = "Notifier duration in milliseconds that raises an alarm."
  default     = 1500
}

variable "alb_peak_lcu_threshold" {
  type        = number
  description = "Peak load balancer capacity units in 5 minutes that raise an alarm."
  default     = 8
}

variable "alb_5xx_threshold" {
  type        = number
  description = "5xx responses (load balancer plus targets) in 5 minutes that raise an alarm."
  default     = 10
}

variable "gateway_service_key" {
  type        = string
  description = "Key in service_names of the service behind the load balancer; its deployment alarms read the load balancer's metrics, the others' read Service Connect's."
  default     = "api-gateway"

  validation {
    condition     = contains(keys(var.service_names), var.gateway_service_key)
    error_message = "gateway_service_key must be one of the keys of service_names."
  }
}

variable "error_rate_threshold_percent" {
  type        = number
  description = "Share of 5xx responses (percent, per minute, two minutes out of three) that makes a service's deployment alarm go off."
  default     = 5

  validation {
    condition     = var.error_rate_threshold_percent > 0 && var.error_rate_threshold_percent < 100
    error_message = "error_rate_threshold_percent must be a percentage above 0 and below 100."
  }
}

variable "min_requests_per_minute" {
  type        = number
  description = "Requests a minute below which the 5xx rate counts as 0, so a handful of requests cannot roll a release back."
  default     = 20

  validation {
    condition     = var.min_requests_per_minute >= 1
    error_message = "min_requests_per_minute must be at least 1."
  }
}

variable "gateway_response_time_threshold_ms" {
  type        = number
  description = "p95 target response time of the gateway (ms, per minute, two minutes out of three) that makes its deployment alarm go off."
  default     = 1000

  validation {
    condition     = var.gateway_response_time_threshold_ms > 0
    error_message = "gateway_response_time_threshold_ms must be positive."
  }
}

variable "service_response_time_threshold_ms" {
  type        = number
  description = "p95 response time of an internal service (ms, per minute, two minutes out of three) that makes its deployment alarm go off."
  default     = 500

  validation {
    condition     = var.service_response_time_threshold_ms > 0
    error_message = "service_response_time_threshold_ms must be positive."
  }
}
