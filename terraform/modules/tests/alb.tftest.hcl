# The public load balancer: HTTP forwarding, or HTTPS with a redirect once a certificate is given; with blue_green,
# a second target group, a test listener and a production listener CodeDeploy may move.

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
    condition     = aws_lb_listener.http[0].default_action[0].type == "forward" && length(aws_lb_listener.https) == 0
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
    condition     = aws_lb_listener.http[0].default_action[0].type == "redirect" && aws_lb_listener.http[0].default_action[0].redirect[0].protocol == "HTTPS"
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

run "rolling_gateway_has_no_blue_green_parts" {
  command = plan

  module {
    source = "./alb"
  }

  assert {
    condition = (
      length(aws_lb_target_group.gateway_green) == 0 && length(aws_lb_listener.test) == 0 &&
      length(aws_lb_listener.production_blue_green) == 0 && output.blue_green == null
    )
    error_message = "Without blue_green there is one target group and no test listener."
  }
}

run "blue_green_over_http" {
  command = plan

  module {
    source = "./alb"
  }

  variables {
    blue_green = true
  }

  assert {
    condition = (
      length(aws_lb_listener.http) == 0 &&
      aws_lb_listener.production_blue_green[0].port == 80 &&
      aws_lb_listener.production_blue_green[0].protocol == "HTTP" &&
      aws_lb_listener.production_blue_green[0].default_action[0].type == "forward"
    )
    error_message = "Without a certificate the production listener on 80 is the blue/green one CodeDeploy moves."
  }

  assert {
    condition = (
      aws_lb_target_group.gateway_green[0].name == "berth-dev-green" &&
      aws_lb_target_group.gateway.name == "berth-dev-gateway" &&
      aws_lb_target_group.gateway_green[0].target_type == "ip" &&
      aws_lb_target_group.gateway_green[0].port == 8000 &&
      aws_lb_target_group.gateway_green[0].health_check[0].path == "/health"
    )
    error_message = "The green target group mirrors the blue one: task IPs on the gateway port, checked on /health."
  }

  assert {
    condition = (
      aws_lb_listener.test[0].port == 9000 && aws_lb_listener.test[0].protocol == "HTTP" &&
      output.blue_green.test_listener_port == 9000 && output.blue_green.green_target_group_name == "berth-dev-green"
    )
    error_message = "The test listener answers on 9000 and the outputs name it and the green target group."
  }
}

run "blue_green_over_https" {
  command = plan

  module {
    source = "./alb"
  }

  variables {
    blue_green      = true
    certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition = (
      aws_lb_listener.http[0].default_action[0].type == "redirect" && length(aws_lb_listener.https) == 0 &&
      aws_lb_listener.production_blue_green[0].port == 443 && aws_lb_listener.production_blue_green[0].protocol == "HTTPS" &&
      aws_lb_listener.production_blue_green[0].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    )
    error_message = "With a certificate HTTP still redirects and the blue/green production listener serves HTTPS on 443."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./alb"
  }

  variables {
    name               = "a-load-balancer-name-longer-than-32"
    public_subnet_ids  = ["subnet-0a"]
    test_listener_port = 443
  }

  expect_failures = [var.name, var.public_subnet_ids, var.test_listener_port]
}

# https decides on its own when given, so a certificate created in the same apply (its ARN unknown while planning)
# still yields a known number of listeners.
run "https_flag_decides" {
  command = plan

  module {
    source = "./alb"
  }

  variables {
    https           = true
    certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = length(aws_lb_listener.https) == 1 && aws_lb_listener.http[0].default_action[0].type == "redirect"
    error_message = "https = true serves HTTPS and redirects HTTP."
  }
}

run "rejects_https_without_a_certificate" {
  command = plan

  module {
    source = "./alb"
  }

  variables {
    https = true
  }

  expect_failures = [var.https]
}
