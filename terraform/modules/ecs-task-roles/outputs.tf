output "execution_role_arn" {
  description = "ARN of the task execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the task role."
  value       = aws_iam_role.task.arn
}

output "secret_access" {
  description = "Secrets each role may read: execution (list, injected into containers at start) and task (map of name to secret, read by the application)."
  value = {
    execution = var.secret_arns
    task      = var.task_secret_arns
  }
}

output "role_names" {
  description = "Names of the roles: execution (<name_prefix>-execution) and task (<name_prefix>-task)."
  value = {
    execution = aws_iam_role.execution.name
    task      = aws_iam_role.task.name
  }
}
