output "dns_name" {
  description = "Public DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Route 53 hosted zone of the load balancer's DNS name, for alias records."
  value       = aws_lb.this.zone_id
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

  depends_on = [aws_lb_listener.http, aws_lb_listener.https, aws_lb_listener.production_blue_green]
}

output "target_group_arn_suffix" {
  description = "ARN suffix used as the CloudWatch TargetGroup dimension."
  value       = aws_lb_target_group.gateway.arn_suffix
}

output "listener_arn" {
  description = "ARN of the production listener that forwards to the gateway (HTTPS when a certificate is given, else HTTP)."
  value       = local.production_listener_arn
}

output "target_group_name" {
  description = "Name of the gateway (blue) target group."
  value       = aws_lb_target_group.gateway.name
}

output "blue_green" {
  description = "The green target group and the test listener of a blue/green gateway; null without blue_green."
  value = var.blue_green ? {
    green_target_group_name   = aws_lb_target_group.gateway_green[0].name
    green_target_group_arn    = aws_lb_target_group.gateway_green[0].arn
    green_target_group_suffix = aws_lb_target_group.gateway_green[0].arn_suffix
    test_listener_arn         = aws_lb_listener.test[0].arn
    test_listener_port        = aws_lb_listener.test[0].port
  } : null
}

output "deletion_protection" {
  description = "Whether the load balancer is protected from deletion."
  value       = aws_lb.this.enable_deletion_protection
}
