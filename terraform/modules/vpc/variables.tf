variable "name" {
  type        = string
  description = "Name prefix for the VPC and its parts."
}

variable "region" {
  type        = string
  description = "AWS region of the provider (the S3 gateway endpoint's service name). Passed in rather than read from data.aws_region, whose attribute is name in provider v5 and region in v6."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, the provider's region."
  }
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
  description = "Give the private subnets internet egress through one NAT gateway; false leaves them without a route to the internet (S3 stays reachable through the gateway endpoint)."
}
