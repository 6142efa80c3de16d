project     = "berth"
environment = "dev"
aws_region  = "us-east-1"

vpc_cidr           = "10.10.0.0/16"
az_count           = 2
enable_nat_gateway = false

service_cpu = {
  "api-gateway"       = 256
  "product-service"   = 256
  "inventory-service" = 256
}
service_memory = {
  "api-gateway"       = 512
  "product-service"   = 512
  "inventory-service" = 512
}
service_desired_count = {
  "api-gateway"       = 1
  "product-service"   = 1
  "inventory-service" = 1
}
service_min_count = {
  "api-gateway"       = 1
  "product-service"   = 1
  "inventory-service" = 1
}
service_max_count = {
  "api-gateway"       = 2
  "product-service"   = 2
  "inventory-service" = 2
}
cpu_target_utilization = 70
fargate_spot_weight    = 1

log_retention_days  = 7
deletion_protection = false

db_instance_class        = "db.t4g.micro"
db_allocated_storage     = 20
db_multi_az              = false
db_backup_retention_days = 1

cache_node_type  = "cache.t4g.micro"
cache_node_count = 1

notifier_email_transport = "ses"

# Rolling deployments, stopped and rolled back by the services' deployment alarms (prod runs a canary).
gateway_deployment_controller = "ECS"
