variable "name" {
  type        = string
  description = "Name of the web ACL and prefix of its metrics, e.g. berth-prod."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,100}$", var.name))
    error_message = "name must be 1-100 letters, digits, hyphens or underscores (a WAF name)."
  }
}

variable "load_balancer_arn" {
  type        = string
  description = "Load balancer the web ACL protects."
}

variable "load_balancer_dns_name" {
  type        = string
  description = "DNS name of the load balancer, the target of domain_name's alias record in route53_zone_id."
}

variable "load_balancer_zone_id" {
  type        = string
  description = "Route 53 hosted zone of the load balancer's DNS name (its canonical zone), for the alias record."
}

variable "enable_waf" {
  type        = bool
  description = "Put a WAF web ACL (rate limit and AWS common rules) in front of the load balancer."
  default     = true
}

variable "rate_limit" {
  type        = number
  description = "Requests one client address may send within rate_limit_window_seconds before the web ACL answers 429 until its rate falls."
  default     = 3000

  validation {
    condition     = var.rate_limit >= 10 && var.rate_limit <= 2000000000 && floor(var.rate_limit) == var.rate_limit
    error_message = "rate_limit must be a whole number from 10 to 2,000,000,000 (WAF's limits for a rate-based rule)."
  }
}

variable "rate_limit_window_seconds" {
  type        = number
  description = "Window the rate limit counts over: 60, 120, 300 or 600 seconds."
  default     = 300

  validation {
    condition     = contains([60, 120, 300, 600], var.rate_limit_window_seconds)
    error_message = "rate_limit_window_seconds must be 60, 120, 300 or 600 (the windows WAF offers)."
  }
}

variable "domain_name" {
  type        = string
  description = "Public name of the API, e.g. api.example.com; with no certificate_arn, an ACM certificate is requested for it and validated through DNS. null: no domain."
  default     = null

  validation {
    condition     = var.domain_name == null || (length(coalesce(var.domain_name, "-")) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.domain_name, "-"))))
    error_message = "domain_name must be a lower-case fully qualified domain name such as api.example.com (no scheme, no trailing dot, no wildcard)."
  }
}

variable "certificate_arn" {
  type        = string
  description = "An existing ACM certificate (issued, in the load balancer's region) to use instead of requesting one for domain_name."
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", coalesce(var.certificate_arn, "-")))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) or null."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 public hosted zone of domain_name: Terraform then creates the certificate's validation record and an alias record for domain_name. null: the DNS records are created by hand from the certificate_validation_records output."
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", coalesce(var.route53_zone_id, "-")))
    error_message = "route53_zone_id must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, or null."
  }

  validation {
    condition     = var.route53_zone_id == null || var.domain_name != null
    error_message = "route53_zone_id needs domain_name: the zone holds that name's records."
  }
}

variable "certificate_validation_timeout" {
  type        = string
  description = "How long an apply waits for a requested certificate to be issued (its DNS validation record must exist by then), e.g. 45m."
  default     = "45m"

  validation {
    condition     = can(regex("^[1-9][0-9]*(m|h)$", var.certificate_validation_timeout))
    error_message = "certificate_validation_timeout must be a whole number of minutes or hours, such as 45m or 2h."
  }
}
