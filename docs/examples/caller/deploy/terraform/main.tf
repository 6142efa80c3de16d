# The values cart's task definition needs in one environment, read from Berth's platform state. Nothing is created
# and no provider is needed: `terraform apply` only records these outputs in the job's local state, and Berth's
# actions read them with `terraform output -json` (their terraform-dir input).
terraform {
  required_version = ">= 1.10"
}

data "terraform_remote_state" "platform" {
  backend = "s3"
  config = {
    bucket = var.berth_state_bucket
    key    = "platform/${var.environment}/terraform.tfstate"
    region = var.aws_region
  }
}

locals {
  platform = data.terraform_remote_state.platform.outputs
}

output "execution_role_arn" {
  description = "Role ECS uses to pull the image, read secrets and write logs."
  value       = local.platform.execution_role_arn
}

output "task_role_arn" {
  description = "Role the cart containers run with."
  value       = local.platform.task_role_arn
}

output "aws_region" {
  description = "Region of the environment, for the awslogs driver."
  value       = local.platform.aws_region
}

output "log_group_name" {
  description = "CloudWatch log group of the cart service."
  value       = "/ecs/${local.platform.cluster_name}/cart"
}

output "cache_endpoint" {
  description = "Redis endpoint the cart keeps sessions in."
  value       = local.platform.cache_endpoint
}

output "cache_port" {
  description = "Redis port."
  value       = local.platform.cache_port
}

output "lambda_url" {
  description = "Function URL of the environment's deploy notifier, for notify-lambda-url."
  value       = local.platform.lambda_url
}
