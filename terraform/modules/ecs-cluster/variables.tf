variable "name" {
  type        = string
  description = "Name of the ECS cluster."
}

variable "service_connect_namespace" {
  type        = string
  description = "Name of the Cloud Map HTTP namespace used by Service Connect."
}

variable "container_insights" {
  type        = string
  description = "Container Insights level: enabled or enhanced."
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be enabled or enhanced."
  }
}

variable "fargate_base" {
  type        = number
  description = "Tasks always placed on regular Fargate before the weights apply."
  default     = 1

  validation {
    condition     = var.fargate_base >= 0
    error_message = "fargate_base must not be negative."
  }
}

variable "fargate_spot_weight" {
  type        = number
  description = "Relative share of tasks beyond the base placed on Fargate Spot (0 keeps every task on regular Fargate)."
  default     = 0

  validation {
    condition     = var.fargate_spot_weight >= 0 && var.fargate_spot_weight <= 1000
    error_message = "fargate_spot_weight must be between 0 and 1000."
  }
}
