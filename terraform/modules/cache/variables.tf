variable "name" {
  type        = string
  description = "Replication group id (at most 40 characters)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name))
    error_message = "name must be lower-case letters, digits and hyphens, starting with a letter, at most 40 characters."
  }
}

variable "engine" {
  type        = string
  description = "Cache engine: valkey or redis."
  default     = "valkey"

  validation {
    condition     = contains(["valkey", "redis"], var.engine)
    error_message = "engine must be valkey or redis."
  }
}

variable "engine_version" {
  type        = string
  description = "Engine version."
  default     = "8.0"
}

variable "node_type" {
  type        = string
  description = "Cache node type, e.g. cache.t4g.micro."

  validation {
    condition     = startswith(var.node_type, "cache.")
    error_message = "node_type must start with cache."
  }
}

variable "node_count" {
  type        = number
  description = "Nodes in the replication group (1 primary plus replicas); 2 or more turns on automatic failover."

  validation {
    condition     = var.node_count >= 1 && var.node_count <= 6
    error_message = "node_count must be between 1 and 6."
  }
}

variable "port" {
  type        = number
  description = "Port the cache listens on."
  default     = 6379
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the cache subnet group."
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the cache."
}

variable "snapshot_retention_days" {
  type        = number
  description = "Days automatic snapshots are kept (0 disables them)."
  default     = 0

  validation {
    condition     = var.snapshot_retention_days >= 0 && var.snapshot_retention_days <= 35
    error_message = "snapshot_retention_days must be between 0 and 35."
  }
}
