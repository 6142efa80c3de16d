output "api_tokens_secret_name" {
  description = "Name of the secret holding the gateway's write tokens; terraform/platform reads it by this name."
  value       = module.api_tokens.name
}

output "database_user_secret_names" {
  description = "Map of internal service to the name of the secret with its database user; terraform/platform reads each by this name."
  value       = { for name, secret in module.database_user_secret : name => secret.name }
}

output "secret_arns" {
  description = "Map of secret name to its ARN, every secret of this root."
  value       = merge({ (module.api_tokens.name) = module.api_tokens.arn }, { for secret in module.database_user_secret : secret.name => secret.arn })
}
