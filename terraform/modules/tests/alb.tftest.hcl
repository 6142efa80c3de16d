# The public load balancer: HTTP forwarding, or HTTPS with a redirect once a certificate is given.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  name                = "berth-dev"
  vpc_id              = "vpc-0mock"
  public_subnet_ids   = ["subnet-0a", "subnet-0b"]
  security_group_id   = "sg-0alb"
  target_port         = 8000
  deletion_protection = false
}

run "http_only_without_a_certificate" {
  command = plan

  module {
    source = "./alb"
  }

  assert {
    condition     = !aws_lb.this.internal && aws_lb.this.drop_invalid_header_fields && !aws_lb.this.enable_deletion_protection
    error_message = "The load balancer is internet-facing, drops invalid headers and follows deletion_protection."
  }

  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "forward" && length(aws_lb_listener.https) == 0
    error_message = "Without a certificate the HTTP listener forwards and there is no HTTPS listener."
  }

  assert {
    condition     = aws_lb_target_group.gateway.target_type == "ip" && aws_lb_target_group.gateway.port == 8000 && aws_lb_target_group.gateway.health_check[0].path == "/health"
    error_message = "The gateway target group registers task IPs on the gateway port and checks /health."
  }
}

run "https_with_a_certificate" {
  command = plan

  module {
    source = "./alb"
  }

  variables {
    certificate_arn     = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
    deletion_protection = true
  }

  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "redirect" && aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS"
    error_message = "With a certificate HTTP redirects to HTTPS."
  }

  assert {
    condition     = aws_lb_listener.https[0].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06" && aws_lb_listener.https[0].port == 443
    error_message = "The HTTPS listener uses the TLS 1.3 policy on 443."
  }

  assert {
    condition     = aws_lb.this.enable_deletion_protection && output.deletion_protection
    error_message = "deletion_protection = true protects the load balancer."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./alb"
  }

  variables {
    name              = "a-load-balancer-name-longer-than-32"
    public_subnet_ids = ["subnet-0a"]
  }

  expect_failures = [var.name, var.public_subnet_ids]
}
