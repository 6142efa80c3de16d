variable "name" {
  type        = string
  description = "Name of the CodeDeploy application and deployment group, e.g. berth-prod-api-gateway."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.+=,@-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits or _.+=,@- (it also names the role: <name>-codedeploy)."
  }
}

variable "cluster_name" {
  type        = string
  description = "ECS cluster of the service."
}

variable "service_name" {
  type        = string
  description = "ECS service on the CODE_DEPLOY deployment controller."
}

variable "production_listener_arn" {
  type        = string
  description = "Listener whose default action CodeDeploy moves from the blue to the green target group."
}

variable "test_listener_arn" {
  type        = string
  description = "Listener that forwards to the replacement task set before production traffic does (for hooks)."
}

variable "blue_target_group_name" {
  type        = string
  description = "Name of the target group the service starts on."
}

variable "green_target_group_name" {
  type        = string
  description = "Name of the target group the replacement task set registers in."

  validation {
    condition     = var.green_target_group_name != var.blue_target_group_name
    error_message = "green_target_group_name must differ from blue_target_group_name: blue/green needs two target groups."
  }
}

variable "deployment_config_name" {
  type        = string
  description = "How traffic moves: CodeDeployDefault.ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSAllAtOnce, or a custom ECS configuration."
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"

  validation {
    condition     = !startswith(var.deployment_config_name, "CodeDeployDefault.") || startswith(var.deployment_config_name, "CodeDeployDefault.ECS")
    error_message = "deployment_config_name must be an ECS configuration (CodeDeployDefault.ECS…), not one for Lambda or EC2."
  }
}

variable "alarm_names" {
  type        = list(string)
  description = "CloudWatch alarms that stop a deployment and roll it back when one is in ALARM."
  default     = []

  validation {
    condition     = length(var.alarm_names) <= 10
    error_message = "alarm_names holds at most 10 alarms (a CodeDeploy limit)."
  }
}

variable "termination_wait_minutes" {
  type        = number
  description = "Minutes the old (blue) task set keeps running after a successful deployment, for a fast manual rollback."
  default     = 5

  validation {
    condition     = var.termination_wait_minutes >= 0 && var.termination_wait_minutes <= 2880
    error_message = "termination_wait_minutes must be between 0 and 2880 (two days)."
  }
}

variable "role_arn" {
  type        = string
  description = "Existing role CodeDeploy acts as, for accounts that may not create IAM roles (AWS Academy: LabRole); null creates one with AWSCodeDeployRoleForECS."
  default     = null

  validation {
    condition     = var.role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.role_arn))
    error_message = "role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or null."
  }
}

variable "permissions_boundary_arn" {
  type        = string
  description = "Managed policy set as the permissions boundary of the CodeDeploy role this module creates; null sets none."
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>) or null."
  }
}
