output "dns_name" {
  description = "Public DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ARN suffix used as the CloudWatch LoadBalancer dimension."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn" {
  description = "ARN of the gateway target group, available once a listener routes to it (ECS refuses unattached groups)."
  value       = aws_lb_target_group.gateway.arn

  depends_on = [aws_lb_listener.http, aws_lb_listener.https]
}

output "target_group_arn_suffix" {
  description = "ARN suffix used as the CloudWatch TargetGroup dimension."
  value       = aws_lb_target_group.gateway.arn_suffix
}

output "listener_arn" {
  description = "ARN of the listener that forwards to the gateway (HTTPS when a certificate is given, else HTTP)."
  value       = local.https_enabled ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn
}

output "deletion_protection" {
  description = "Whether the load balancer is protected from deletion."
  value       = aws_lb.this.enable_deletion_protection
}
