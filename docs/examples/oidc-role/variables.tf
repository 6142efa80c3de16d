variable "aws_region" {
  type        = string
  description = "Region of Berth's platform."
}

variable "cart_repository_arn" {
  type        = string
  description = "ARN of the ECR repository the cart images are pushed to."
}

variable "state_bucket_arn" {
  type        = string
  description = "ARN of Berth's Terraform state bucket, whose platform state the caller's deploy/terraform reads."
}

variable "task_role_arns" {
  type        = list(string)
  description = "The execution and task roles of the cart task definition, which the deploy role passes to ECS."
}
