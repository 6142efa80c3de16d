output "https_enabled" {
  description = "Whether the load balancer serves HTTPS: a certificate is given or requested. Known while planning."
  value       = var.certificate_arn != null || var.domain_name != null
}

output "certificate_arn" {
  description = "Certificate for the HTTPS listener: certificate_arn, or the requested certificate once issued; null without a domain."
  value = (
    var.certificate_arn != null ? var.certificate_arn :
    local.request_certificate ? aws_acm_certificate_validation.this[0].certificate_arn : null
  )
}

output "certificate_validation_records" {
  description = "DNS records (name, type, value) that validate the requested certificate; create them where domain_name's zone is hosted unless route53_zone_id is set. Empty when no certificate is requested."
  value = local.request_certificate ? [
    for option in aws_acm_certificate.this[0].domain_validation_options : {
      name  = option.resource_record_name
      type  = option.resource_record_type
      value = option.resource_record_value
    }
  ] : []
}

output "web_acl_arn" {
  description = "ARN of the web ACL in front of the load balancer; null when enable_waf is false."
  value       = var.enable_waf ? aws_wafv2_web_acl.this[0].arn : null
}

output "protected_resource_arn" {
  description = "Resource the web ACL is associated with (the load balancer); null when enable_waf is false."
  value       = var.enable_waf ? aws_wafv2_web_acl_association.this[0].resource_arn : null
}

output "waf_rules" {
  description = "The web ACL's rules by name: priority, rate_limit (rate-based rule) and managed_rule_group (vendor/name); empty when enable_waf is false."
  value = var.enable_waf ? {
    for rule in aws_wafv2_web_acl.this[0].rule : rule.name => {
      priority   = rule.priority
      rate_limit = one(rule.statement[0].rate_based_statement[*].limit)
      managed_rule_group = one([
        for group in rule.statement[0].managed_rule_group_statement : "${group.vendor_name}/${group.name}"
      ])
    }
  } : {}
}
