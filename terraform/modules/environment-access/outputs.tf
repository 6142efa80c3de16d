output "deploy_role_arn" {
  description = "Role the environment's deploy jobs assume (its GitHub environment's AWS_DEPLOY_ROLE_ARN)."
  value       = module.deploy_role.role_arn
}

output "terraform_role_arn" {
  description = "Role the environment's terraform plan, apply and destroy jobs assume (AWS_TERRAFORM_ROLE_ARN)."
  value       = module.terraform_role.role_arn
}

output "plan_role_arn" {
  description = "Read-only role of the environment's pull request plans and drift checks (its entry in AWS_PLAN_ROLE_ARNS)."
  value       = module.plan_role.role_arn
}

output "permissions_boundary_arn" {
  description = "Boundary every role terraform/platform creates in the environment must carry."
  value       = local.boundary_arn
}

output "resources" {
  description = "The environment's resources the roles are scoped to, as ARNs (what `npm run iam:policies` prints)."
  value = {
    cluster_arn              = local.cluster_arn
    service_arns             = local.service_arns
    task_role_arns           = concat(local.task_role_arns, var.existing_task_role_arns)
    execution_role_arns      = local.execution_role_arns
    state_object_arn         = local.state_object_arn
    secrets_state_object_arn = local.secrets_state_object_arn
    ecr_repository_arns      = var.ecr_repository_arns
  }
}
