variable "project" {
  type        = string
  description = "Project name, the first part of every resource name."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project))
    error_message = "project must be 2-15 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment this configuration describes."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the environment."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region code such as the one in environments/dev.tfvars."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource; Project, Environment and ManagedBy are always set."
  default     = {}
}

variable "vpc_cidr" {
  type        = string
  description = "IPv4 CIDR block of the environment's VPC."
  default     = "10.0.0.0/16"
}

variable "az_count" {
  type        = number
  description = "Availability zones to spread subnets over (at least two)."
  default     = 2
}

variable "enable_nat_gateway" {
  type        = bool
  description = "One NAT gateway for the private subnets, where the tasks then run; false runs the tasks in the public subnets with public IPs instead (no NAT cost)."
}

variable "service_cpu" {
  type        = map(number)
  description = "Task CPU per service in Fargate units (256, 512, 1024, ...)."

  validation {
    condition     = length(setsubtract(["api-gateway", "product-service", "inventory-service"], keys(var.service_cpu))) == 0
    error_message = "service_cpu must have an entry for api-gateway, product-service and inventory-service."
  }

  validation {
    condition     = alltrue([for cpu in values(var.service_cpu) : contains([256, 512, 1024, 2048, 4096, 8192, 16384], cpu)])
    error_message = "service_cpu values must be Fargate sizes: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "service_memory" {
  type        = map(number)
  description = "Task memory per service in MiB, a valid Fargate pairing with service_cpu."

  validation {
    condition     = length(setsubtract(["api-gateway", "product-service", "inventory-service"], keys(var.service_memory))) == 0
    error_message = "service_memory must have an entry for api-gateway, product-service and inventory-service."
  }

  # Fargate pairs each CPU size with a memory range and step.
  validation {
    condition = alltrue([
      for service, memory in var.service_memory : (
        lookup(var.service_cpu, service, 0) == 256 ? contains([512, 1024, 2048], memory) :
        lookup(var.service_cpu, service, 0) == 512 ? memory >= 1024 && memory <= 4096 && memory % 1024 == 0 :
        lookup(var.service_cpu, service, 0) == 1024 ? memory >= 2048 && memory <= 8192 && memory % 1024 == 0 :
        lookup(var.service_cpu, service, 0) == 2048 ? memory >= 4096 && memory <= 16384 && memory % 1024 == 0 :
        lookup(var.service_cpu, service, 0) == 4096 ? memory >= 8192 && memory <= 30720 && memory % 1024 == 0 :
        lookup(var.service_cpu, service, 0) == 8192 ? memory >= 16384 && memory <= 61440 && memory % 4096 == 0 :
        lookup(var.service_cpu, service, 0) == 16384 ? memory >= 32768 && memory <= 122880 && memory % 8192 == 0 :
        false
      )
    ])
    error_message = "service_memory must be a Fargate pairing for the service's cpu: 256 -> 512/1024/2048; 512 -> 1024-4096; 1024 -> 2048-8192; 2048 -> 4096-16384 (steps of 1024); 4096 -> 8192-30720; 8192 -> 16384-61440 (steps of 4096); 16384 -> 32768-122880 (steps of 8192)."
  }
}

variable "service_desired_count" {
  type        = map(number)
  description = "Tasks each service starts with."

  validation {
    condition     = length(setsubtract(["api-gateway", "product-service", "inventory-service"], keys(var.service_desired_count))) == 0
    error_message = "service_desired_count must have an entry for api-gateway, product-service and inventory-service."
  }
}

variable "service_min_count" {
  type        = map(number)
  description = "Autoscaling minimum per service."

  validation {
    condition     = length(setsubtract(["api-gateway", "product-service", "inventory-service"], keys(var.service_min_count))) == 0
    error_message = "service_min_count must have an entry for api-gateway, product-service and inventory-service."
  }
}

variable "service_max_count" {
  type        = map(number)
  description = "Autoscaling maximum per service, at least its minimum."

  validation {
    condition     = alltrue([for service, max in var.service_max_count : max >= lookup(var.service_min_count, service, 0)])
    error_message = "service_max_count must be at least service_min_count for every service."
  }
}

variable "cpu_target_utilization" {
  type        = number
  description = "Average CPU percentage the autoscaling policies aim for."
  default     = 60
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the services' and the notifier's log groups."

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the load balancer and the database from deletion (on in prod)."
}

variable "certificate_arn" {
  type        = string
  description = "Existing ACM certificate (issued, in aws_region) for HTTPS on the load balancer; null requests one for domain_name, or serves HTTP only without a domain."
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", coalesce(var.certificate_arn, "-")))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) or null."
  }
}

