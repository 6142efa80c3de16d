output "function_name" {
  description = "Name of the notifier function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the notifier function."
  value       = aws_lambda_function.this.arn
}

output "function_url" {
  description = "Function URL of the live alias (AWS_IAM auth: callers sign requests with SigV4 and need lambda:InvokeFunctionUrl on the alias)."
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

output "alias_name" {
  description = "Alias callers invoke and CodeDeploy moves."
  value       = aws_lambda_alias.live.name
}

output "alias_arn" {
  description = "ARN of the alias (the qualified function ARN the EventBridge rule and the alarm topic invoke)."
  value       = aws_lambda_alias.live.arn
}

output "published_version" {
  description = "Version Terraform last published; the alias serves it only until CodeDeploy moves it."
  value       = aws_lambda_function.this.version
}

output "deployment" {
  description = "What a CodeDeploy deployment of the notifier needs: function, alias, CodeDeploy application, deployment group and configuration, and the alarms that roll a deployment back."
  value = {
    function_name          = aws_lambda_function.this.function_name
    alias                  = aws_lambda_alias.live.name
    application            = aws_codedeploy_app.this.name
    deployment_group       = aws_codedeploy_deployment_group.live.deployment_group_name
    deployment_config_name = aws_codedeploy_deployment_group.live.deployment_config_name
    alarm_names            = [aws_cloudwatch_metric_alarm.live_errors.alarm_name, aws_cloudwatch_metric_alarm.live_duration.alarm_name]
  }
}

output "codedeploy_role_arn" {
  description = "Role CodeDeploy acts as (created here, or the codedeploy_role_arn given)."
  value       = local.codedeploy_role_arn
}

output "sender_identity_arn" {
  description = "ARN of the sender's SES v2 identity (identity/<sender_email>), the only identity the function may send as."
  value       = aws_sesv2_email_identity.sender.arn
}
