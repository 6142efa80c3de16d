# Security groups: only the load balancer is open to the internet, on 80 and 443; the gateway answers the load
# balancer only, the internal services the gateway only, the database the internal services only, and the cache
# the services that use it.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                   = "berth-dev"
  vpc_id                 = "vpc-0mock"
  public_service_port    = 8000
  internal_service_ports = [8001, 8002]
}

# Known group IDs while planning, so the test can tell which group each rule admits.
override_resource {
  target          = aws_security_group.alb
  override_during = plan
  values          = { id = "sg-0alb" }
}

override_resource {
  target          = aws_security_group.gateway
  override_during = plan
  values          = { id = "sg-0gateway" }
}

override_resource {
  target          = aws_security_group.services
  override_during = plan
  values          = { id = "sg-0services" }
}

override_resource {
  target          = aws_security_group.database
  override_during = plan
  values          = { id = "sg-0database" }
}

override_resource {
  target          = aws_security_group.cache
  override_during = plan
  values          = { id = "sg-0cache" }
}

run "rules" {
  command = plan

  module {
    source = "./security-groups"
  }

  assert {
    condition = toset([
      for rule in concat(
        [
          aws_vpc_security_group_ingress_rule.alb_http,
          aws_vpc_security_group_ingress_rule.alb_https,
          aws_vpc_security_group_ingress_rule.public_service_from_alb,
          aws_vpc_security_group_ingress_rule.database_from_services,
          aws_vpc_security_group_ingress_rule.cache_from_services,
          aws_vpc_security_group_ingress_rule.cache_from_gateway,
        ],
        values(aws_vpc_security_group_ingress_rule.internal_from_gateway),
      ) : rule.from_port if rule.cidr_ipv4 == "0.0.0.0/0"
    ]) == toset([80, 443])
    error_message = "Only 80 and 443 (on the load balancer) are open to 0.0.0.0/0."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.public_service_from_alb.from_port == 8000 &&
      aws_vpc_security_group_ingress_rule.database_from_services.from_port == 5432 &&
      aws_vpc_security_group_ingress_rule.cache_from_services.from_port == 6379 &&
      aws_vpc_security_group_ingress_rule.cache_from_gateway.from_port == 6379 &&
      keys(aws_vpc_security_group_ingress_rule.internal_from_gateway) == ["8001", "8002"]
    )
    error_message = "The gateway port, internal ports, PostgreSQL and the cache each accept only their port."
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.alb_to_public_service.referenced_security_group_id == "sg-0gateway" &&
      aws_vpc_security_group_ingress_rule.public_service_from_alb.security_group_id == "sg-0gateway" &&
      aws_vpc_security_group_ingress_rule.public_service_from_alb.referenced_security_group_id == "sg-0alb" &&
      output.gateway_security_group_id == "sg-0gateway"
    )
    error_message = "The load balancer forwards to the gateway's group, which admits the load balancer only."
  }

  assert {
    condition = alltrue([
      for rule in values(aws_vpc_security_group_ingress_rule.internal_from_gateway) :
      rule.security_group_id == "sg-0services" && rule.referenced_security_group_id == "sg-0gateway"
    ])
    error_message = "The internal services' ports admit the gateway's group only (not each other, not the load balancer)."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.database_from_services.security_group_id == "sg-0database" &&
      aws_vpc_security_group_ingress_rule.database_from_services.referenced_security_group_id == "sg-0services" &&
      output.services_security_group_id == "sg-0services"
    )
    error_message = "The database admits the internal services only; the gateway has no database access."
  }

  assert {
    condition = toset([
      for rule in [aws_vpc_security_group_ingress_rule.cache_from_services, aws_vpc_security_group_ingress_rule.cache_from_gateway] :
      rule.referenced_security_group_id if rule.security_group_id == "sg-0cache"
    ]) == toset(["sg-0services", "sg-0gateway"])
    error_message = "The cache admits the internal services and the gateway, the services that use it."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./security-groups"
  }

  variables {
    public_service_port    = 0
    internal_service_ports = [8001, 65536]
  }

  expect_failures = [var.public_service_port, var.internal_service_ports]
}
