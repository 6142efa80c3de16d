resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public load balancer"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-alb" }
}

# The gateway, the one service behind the load balancer.
resource "aws_security_group" "gateway" {
  name        = "${var.name}-gateway"
  description = "The public service (api-gateway), reachable from the load balancer only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-gateway" }
}

# The internal services (product-service, inventory-service). Name and description date from when every service
# shared this group; changing either would replace a group that running tasks hold.
resource "aws_security_group" "services" {
  name        = "${var.name}-services"
  description = "ECS services"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-services" }
}

resource "aws_security_group" "database" {
  name        = "${var.name}-database"
  description = "PostgreSQL, reachable from the services only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-database" }
}

resource "aws_security_group" "cache" {
  name        = "${var.name}-cache"
  description = "Redis/Valkey, reachable from the services only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-cache" }
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from the internet"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_public_service" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Forward to the gateway"
  ip_protocol                  = "tcp"
  from_port                    = var.public_service_port
  to_port                      = var.public_service_port
  referenced_security_group_id = aws_security_group.gateway.id
}

resource "aws_vpc_security_group_ingress_rule" "public_service_from_alb" {
  security_group_id            = aws_security_group.gateway.id
  description                  = "Gateway port from the load balancer only"
  ip_protocol                  = "tcp"
  from_port                    = var.public_service_port
  to_port                      = var.public_service_port
  referenced_security_group_id = aws_security_group.alb.id
}

# The internal services answer the gateway only (they take no token: reaching them is the permission).
resource "aws_vpc_security_group_ingress_rule" "internal_from_gateway" {
  for_each = toset([for port in var.internal_service_ports : tostring(port)])

  security_group_id            = aws_security_group.services.id
  description                  = "Internal service port from the gateway only"
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.key)
  to_port                      = tonumber(each.key)
  referenced_security_group_id = aws_security_group.gateway.id
}

# Tasks pull images and call AWS APIs; what else they reach is decided by the groups they connect to.
resource "aws_vpc_security_group_egress_rule" "gateway_all" {
  security_group_id = aws_security_group.gateway.id
  description       = "All outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "services_all" {
  security_group_id = aws_security_group.services.id
  description       = "All outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# Only the internal services use the database; the gateway has no database access.
resource "aws_vpc_security_group_ingress_rule" "database_from_services" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the internal services"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.services.id
}

# Every service uses the cache: the gateway for its response cache and rate-limit counters.
resource "aws_vpc_security_group_ingress_rule" "cache_from_services" {
  security_group_id            = aws_security_group.cache.id
  description                  = "Redis/Valkey from the internal services"
  ip_protocol                  = "tcp"
  from_port                    = var.cache_port
  to_port                      = var.cache_port
  referenced_security_group_id = aws_security_group.services.id
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_gateway" {
  security_group_id            = aws_security_group.cache.id
  description                  = "Redis/Valkey from the gateway"
  ip_protocol                  = "tcp"
  from_port                    = var.cache_port
  to_port                      = var.cache_port
  referenced_security_group_id = aws_security_group.gateway.id
}
