# The edge in front of the load balancer: the WAF web ACL, and HTTPS with a certificate for the environment's domain.

mock_provider "aws" {
  override_during = plan
  source          = "./tests/mocks"
}

variables {
  name                   = "berth-prod"
  load_balancer_arn      = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/berth-prod/0123456789abcdef"
  load_balancer_dns_name = "berth-prod-123456789.us-east-1.elb.amazonaws.com"
  load_balancer_zone_id  = "Z35SXDOTRQ7X7K"
}

run "waf_without_a_domain" {
  command = plan

  module {
    source = "./edge"
  }

  assert {
    condition = (
      aws_wafv2_web_acl.this[0].scope == "REGIONAL" &&
      length(aws_wafv2_web_acl.this[0].default_action[0].allow) == 1 &&
      aws_wafv2_web_acl_association.this[0].resource_arn == var.load_balancer_arn &&
      output.protected_resource_arn == var.load_balancer_arn
    )
    error_message = "A regional web ACL that allows by default is associated with the load balancer."
  }

  assert {
    condition = jsonencode(output.waf_rules) == jsonencode({
      "aws-common-rule-set"    = { managed_rule_group = "AWS/AWSManagedRulesCommonRuleSet", priority = 1, rate_limit = null }
      "rate-limit-per-address" = { managed_rule_group = null, priority = 0, rate_limit = 3000 }
    })
    error_message = "The rate limit (3,000 per address) is evaluated first, then AWS's common rule set."
  }

  assert {
    condition = alltrue([
      for rule in aws_wafv2_web_acl.this[0].rule : (
        rule.statement[0].rate_based_statement[0].aggregate_key_type == "IP" &&
        rule.statement[0].rate_based_statement[0].evaluation_window_sec == 300 &&
        rule.action[0].block[0].custom_response[0].response_code == 429
      ) if rule.name == "rate-limit-per-address"
    ])
    error_message = "The rate limit counts per client address over 5 minutes and answers 429."
  }

  assert {
    condition = alltrue([
      for rule in aws_wafv2_web_acl.this[0].rule : (
        length(rule.override_action[0].none) == 1 &&
        jsonencode([for override in rule.statement[0].managed_rule_group_statement[0].rule_action_override : [override.name, length(override.action_to_use[0].count)]]) == jsonencode([["SizeRestrictions_BODY", 1]])
      ) if rule.name == "aws-common-rule-set"
    ])
    error_message = "The common rules block, except the 8 KB body limit, which only counts (the API accepts bodies up to 1 MiB)."
  }

  assert {
    condition = (
      !output.https_enabled && output.certificate_arn == null && length(output.certificate_validation_records) == 0 &&
      length(aws_acm_certificate.this) == 0 && length(aws_route53_record.domain) == 0
    )
    error_message = "Without a domain or certificate nothing about HTTPS is created."
  }
}

run "certificate_validated_by_hand" {
  command = plan

  module {
    source = "./edge"
  }

  variables {
    domain_name               = "api.berth.example.com"
    rate_limit                = 600
    rate_limit_window_seconds = 60
  }

  assert {
    condition = (
      output.https_enabled &&
      aws_acm_certificate.this[0].domain_name == "api.berth.example.com" &&
      aws_acm_certificate.this[0].validation_method == "DNS" &&
      aws_acm_certificate_validation.this[0].validation_record_fqdns == null &&
      length(aws_route53_record.validation) == 0 && length(aws_route53_record.domain) == 0
    )
    error_message = "Without a Route 53 zone the certificate is requested for DNS validation through records made by hand."
  }

  assert {
    condition     = output.certificate_arn == aws_acm_certificate_validation.this[0].certificate_arn
    error_message = "The HTTPS listener gets the certificate only once it is validated."
  }

  assert {
    condition     = output.waf_rules["rate-limit-per-address"].rate_limit == 600
    error_message = "rate_limit sets the rate-based rule's limit."
  }
}

run "certificate_validated_in_route53" {
  command = plan

  module {
    source = "./edge"
  }

  variables {
    domain_name     = "api.berth.example.com"
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  override_resource {
    target          = aws_acm_certificate.this
    override_during = plan
    values = {
      arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
      domain_validation_options = [{
        domain_name           = "api.berth.example.com"
        resource_record_name  = "_0123456789abcdef.api.berth.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_fedcba9876543210.acm-validations.aws."
      }]
    }
  }

  assert {
    condition = (
      aws_route53_record.validation[0].zone_id == "Z0123456789ABCDEFGHIJ" &&
      aws_route53_record.validation[0].name == "_0123456789abcdef.api.berth.example.com." &&
      aws_route53_record.validation[0].type == "CNAME" &&
      aws_route53_record.validation[0].records == toset(["_fedcba9876543210.acm-validations.aws."])
    )
    error_message = "The validation CNAME is created in the zone."
  }

  assert {
    condition = jsonencode(output.certificate_validation_records) == jsonencode([{
      name = "_0123456789abcdef.api.berth.example.com.", type = "CNAME", value = "_fedcba9876543210.acm-validations.aws."
    }])
    error_message = "certificate_validation_records lists the record to create."
  }

  assert {
    condition = (
      aws_route53_record.domain[0].name == "api.berth.example.com" && aws_route53_record.domain[0].type == "A" &&
      aws_route53_record.domain[0].alias[0].name == var.load_balancer_dns_name &&
      aws_route53_record.domain[0].alias[0].zone_id == var.load_balancer_zone_id
    )
    error_message = "The domain is an alias of the load balancer."
  }
}

run "existing_certificate" {
  command = plan

  module {
    source = "./edge"
  }

  variables {
    domain_name     = "api.berth.example.com"
    certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/11111111-1111-1111-1111-111111111111"
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
    enable_waf      = false
  }

  assert {
    condition = (
      output.https_enabled &&
      output.certificate_arn == "arn:aws:acm:us-east-1:111122223333:certificate/11111111-1111-1111-1111-111111111111" &&
      length(aws_acm_certificate.this) == 0 && length(aws_route53_record.validation) == 0 &&
      length(aws_route53_record.domain) == 1
    )
    error_message = "A given certificate is used as it is; the domain's alias record is still created."
  }

  assert {
    condition = (
      length(aws_wafv2_web_acl.this) == 0 && length(aws_wafv2_web_acl_association.this) == 0 &&
      output.web_acl_arn == null && length(output.waf_rules) == 0
    )
    error_message = "enable_waf = false creates no web ACL."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./edge"
  }

  variables {
    name                           = "berth prod"
    rate_limit                     = 5
    rate_limit_window_seconds      = 30
    domain_name                    = "https://api.berth.example.com/"
    certificate_arn                = "arn:aws:iam::111122223333:server-certificate/berth"
    certificate_validation_timeout = "90s"
  }

  expect_failures = [
    var.name, var.rate_limit, var.rate_limit_window_seconds, var.domain_name, var.certificate_arn,
    var.certificate_validation_timeout,
  ]
}

run "rejects_a_zone_without_a_domain" {
  command = plan

  module {
    source = "./edge"
  }

  variables {
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.route53_zone_id]
}

run "rejects_a_malformed_zone_id" {
  command = plan

  module {
    source = "./edge"
  }

  variables {
    domain_name     = "api.berth.example.com"
    route53_zone_id = "example.com"
  }

  expect_failures = [var.route53_zone_id]
}
