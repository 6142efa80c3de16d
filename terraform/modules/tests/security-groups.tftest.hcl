# Security groups: only the load balancer is open to the internet, on 80 and 443.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                   = "berth-dev"
  vpc_id                 = "vpc-0mock"
  public_service_port    = 8000
  internal_service_ports = [8001, 8002]
}

run "rules" {
  command = plan

  module {
    source = "./security-groups"
  }

  assert {
    condition = toset([
      for rule in [
        aws_vpc_security_group_ingress_rule.alb_http,
        aws_vpc_security_group_ingress_rule.alb_https,
        aws_vpc_security_group_ingress_rule.public_service_from_alb,
        aws_vpc_security_group_ingress_rule.database_from_services,
        aws_vpc_security_group_ingress_rule.cache_from_services,
      ] : rule.from_port if rule.cidr_ipv4 == "0.0.0.0/0"
    ]) == toset([80, 443])
    error_message = "Only 80 and 443 (on the load balancer) are open to 0.0.0.0/0."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.public_service_from_alb.from_port == 8000 &&
      aws_vpc_security_group_ingress_rule.database_from_services.from_port == 5432 &&
      aws_vpc_security_group_ingress_rule.cache_from_services.from_port == 6379 &&
      keys(aws_vpc_security_group_ingress_rule.internal_from_services) == ["8001", "8002"]
    )
    error_message = "The gateway port, internal ports, PostgreSQL and the cache each accept only their port."
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
