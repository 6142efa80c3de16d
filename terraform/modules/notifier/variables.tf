variable "name_prefix" {
  type        = string
  description = "Prefix of the environment's resources; the function is <name_prefix>-deploy-notifier."
}

variable "region" {
  type        = string
  description = "AWS region of the provider (the SES identity ARN in the function policy). Passed in rather than read from data.aws_region, whose attribute is name in provider v5 and region in v6."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, the provider's region."
  }
}

variable "environment" {
  type        = string
  description = "Environment name passed to the function as ENVIRONMENT."
}

variable "artifact_path" {
  type        = string
  description = "Path of the built deploy-notifier zip (handler index.handler)."
}

variable "sender_email" {
  type        = string
  description = "Address the notifications come from; verified as an SES identity."

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.sender_email))
    error_message = "sender_email must be an e-mail address."
  }
}

variable "recipient_emails" {
  type        = list(string)
  description = "Addresses notified of deployments."

  validation {
    condition     = length(var.recipient_emails) > 0 && alltrue([for address in var.recipient_emails : can(regex("^[^@\\s,]+@[^@\\s,]+\\.[^@\\s,]+$", address))])
    error_message = "recipient_emails must hold at least one e-mail address, none containing a comma."
  }
}

variable "alarm_emails" {
  type        = list(string)
  description = "Addresses subscribed to the alarm topic (each must confirm the subscription)."
  default     = []
}

variable "email_transport" {
  type        = string
  description = "How the function sends mail: ses or smtp."
  default     = "ses"

  validation {
    condition     = contains(["ses", "smtp"], var.email_transport)
    error_message = "email_transport must be ses or smtp."
  }
}

variable "smtp_secret_arn" {
  type        = string
  description = "Secrets Manager secret with SMTP settings, required when email_transport is smtp."
  default     = null
}

variable "hmac_secret_arn" {
  type        = string
  description = "Secrets Manager secret with the shared key for signed requests; null turns signature checks off."
  default     = null
}

variable "cluster_arn" {
  type        = string
  description = "ECS cluster whose deployment state changes are forwarded to the function."
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the function's log group."
}

variable "memory_size" {
  type        = number
  description = "Function memory in MB."
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  type        = number
  description = "Function timeout in seconds."
  default     = 15

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 1 and 900."
  }
}

variable "role_arn" {
  type        = string
  description = "Existing role the function runs as, for accounts that may not create IAM roles; null creates one with least privilege. The role must let the function write its logs, use the history table and send mail as the sender."
  default     = null

  validation {
    condition     = var.role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.role_arn))
    error_message = "role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or null."
  }
}

variable "alias_name" {
  type        = string
  description = "Alias every caller invokes (Function URL, EventBridge, SNS) and CodeDeploy moves to each new version."
  default     = "live"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.alias_name)) && !can(regex("^[0-9]+$", var.alias_name))
    error_message = "alias_name must be letters, digits, - and _, and not a number (numbers name versions)."
  }
}

variable "deployment_config_name" {
  type        = string
  description = "How CodeDeploy moves the alias: CodeDeployDefault.LambdaCanary10Percent5Minutes (and the 10, 15, 30 minute canaries), LambdaLinear10PercentEvery1Minute (and the other linear ones), LambdaAllAtOnce, or a custom Lambda configuration."
  default     = "CodeDeployDefault.LambdaCanary10Percent5Minutes"

  validation {
    condition     = !startswith(var.deployment_config_name, "CodeDeployDefault.") || startswith(var.deployment_config_name, "CodeDeployDefault.Lambda")
    error_message = "deployment_config_name must be a Lambda configuration (CodeDeployDefault.Lambda…), not one for ECS or EC2."
  }
}

variable "canary_duration_threshold_ms" {
  type        = number
  description = "Longest invocation through the alias (ms, in any minute) before the canary alarm stops a deployment."
  default     = 1500

  validation {
    condition     = var.canary_duration_threshold_ms > 0
    error_message = "canary_duration_threshold_ms must be positive."
  }
}

variable "codedeploy_role_arn" {
  type        = string
  description = "Existing role CodeDeploy acts as, for accounts that may not create IAM roles (AWS Academy: the LabRole ARN); null creates one with AWSCodeDeployRoleForLambda."
  default     = null

  validation {
    condition     = var.codedeploy_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.codedeploy_role_arn))
    error_message = "codedeploy_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or null."
  }
}

variable "permissions_boundary_arn" {
  type        = string
  description = "Managed policy set as the permissions boundary of the roles this module creates (the function role and the CodeDeploy role); null sets none."
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>) or null."
  }
}
