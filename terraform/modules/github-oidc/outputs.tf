output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the roles trust."
  value       = local.provider_arn

  depends_on = [aws_iam_openid_connect_provider.github]
}
