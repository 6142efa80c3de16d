output "execution_role_arn" {
  description = "ARN of the task execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the task role."
  value       = aws_iam_role.task.arn
}

output "secret_access" {
  description = "Secrets each role may read: execution (injected into containers at start) and task (read by the application)."
  value = {
    execution = var.secret_arns
    task      = var.task_secret_arns
  }
}
