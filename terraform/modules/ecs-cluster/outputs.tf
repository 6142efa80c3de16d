output "cluster_id" {
  description = "ID (ARN) of the cluster."
  value       = aws_ecs_cluster.this.id
}

output "cluster_arn" {
  description = "ARN of the cluster."
  value       = aws_ecs_cluster.this.arn
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_connect_namespace_arn" {
  description = "ARN of the Service Connect namespace."
  value       = aws_service_discovery_http_namespace.this.arn
}

output "service_connect_namespace_name" {
  description = "Name of the Service Connect namespace."
  value       = aws_service_discovery_http_namespace.this.name
}

output "capacity_providers" {
  description = "Capacity providers services may use in their strategies."
  value       = aws_ecs_cluster_capacity_providers.this.capacity_providers
}
