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
