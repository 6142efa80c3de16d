output "repository_urls" {
  description = "Map of service name to repository URL."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.repository_url }
}

output "repository_arns" {
  description = "Map of service name to repository ARN."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.arn }
}
