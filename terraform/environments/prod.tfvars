project     = "berth"
environment = "prod"
aws_region  = "us-east-1"

vpc_cidr           = "10.30.0.0/16"
az_count           = 3
enable_nat_gateway = true

service_cpu = {
  "api-gateway"       = 1024
  "product-service"   = 512
  "inventory-service" = 512
}
service_memory = {
  "api-gateway"       = 2048
  "product-service"   = 1024
  "inventory-service" = 1024
}
service_desired_count = {
  "api-gateway"       = 2
  "product-service"   = 2
  "inventory-service" = 2
}
service_min_count = {
  "api-gateway"       = 2
  "product-service"   = 2
  "inventory-service" = 2
}
service_max_count = {
  "api-gateway"       = 10
  "product-service"   = 6
  "inventory-service" = 6
}
cpu_target_utilization = 60
fargate_spot_weight    = 0

log_retention_days  = 90
deletion_protection = true

db_instance_class        = "db.t4g.medium"
db_allocated_storage     = 50
db_multi_az              = true
db_backup_retention_days = 14

cache_node_type  = "cache.t4g.small"
cache_node_count = 2

notifier_email_transport = "ses"

# prod releases the gateway as a canary: 10 % of the traffic for five minutes, rolled back on its alarms.
gateway_deployment_controller = "CODE_DEPLOY"
gateway_deployment_config     = "CodeDeployDefault.ECSCanary10Percent5Minutes"

# HTTPS: an ACM certificate for this name, validated through DNS (docs/runbook.md, "HTTPS"); HTTP redirects to it.
# Set the name your DNS serves, and route53_zone_id when its zone is in Route 53 of this account.
domain_name = "api.berth.example.com"
