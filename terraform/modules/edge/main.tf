locals {
  request_certificate = var.domain_name != null && var.certificate_arn == null
  use_route53         = var.route53_zone_id != null
}

# A web ACL in front of the load balancer: a per-address rate limit, then AWS's common rule set. Health checks of
# the load balancer do not pass through it.
resource "aws_wafv2_web_acl" "this" {
  count = var.enable_waf ? 1 : 0

  name        = var.name
  description = "Rate limit and AWS common rules in front of ${var.name}"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  # Answered like the gateway's own limiter (429), for clients that back off on it.
  rule {
    name     = "rate-limit-per-address"
    priority = 0

    action {
      block {
        custom_response {
          response_code = 429
        }
      }
    }

    statement {
      rate_based_statement {
        limit                 = var.rate_limit
        evaluation_window_sec = var.rate_limit_window_seconds
        aggregate_key_type    = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-common-rule-set"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"

        # The group blocks bodies over 8 KB; the API accepts up to 1 MiB (a product's 2,000-character description
        # can exceed 8 KB as UTF-8) and the gateway enforces that limit itself. Counted, not blocked.
        rule_action_override {
          name = "SizeRestrictions_BODY"

          action_to_use {
            count {}
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-common-rules"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.enable_waf ? 1 : 0

  resource_arn = var.load_balancer_arn
  web_acl_arn  = aws_wafv2_web_acl.this[0].arn
}

# A certificate for domain_name, validated through DNS: by a record in route53_zone_id, or by the CNAME an operator
# creates from the certificate_validation_records output (the apply waits for the certificate to be issued).
resource "aws_acm_certificate" "this" {
  count = local.request_certificate ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  count = local.request_certificate && local.use_route53 ? 1 : 0

  zone_id         = var.route53_zone_id
  name            = one(aws_acm_certificate.this[0].domain_validation_options).resource_record_name
  type            = one(aws_acm_certificate.this[0].domain_validation_options).resource_record_type
  records         = [one(aws_acm_certificate.this[0].domain_validation_options).resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = local.request_certificate ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = local.use_route53 ? [aws_route53_record.validation[0].fqdn] : null

  timeouts {
    create = var.certificate_validation_timeout
  }
}

# The domain's own name, pointing at the load balancer.
resource "aws_route53_record" "domain" {
  count = var.domain_name != null && local.use_route53 ? 1 : 0

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = var.load_balancer_dns_name
    zone_id                = var.load_balancer_zone_id
    evaluate_target_health = true
  }
}
