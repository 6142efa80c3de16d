output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "gateway_security_group_id" {
  description = "Security group of the public service (api-gateway): reachable from the load balancer only."
  value       = aws_security_group.gateway.id
}

output "services_security_group_id" {
  description = "Security group of the internal services: reachable from the gateway only, the only group the database admits."
  value       = aws_security_group.services.id
}

output "database_security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.database.id
}

output "cache_security_group_id" {
  description = "Security group of the cache."
  value       = aws_security_group.cache.id
}
