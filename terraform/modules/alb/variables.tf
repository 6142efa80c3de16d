variable "name" {
  type        = string
  description = "Name of the load balancer (at most 32 characters)."

  validation {
    condition     = length(var.name) <= 32
    error_message = "name must be at most 32 characters (an AWS limit for load balancers)."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the target group."
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnets, in at least two availability zones."

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "public_subnet_ids needs at least two subnets."
  }
}

variable "security_group_id" {
  type        = string
  description = "Security group of the load balancer."
}

variable "target_port" {
  type        = number
  description = "Container port the target group forwards to."
}

variable "health_check_path" {
  type        = string
  description = "HTTP path the target group probes."
  default     = "/health"
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate for an HTTPS listener; when set, HTTP redirects to HTTPS."
  default     = null
}

variable "https" {
  type        = bool
  description = "Serve HTTPS with certificate_arn and redirect HTTP to it; null decides by whether certificate_arn is set. Set it when the certificate is created in the same apply, whose ARN is unknown while planning."
  default     = null

  validation {
    condition     = var.https != true || var.certificate_arn != null
    error_message = "https = true needs certificate_arn (an ACM certificate in the load balancer's region)."
  }
}

variable "ssl_policy" {
  type        = string
  description = "TLS policy of the HTTPS listener."
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the load balancer from deletion."
}

variable "access_logs_bucket" {
  type        = string
  description = "Existing S3 bucket for access logs; null disables them."
  default     = null
}

variable "blue_green" {
  type        = bool
  description = "Add a second (green) target group and a test listener, and make the production listener CodeDeploy's to move, for a gateway deployed blue/green through CodeDeploy."
  default     = false
}

variable "test_listener_port" {
  type        = number
  description = "Port of the blue/green test listener (HTTP), which forwards to the replacement task set; not opened in the load balancer's security group."
  default     = 9000

  validation {
    condition     = var.test_listener_port >= 1 && var.test_listener_port <= 65535 && !contains([80, 443], var.test_listener_port)
    error_message = "test_listener_port must be a TCP port other than 80 and 443, which production uses."
  }
}
