output "function_name" {
  description = "Name of the notifier function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the notifier function."
  value       = aws_lambda_function.this.arn
}

output "function_url" {
  description = "Function URL (AWS_IAM auth: callers sign requests with SigV4)."
  value       = aws_lambda_function_url.this.function_url
}

output "history_table_name" {
  description = "DynamoDB table of delivered notifications."
  value       = aws_dynamodb_table.history.name
}

output "alarm_topic_arn" {
  description = "SNS topic alarms and failed deployments publish to."
  value       = aws_sns_topic.alarms.arn
}

output "role_arn" {
  description = "Role the function runs as (created here, or the role_arn given)."
  value       = local.role_arn
}
