variable "name" {
  type        = string
  description = "Name prefix for the security groups."
}

variable "vpc_id" {
  type        = string
  description = "VPC the groups belong to."
}

variable "public_service_port" {
  type        = number
  description = "Container port of the service behind the load balancer (the gateway)."

  validation {
    condition     = var.public_service_port >= 1 && var.public_service_port <= 65535
    error_message = "public_service_port must be a TCP port (1-65535)."
  }
}

variable "internal_service_ports" {
  type        = list(number)
  description = "Container ports reachable only from other services."

  validation {
    condition     = alltrue([for port in var.internal_service_ports : port >= 1 && port <= 65535])
    error_message = "internal_service_ports must all be TCP ports (1-65535)."
  }
}

variable "database_port" {
  type        = number
  description = "PostgreSQL port."
  default     = 5432
}

variable "cache_port" {
  type        = number
  description = "Redis/Valkey port."
  default     = 6379
}