variable "domain_name" {
  type        = string
  description = "Public name of the API, e.g. api.example.com. Set, the load balancer serves HTTPS with an ACM certificate for it (requested and validated through DNS unless certificate_arn is given) and redirects HTTP to HTTPS; null serves HTTP on the load balancer's own name."
  default     = null

  validation {
    condition     = var.domain_name == null || (length(coalesce(var.domain_name, "-")) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.domain_name, "-"))))
    error_message = "domain_name must be a lower-case fully qualified domain name such as api.example.com (no scheme, no trailing dot, no wildcard)."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 public hosted zone of domain_name: Terraform creates the certificate's validation record and an alias record for the domain. null: create the records from the certificate_validation_records output where the domain's DNS is hosted (docs/runbook.md, \"HTTPS\")."
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

variable "enable_waf" {
  type        = bool
  description = "Put a WAF web ACL in front of the load balancer: a per-address rate limit (waf_rate_limit) and AWS's common rule set. About $7 a month plus $0.60 per million requests."
  default     = true
}

variable "waf_rate_limit" {
  type        = number
  description = "Requests one client address may send in 5 minutes before the web ACL answers 429; the default is the gateway's own read limit (600 a minute) over 5 minutes."
  default     = 3000

  validation {
    condition     = var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000 && floor(var.waf_rate_limit) == var.waf_rate_limit
    error_message = "waf_rate_limit must be a whole number from 10 to 2,000,000,000 (WAF's limits for a rate-based rule)."
  }
}

variable "cors_origins" {
  type        = list(string)
  description = "Origins (scheme://host[:port]) of other sites whose pages may call the API (the gateway's CORS_ORIGINS); its own page needs none."
  default     = []

  validation {
    condition     = alltrue([for origin in var.cors_origins : can(regex("^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$", origin))])
    error_message = "cors_origins must hold origins such as https://shop.example.com: scheme, lower-case host and optional port, no path or trailing slash."
  }
}

variable "alb_access_logs_bucket" {
  type        = string
  description = "Existing S3 bucket for load balancer access logs; null disables them."
  default     = null
}

variable "execution_role_arn" {
  type        = string
  description = "Existing task execution role for accounts that may not create IAM roles (AWS Academy: the LabRole ARN); null creates one."
  default     = null

  validation {
    condition     = var.execution_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or null."
  }
}

variable "task_role_arn" {
  type        = string
  description = "Existing task role, used together with execution_role_arn; null uses execution_role_arn (or the created task role)."
  default     = null

  validation {
    condition     = var.task_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.task_role_arn))
    error_message = "task_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or null."
  }

  validation {
    condition     = var.task_role_arn == null || var.execution_role_arn != null
    error_message = "task_role_arn is only used together with execution_role_arn: set execution_role_arn too (or remove task_role_arn)."
  }
}

variable "attach_permissions_boundary" {
  type        = bool
  description = "Give every role the platform creates the environment's permissions boundary (<project>-<environment>-permissions-boundary, created by terraform/storage), without which the environment's terraform role may create no role; false for accounts without those roles (storage's create_github_oidc = false)."
  default     = true
}

variable "notifier_role_arn" {
  type        = string
  description = "Existing role the deploy-notifier function runs as, for accounts that may not create IAM roles (AWS Academy: the LabRole ARN); null creates one."
  default     = null

  validation {
    condition     = var.notifier_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.notifier_role_arn))
    error_message = "notifier_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or null."
  }
}

variable "fargate_spot_weight" {
  type        = number
  description = "Share of tasks beyond the first on Fargate Spot (0 keeps all tasks on regular Fargate)."
  default     = 0
}

variable "db_instance_class" {
  type        = string
  description = "RDS instance class."
}

variable "db_allocated_storage" {
  type        = number
  description = "Initial database storage in GiB."
  default     = 20
}

variable "db_multi_az" {
  type        = bool
  description = "Run the database with a standby in a second availability zone."
}

variable "db_backup_retention_days" {
  type        = number
  description = "Days database backups are kept."
}

