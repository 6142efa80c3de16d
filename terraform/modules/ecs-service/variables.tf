variable "name_prefix" {
  type        = string
  description = "Prefix shared by the environment's resources, e.g. berth-dev."
}

variable "region" {
  type        = string
  description = "AWS region of the provider (the awslogs-region of the bootstrap container). Passed in rather than read from data.aws_region, whose attribute is name in provider v5 and region in v6."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, the provider's region."
  }
}

variable "service_name" {
  type        = string
  description = "Service and container name; also its Service Connect DNS name."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.service_name))
    error_message = "service_name must be lower-case letters, digits and hyphens, starting with a letter, at most 31 characters."
  }
}

variable "cluster_id" {
  type        = string
  description = "ID (ARN) of the ECS cluster."
}

variable "cluster_name" {
  type        = string
  description = "Name of the ECS cluster (for the autoscaling resource id)."
}

variable "container_port" {
  type        = number
  description = "Port the container listens on."

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535
    error_message = "container_port must be a TCP port (1-65535)."
  }
}

variable "port_name" {
  type        = string
  description = "Name of the container port mapping Service Connect publishes (null: the service name, as in services/<name>/task-definition.json); deployed task definitions must keep it."
  default     = null
}

variable "cpu" {
  type        = number
  description = "Task CPU in Fargate units (1024 = 1 vCPU)."

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be one of the Fargate sizes 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "memory" {
  type        = number
  description = "Task memory in MiB; must be a valid Fargate pairing with cpu."
}

variable "desired_count" {
  type        = number
  description = "Tasks started on creation; afterwards autoscaling owns the count."

  validation {
    condition     = var.desired_count >= 0
    error_message = "desired_count must not be negative."
  }
}

variable "min_count" {
  type        = number
  description = "Autoscaling lower bound."

  validation {
    condition     = var.min_count >= 0
    error_message = "min_count must not be negative."
  }
}

variable "max_count" {
  type        = number
  description = "Autoscaling upper bound."

  validation {
    condition     = var.max_count >= 1
    error_message = "max_count must be at least 1."
  }
}

variable "cpu_target_utilization" {
  type        = number
  description = "Average CPU percentage target tracking aims for."
  default     = 60

  validation {
    condition     = var.cpu_target_utilization >= 10 && var.cpu_target_utilization <= 90
    error_message = "cpu_target_utilization must be between 10 and 90."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets the tasks run in: private subnets with NAT egress, or public subnets together with assign_public_ip."
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the tasks."
}

variable "assign_public_ip" {
  type        = bool
  description = "Give each task a public IP; needed in public subnets, where tasks reach image registries through the internet gateway."
  default     = false
}

variable "target_group_arns" {
  type        = list(string)
  description = "Load balancer target groups to register the container port with (empty for internal services)."
  default     = []
}

variable "health_check_grace_period_seconds" {
  type        = number
  description = "Seconds load balancer health checks are ignored after a task starts."
  default     = 60
}

variable "service_connect_namespace_arn" {
  type        = string
  description = "Cloud Map namespace the service registers in."
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the service's CloudWatch log group."

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "environment_variables" {
  type        = map(string)
  description = "Plain environment variables of the bootstrap container."
  default     = {}
}

variable "secrets" {
  type        = map(string)
  description = "Environment variable name to Secrets Manager valueFrom (ARN, optionally with :json-key::) for the bootstrap container."
  default     = {}
}

variable "create_roles" {
  type        = bool
  description = "Create this service's own execution and task roles; false uses execution_role_arn and task_role_arn."
  default     = true
}

variable "secret_arns" {
  type        = list(string)
  description = "Secrets the created execution role may read to inject them into containers (ignored when create_roles is false)."
  default     = []
}

variable "task_secret_arns" {
  type        = map(string)
  description = "Secrets the application reads itself with the created task role, by a short name of what each is (see ecs-task-roles; ignored when create_roles is false)."
  default     = {}
}

variable "execution_role_arn" {
  type        = string
  description = "Existing task execution role, used when create_roles is false."
  default     = null
}

variable "task_role_arn" {
  type        = string
  description = "Existing task role, used when create_roles is false."
  default     = null
}

variable "bootstrap_image" {
  type        = string
  description = "Image of the placeholder task definition that lets the first apply succeed before any service image exists."
  default     = "public.ecr.aws/docker/library/busybox:stable"
}

variable "fargate_spot_weight" {
  type        = number
  description = "Share of tasks on Fargate Spot relative to regular Fargate (weight 1); 0 keeps all on regular Fargate."
  default     = 0

  validation {
    condition     = var.fargate_spot_weight >= 0
    error_message = "fargate_spot_weight must not be negative."
  }
}

variable "deployment_controller" {
  type        = string
  description = "ECS (rolling updates with circuit breaker and deployment alarms) or CODE_DEPLOY (blue/green through a CodeDeploy deployment group, which needs target_group_arns and works without Service Connect)."
  default     = "ECS"

  validation {
    condition     = contains(["ECS", "CODE_DEPLOY"], var.deployment_controller)
    error_message = "deployment_controller must be ECS or CODE_DEPLOY."
  }

  validation {
    condition     = var.deployment_controller == "ECS" || length(var.target_group_arns) > 0
    error_message = "deployment_controller CODE_DEPLOY shifts load balancer traffic: give the service its target_group_arns."
  }
}

variable "deployment_alarm_names" {
  type        = list(string)
  description = "CloudWatch alarms that stop a rolling (ECS-controlled) deployment when one goes off during it or its bake time; a CODE_DEPLOY service takes its alarms in its deployment group instead."
  default     = []

  validation {
    condition     = length(var.deployment_alarm_names) <= 10
    error_message = "deployment_alarm_names holds at most 10 alarms (an ECS limit)."
  }

  validation {
    condition     = var.deployment_controller == "ECS" || length(var.deployment_alarm_names) == 0
    error_message = "deployment_alarm_names apply to the ECS controller only: give a CODE_DEPLOY service's alarms to its CodeDeploy deployment group."
  }
}

variable "deployment_alarm_rollback" {
  type        = bool
  description = "Whether ECS rolls a deployment back when one of deployment_alarm_names goes off (false only stops it)."
  default     = true
}

variable "register_in_dns" {
  type        = bool
  description = "Register the tasks in dns_namespace_id as <service_name>.<namespace>, for callers without Service Connect (a CODE_DEPLOY gateway). A flag of its own because the namespace ID is only known after apply."
  default     = false
}

variable "dns_namespace_id" {
  type        = string
  description = "Cloud Map private DNS namespace the tasks register in when register_in_dns is true."
  default     = null

  validation {
    condition     = !var.register_in_dns || var.dns_namespace_id != null
    error_message = "register_in_dns needs dns_namespace_id: the Cloud Map private DNS namespace to register in."
  }
}

variable "permissions_boundary_arn" {
  type        = string
  description = "Managed policy set as the permissions boundary of the roles this module creates (create_roles); null sets none."
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>) or null."
  }
}
