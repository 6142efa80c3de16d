variable "name" {
  type        = string
  description = "Name prefix for the VPC and its parts."
}

variable "cidr_block" {
  type        = string
  description = "IPv4 CIDR block of the VPC (a /16 leaves room for /24 subnets)."

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && try(tonumber(split("/", var.cidr_block)[1]) <= 20, false)
    error_message = "cidr_block must be an IPv4 CIDR of size /20 or larger."
  }
}

variable "az_count" {
  type        = number
  description = "Number of availability zones to spread public and private subnets over."
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be between 2 and 6."
  }
}

variable "enable_nat_gateway" {
  type        = bool
  description = "Give private subnets internet egress through one NAT gateway; false creates VPC endpoints for ECR, logs and Secrets Manager instead."
}