variable "database_name" {
  type        = string
  description = "Name of the application database."
  default     = "berth"
}

variable "cache_node_type" {
  type        = string
  description = "ElastiCache node type."
}

variable "cache_node_count" {
  type        = number
  description = "Cache nodes (1 primary plus replicas)."
}

variable "notifier_artifact_path" {
  type        = string
  description = "Built deploy-notifier zip, relative to this directory."
  default     = "../../services/deploy-notifier/build/deploy-notifier.zip"
}

variable "notifier_sender_email" {
  type        = string
  description = "Sender address of deployment e-mails: this environment's own (an SES identity belongs to the whole account), the one terraform/storage's environment_sender_emails names for it, which is the only identity its terraform role may create and its roles may send from. Not kept in tfvars: workflows set TF_VAR_notifier_sender_email from the environment's entry in the repository variable NOTIFIER_SENDER_EMAILS."
  default     = null

  validation {
    condition     = var.notifier_sender_email != null
    error_message = "notifier_sender_email is required: set TF_VAR_notifier_sender_email (or pass -var)."
  }
}

variable "notifier_adopt_sender_identity" {
  type        = bool
  description = "true for an environment whose sender's SES identity already exists (one applied before the notifier moved to SES v2): the apply imports it into aws_sesv2_email_identity instead of creating it, keeping its verification. Harmless once imported; false for a new environment, whose identity does not exist yet (docs/runbook.md, \"Sender identity on SES v2\")."
  default     = false
}

variable "notifier_recipient_emails" {
  type        = string
  description = "Comma-separated recipients of deployment e-mails. Not kept in tfvars: workflows set TF_VAR_notifier_recipient_emails."
  default     = null

  validation {
    condition     = var.notifier_recipient_emails != null
    error_message = "notifier_recipient_emails is required: set TF_VAR_notifier_recipient_emails (or pass -var)."
  }
}

variable "notifier_email_transport" {
  type        = string
  description = "How the notifier sends mail: ses or smtp."
  default     = "ses"

  validation {
    condition     = contains(["ses", "smtp"], var.notifier_email_transport)
    error_message = "notifier_email_transport must be ses or smtp."
  }
}

variable "notifier_smtp_secret_arn" {
  type        = string
  description = "Secrets Manager secret with SMTP settings (needed for the smtp transport)."
  default     = null

  validation {
    condition     = var.notifier_email_transport != "smtp" || var.notifier_smtp_secret_arn != null
    error_message = "notifier_smtp_secret_arn is required when notifier_email_transport is smtp."
  }
}

variable "notifier_hmac_secret_arn" {
  type        = string
  description = "Secrets Manager secret with the key that signs notifier requests; null disables signing."
  default     = null
}

variable "alarm_emails" {
  type        = string
  description = "Comma-separated addresses subscribed to the alarm topic; empty subscribes nobody. Workflows may set TF_VAR_alarm_emails."
  default     = ""
}

variable "gateway_deployment_controller" {
  type        = string
  description = "How api-gateway is deployed: ECS (rolling, stopped and rolled back by its deployment alarms) or CODE_DEPLOY (blue/green canary through CodeDeploy, rolled back on the same alarms). Changing it replaces the gateway's ECS service and its production listener: a few minutes without the gateway."
  default     = "ECS"

  validation {
    condition     = contains(["ECS", "CODE_DEPLOY"], var.gateway_deployment_controller)
    error_message = "gateway_deployment_controller must be ECS or CODE_DEPLOY."
  }
}

variable "gateway_deployment_config" {
  type        = string
  description = "CodeDeploy configuration of a CODE_DEPLOY gateway, e.g. CodeDeployDefault.ECSCanary10Percent5Minutes (ecs-rollout's codedeploy-deployment-config overrides it per deployment)."
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"
}

variable "notifier_deployment_config" {
  type        = string
  description = "CodeDeploy configuration that moves the notifier's live alias to a new version, e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes."
  default     = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
}

variable "codedeploy_role_arn" {
  type        = string
  description = "Existing role CodeDeploy acts as for the notifier (and a CODE_DEPLOY gateway), for accounts that may not create IAM roles (AWS Academy: the LabRole ARN); null creates them."
  default     = null

  validation {
    condition     = var.codedeploy_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.codedeploy_role_arn))
    error_message = "codedeploy_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) or null."
  }
}
