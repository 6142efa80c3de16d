locals {
  # https decides when given: a certificate created in the same apply has no ARN while planning.
  https_enabled = var.https != null ? var.https : var.certificate_arn != null

  # With blue/green, CodeDeploy moves the production listener between the two target groups; that listener is a
  # resource of its own whose default action Terraform leaves alone (the *_blue_green listeners below).
  production_listener_arn = (
    var.blue_green ? aws_lb_listener.production_blue_green[0].arn :
    local.https_enabled ? aws_lb_listener.https[0].arn : aws_lb_listener.http[0].arn
  )
}

resource "aws_lb" "this" {
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.security_group_id]
  enable_deletion_protection = var.deletion_protection
  drop_invalid_header_fields = true

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]

    content {
      enabled = true
      bucket  = access_logs.value
      prefix  = var.name
    }
  }
}

resource "aws_lb_target_group" "gateway" {
  name                 = "${substr(var.name, 0, 24)}-gateway"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.target_port
  deregistration_delay = 30

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# The replacement task set registers here during a CodeDeploy blue/green deployment.
resource "aws_lb_target_group" "gateway_green" {
  count = var.blue_green ? 1 : 0

  name                 = "${substr(var.name, 0, 24)}-green"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.target_port
  deregistration_delay = 30

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# Without blue/green: forwards to the gateway, or redirects to HTTPS once a certificate is given.
# With blue/green and a certificate: the redirect (the production listener is then production_blue_green on 443).
resource "aws_lb_listener" "http" {
  count = var.blue_green && !local.https_enabled ? 0 : 1

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = local.https_enabled ? "redirect" : "forward"
    target_group_arn = local.https_enabled ? null : aws_lb_target_group.gateway.arn

    dynamic "redirect" {
      for_each = local.https_enabled ? [443] : []

      content {
        port        = tostring(redirect.value)
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count = local.https_enabled && !var.blue_green ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway.arn
  }
}

# The production listener of a blue/green gateway: CodeDeploy points its default action at the green target group
# (weighted during a canary) and leaves it there, so Terraform must not set it back.
resource "aws_lb_listener" "production_blue_green" {
  count = var.blue_green ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = local.https_enabled ? 443 : 80
  protocol          = local.https_enabled ? "HTTPS" : "HTTP"
  ssl_policy        = local.https_enabled ? var.ssl_policy : null
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway.arn
  }

  lifecycle {
    ignore_changes = [default_action]
  }
}

# Where the replacement task set answers before it takes production traffic, for lifecycle hooks' smoke tests.
# The load balancer's security group does not open this port, so it is reachable from nowhere by default.
resource "aws_lb_listener" "test" {
  count = var.blue_green ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = var.test_listener_port
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway_green[0].arn
  }

  lifecycle {
    ignore_changes = [default_action]
  }
}

# The HTTP listener became one of several (count) when blue/green arrived; existing state keeps its listener.
moved {
  from = aws_lb_listener.http
  to   = aws_lb_listener.http[0]
}
