# What `terraform plan/apply/destroy` of terraform/platform needs for this environment, split into managed
# policies that each stay under IAM's 6,144-character limit. Writes are scoped to the environment by name
# (<project>-<environment>…) where the service's ARNs carry names, and by the Environment tag the platform's
# default_tags put on every resource where they carry only generated ids (EC2, Cloud Map). The few writes that
# AWS cannot scope either way are listed in README.md, "Account-wide permissions".

locals {
  arn_ecs    = "arn:${local.partition}:ecs:${local.in_region}"
  arn_ec2    = "arn:${local.partition}:ec2:${local.in_region}"
  arn_elb    = "arn:${local.partition}:elasticloadbalancing:${local.in_region}"
  arn_rds    = "arn:${local.partition}:rds:${local.in_region}"
  arn_cache  = "arn:${local.partition}:elasticache:${local.in_region}"
  arn_logs   = "arn:${local.partition}:logs:${local.in_region}"
  arn_lambda = "arn:${local.partition}:lambda:${local.in_region}"
  arn_sns    = "arn:${local.partition}:sns:${local.in_region}"
  arn_events = "arn:${local.partition}:events:${local.in_region}"
  arn_alarms = "arn:${local.partition}:cloudwatch:${local.in_region}"
  arn_ddb    = "arn:${local.partition}:dynamodb:${local.in_region}"

  log_group_arns = [
    "${local.arn_logs}:log-group:/ecs/${local.name_prefix}/*",
    "${local.arn_logs}:log-group:/aws/lambda/${local.name_prefix}-*",
  ]

  # EC2 creates: each action may only create its own kind of resource, tagged for this environment; the resources
  # it builds on (VPC, subnets, route tables, security groups, addresses) must already carry the tag.
  ec2_creates = {
    CreateVpc                     = ["vpc"]
    CreateSubnet                  = ["subnet"]
    CreateInternetGateway         = ["internet-gateway"]
    CreateRouteTable              = ["route-table"]
    AllocateAddress               = ["elastic-ip"]
    CreateNatGateway              = ["natgateway"]
    CreateVpcEndpoint             = ["vpc-endpoint"]
    CreateSecurityGroup           = ["security-group"]
    AuthorizeSecurityGroupIngress = ["security-group-rule"]
    AuthorizeSecurityGroupEgress  = ["security-group-rule"]
  }
  ec2_tagged_types = ["vpc", "subnet", "internet-gateway", "route-table", "elastic-ip", "natgateway", "vpc-endpoint", "security-group", "security-group-rule"]

  # Reads of terraform/platform's resources that IAM cannot scope to a resource (the terraform and plan roles').
  unscopable_reads = [
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
    "ec2:DescribeAddresses",
    "ec2:DescribeAddressesAttribute",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribePrefixLists",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcs",
    "ecs:DescribeTaskDefinition",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetGroups",
    "logs:DescribeLogGroups",
    "servicediscovery:ListTagsForResource",
  ]
}

data "aws_iam_policy_document" "terraform_state_and_reads" {
  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }

  # The state objects of terraform/platform and terraform/secrets and the S3 native lock file beside each
  # (use_lockfile).
  statement {
    sid       = "OwnState"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.state_object_arn, local.secrets_state_object_arn]
  }

  statement {
    sid       = "OwnStateLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_object_arn}.tflock", "${local.secrets_state_object_arn}.tflock"]
  }

  # Reads that IAM cannot scope to a resource at all.
  statement {
    sid       = "UnscopableReads"
    actions   = local.unscopable_reads
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "terraform_network" {
  dynamic "statement" {
    for_each = local.ec2_creates

    content {
      sid       = "Create${replace(title(replace(statement.value[0], "-", " ")), " ", "")}By${statement.key}"
      actions   = ["ec2:${statement.key}"]
      resources = ["${local.arn_ec2}:${statement.value[0]}/*"]

      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/Environment"
        values   = [var.environment]
      }
    }
  }

  statement {
    sid       = "TagOnCreate"
    actions   = ["ec2:CreateTags"]
    resources = [for type in local.ec2_tagged_types : "${local.arn_ec2}:${type}/*"]

    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = keys(local.ec2_creates)
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.environment]
    }
  }

  statement {
    sid = "ChangeOwnNetwork"
    actions = concat([for action in keys(local.ec2_creates) : "ec2:${action}" if action != "CreateVpc" && action != "AllocateAddress" && action != "CreateInternetGateway"], [
      "ec2:AssociateRouteTable",
      "ec2:AttachInternetGateway",
      "ec2:CreateRoute",
      "ec2:CreateTags",
      "ec2:DeleteInternetGateway",
      "ec2:DeleteNatGateway",
      "ec2:DeleteRoute",
      "ec2:DeleteRouteTable",
      "ec2:DeleteSecurityGroup",
      "ec2:DeleteSubnet",
      "ec2:DeleteTags",
      "ec2:DeleteVpc",
      "ec2:DeleteVpcEndpoints",
      "ec2:DetachInternetGateway",
      "ec2:DisassociateAddress",
      "ec2:DisassociateRouteTable",
      "ec2:ModifySecurityGroupRules",
      "ec2:ModifySubnetAttribute",
      "ec2:ModifyVpcAttribute",
      "ec2:ModifyVpcEndpoint",
      "ec2:ReleaseAddress",
      "ec2:ReplaceRoute",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    ])
    resources = [for type in local.ec2_tagged_types : "${local.arn_ec2}:${type}/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment]
    }
  }
}

data "aws_iam_policy_document" "terraform_compute" {
  statement {
    sid = "OwnCluster"
    actions = [
      "ecs:CreateCluster",
      "ecs:DeleteCluster",
      "ecs:DescribeClusters",
      "ecs:ListTagsForResource",
      "ecs:PutClusterCapacityProviders",
      "ecs:TagResource",
      "ecs:UntagResource",
      "ecs:UpdateCluster",
      "ecs:UpdateClusterSettings",
    ]
    resources = [local.cluster_arn]
  }

  statement {
    sid = "OwnServices"
    actions = [
      "ecs:CreateService",
      "ecs:DeleteService",
      "ecs:DescribeServices",
      "ecs:ListTagsForResource",
      "ecs:TagResource",
      "ecs:UntagResource",
      "ecs:UpdateService",
    ]
    resources = ["${local.arn_ecs}:service/${local.name_prefix}/*"]
  }

  statement {
    sid       = "OwnTaskDefinitions"
    actions   = ["ecs:DeleteTaskDefinitions", "ecs:ListTagsForResource", "ecs:RegisterTaskDefinition", "ecs:TagResource", "ecs:UntagResource"]
    resources = ["${local.arn_ecs}:task-definition/${local.name_prefix}-*:*"]
  }

  # Deregistering has no resource-level permissions in IAM (README.md, "Account-wide permissions").
  statement {
    sid       = "DeregisterTaskDefinitions"
    actions   = ["ecs:DeregisterTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid = "OwnLoadBalancing"
    actions = [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:RemoveTags",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
    ]
    resources = [
      "${local.arn_elb}:loadbalancer/app/${local.name_prefix}/*",
      "${local.arn_elb}:listener/app/${local.name_prefix}/*",
      "${local.arn_elb}:targetgroup/${local.name_prefix}-*/*",
    ]
  }

  # Cloud Map namespaces and services have generated ids: created tagged for this environment, then changed only
  # while tagged so.
  statement {
    sid       = "CreateTaggedNamespaces"
    actions   = ["servicediscovery:CreateHttpNamespace", "servicediscovery:CreatePrivateDnsNamespace", "servicediscovery:TagResource"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.environment]
    }
  }

  statement {
    sid = "OwnNamespaces"
    actions = [
      "servicediscovery:CreateService",
      "servicediscovery:DeleteNamespace",
      "servicediscovery:DeleteService",
      "servicediscovery:GetNamespace",
      "servicediscovery:GetOperation",
      "servicediscovery:GetService",
      "servicediscovery:UpdateHttpNamespace",
      "servicediscovery:UpdatePrivateDnsNamespace",
      "servicediscovery:UpdateService",
    ]
    resources = [
      "arn:${local.partition}:servicediscovery:${local.in_region}:namespace/*",
      "arn:${local.partition}:servicediscovery:${local.in_region}:service/*",
    ]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment]
    }
  }

  statement {
    sid       = "CreateTaggedDiscoveryServices"
    actions   = ["servicediscovery:CreateService"]
    resources = ["arn:${local.partition}:servicediscovery:${local.in_region}:service/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.environment]
    }
  }

  # A private DNS namespace is a Route 53 private hosted zone that Cloud Map creates with the caller's permissions,
  # naming the VPC in route53:VPCs (VPCId=<id>,VPCRegion=<region>): only this environment's VPC, once its id is
  # known (var.vpc_id), and never a public zone (no VPC). No association of other VPCs, no deletion: Cloud Map
  # deletes the namespace's zone itself.
  statement {
    sid       = "NamespaceHostedZoneReads"
    actions   = ["ec2:DescribeRegions", "route53:GetHostedZone", "route53:ListHostedZonesByName"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.vpc_id == null ? [] : [var.vpc_id]

    content {
      sid       = "HostedZonesInOwnVpc"
      actions   = ["route53:CreateHostedZone"]
      resources = ["*"]

      condition {
        test     = "ForAllValues:StringEquals"
        variable = "route53:VPCs"
        values   = ["VPCId=${statement.value},VPCRegion=${var.region}"]
      }

      condition {
        test     = "Null"
        variable = "route53:VPCs"
        values   = ["false"]
      }
    }
  }

  # Records only under the environment's own private domain (<project>-<environment>.internal).
  statement {
    sid       = "OwnDomainRecords"
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = ["arn:${local.partition}:route53:::hostedzone/*"]

    condition {
      test     = "ForAllValues:StringLike"
      variable = "route53:ChangeResourceRecordSetsNormalizedRecordNames"
      values   = ["${local.name_prefix}.internal", "*.${local.name_prefix}.internal"]
    }
  }

  # Scalable targets have generated ids: a new one is registered only tagged for this environment (the target has
  # no tags yet), and an existing one is registered again, scaled, tagged or deregistered only while it carries the
  # tag. Only ECS services' desired counts; registering a target for a service also needs ecs:UpdateService on it,
  # which is this environment's only.
  statement {
    sid       = "RegisterTaggedScalableTargets"
    actions   = ["application-autoscaling:RegisterScalableTarget"]
    resources = ["arn:${local.partition}:application-autoscaling:${local.in_region}:scalable-target/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.environment]
    }

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/Environment"
      values   = ["true"]
    }

    condition {
      test     = "StringEquals"
      variable = "application-autoscaling:service-namespace"
      values   = ["ecs"]
    }

    condition {
      test     = "StringEquals"
      variable = "application-autoscaling:scalable-dimension"
      values   = ["ecs:service:DesiredCount"]
    }
  }

  statement {
    sid       = "TagNewScalableTargets"
    actions   = ["application-autoscaling:TagResource"]
    resources = ["arn:${local.partition}:application-autoscaling:${local.in_region}:scalable-target/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.environment]
    }

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/Environment"
      values   = ["true"]
    }
  }

  statement {
    sid = "ScaleOwnServices"
    actions = [
      "application-autoscaling:DeleteScalingPolicy",
      "application-autoscaling:DeregisterScalableTarget",
      "application-autoscaling:PutScalingPolicy",
      "application-autoscaling:RegisterScalableTarget",
    ]
    resources = ["arn:${local.partition}:application-autoscaling:${local.in_region}:scalable-target/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment]
    }

    condition {
      test     = "StringEquals"
      variable = "application-autoscaling:service-namespace"
      values   = ["ecs"]
    }

    condition {
      test     = "StringEquals"
      variable = "application-autoscaling:scalable-dimension"
      values   = ["ecs:service:DesiredCount"]
    }
  }

  statement {
    sid       = "OwnScalableTargetTags"
    actions   = ["application-autoscaling:ListTagsForResource", "application-autoscaling:TagResource", "application-autoscaling:UntagResource"]
    resources = ["arn:${local.partition}:application-autoscaling:${local.in_region}:scalable-target/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment]
    }
  }

  statement {
    sid = "OwnLogGroups"
    actions = [
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:ListTagsForResource",
      "logs:PutRetentionPolicy",
      "logs:TagResource",
      "logs:UntagResource",
    ]
    resources = concat(local.log_group_arns, [for arn in local.log_group_arns : "${arn}:*"])
  }
}

data "aws_iam_policy_document" "terraform_data_stores" {
  statement {
    sid = "OwnDatabase"
    actions = [
      "rds:AddTagsToResource",
      "rds:CreateDBInstance",
      "rds:CreateDBParameterGroup",
      "rds:CreateDBSnapshot",
      "rds:CreateDBSubnetGroup",
      "rds:DeleteDBInstance",
      "rds:DeleteDBParameterGroup",
      "rds:DeleteDBSubnetGroup",
      "rds:DescribeDBInstances",
      "rds:DescribeDBParameterGroups",
      "rds:DescribeDBParameters",
      "rds:DescribeDBSubnetGroups",
      "rds:ListTagsForResource",
      "rds:ModifyDBInstance",
      "rds:ModifyDBParameterGroup",
      "rds:ModifyDBSubnetGroup",
      "rds:RemoveTagsFromResource",
    ]
    resources = [
      "${local.arn_rds}:db:${local.name_prefix}",
      "${local.arn_rds}:subgrp:${local.name_prefix}",
      "${local.arn_rds}:pg:${local.name_prefix}-*",
      "${local.arn_rds}:snapshot:${local.name_prefix}-*",
    ]
  }

  # The instance is created with the account's default parameter and option groups.
  statement {
    sid       = "DefaultDatabaseGroups"
    actions   = ["rds:CreateDBInstance", "rds:ModifyDBInstance"]
    resources = ["${local.arn_rds}:pg:default.*", "${local.arn_rds}:og:default:*"]
  }

  # RDS keeps the master password in a secret it creates and owns (named rds!…) with the caller's permissions.
  statement {
    sid       = "DatabaseManagedSecret"
    actions   = ["secretsmanager:CreateSecret", "secretsmanager:DescribeSecret", "secretsmanager:TagResource"]
    resources = ["arn:${local.partition}:secretsmanager:${local.in_region}:secret:rds!*"]
  }

  # Secrets the platform generates (API tokens, database users), named <project>-<environment>-….
  statement {
    sid = "OwnSecrets"
    actions = [
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
      "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = ["arn:${local.partition}:secretsmanager:${local.in_region}:secret:${local.name_prefix}-*"]
  }

  statement {
    sid = "OwnCache"
    actions = [
      "elasticache:AddTagsToResource",
      "elasticache:CreateCacheSubnetGroup",
      "elasticache:CreateReplicationGroup",
      "elasticache:DeleteCacheSubnetGroup",
      "elasticache:DeleteReplicationGroup",
      "elasticache:DescribeCacheClusters",
      "elasticache:DescribeCacheSubnetGroups",
      "elasticache:DescribeReplicationGroups",
      "elasticache:ListTagsForResource",
      "elasticache:ModifyCacheSubnetGroup",
      "elasticache:ModifyReplicationGroup",
      "elasticache:RemoveTagsFromResource",
    ]
    resources = [
      "${local.arn_cache}:replicationgroup:${local.name_prefix}",
      "${local.arn_cache}:cluster:${local.name_prefix}-*",
      "${local.arn_cache}:subnetgroup:${local.name_prefix}",
      "${local.arn_cache}:parametergroup:default.*",
    ]
  }

  statement {
    sid = "OwnTables"
    actions = [
      "dynamodb:CreateTable",
      "dynamodb:DeleteTable",
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeTable",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
      "dynamodb:TagResource",
      "dynamodb:UntagResource",
      "dynamodb:UpdateContinuousBackups",
      "dynamodb:UpdateTable",
    ]
    resources = ["${local.arn_ddb}:table/${local.name_prefix}-*"]
  }
}

data "aws_iam_policy_document" "terraform_iam" {
  statement {
    sid       = "ReadOwnRoles"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies"]
    resources = [local.platform_roles_arn]
  }

  # A role is created, changed or given policies only while it carries this environment's boundary, so the
  # terraform role cannot make a role stronger than the boundary (and so stronger than itself).
  statement {
    sid = "OwnRolesWithinBoundary"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
    ]
    resources = [local.platform_roles_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  # The AWS managed policies the platform's roles use, and no other.
  statement {
    sid       = "AttachServicePolicies"
    actions   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
    resources = [local.platform_roles_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values = [
        "arn:${local.partition}:iam::aws:policy/AWSCodeDeployRoleForECS",
        "arn:${local.partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda",
        "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      ]
    }
  }

  # No iam:UpdateAssumeRolePolicy: IAM has no condition on a trust policy's content, so it would let this role
  # open its roles to another account. The platform's roles trust fixed AWS services; a changed trust policy means
  # replacing the role (terraform apply -replace=…).
  statement {
    sid       = "ChangeOwnRoles"
    actions   = ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription"]
    resources = [local.platform_roles_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  # Tagging requests carry no boundary; tags grant nothing here.
  statement {
    sid       = "TagOwnRoles"
    actions   = ["iam:TagRole", "iam:UntagRole"]
    resources = [local.platform_roles_arn]
  }

  statement {
    sid       = "PassOwnRoles"
    actions   = ["iam:PassRole"]
    resources = concat([local.platform_roles_arn], var.existing_task_role_arns)

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["codedeploy.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]
    }
  }

  # The first ECS cluster, load balancer, database, cache or scaling target of an account creates the
  # service's own role; only those services may be named.
  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["${local.iam_prefix}:role/aws-service-role/*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values = [
        "ecs.amazonaws.com",
        "ecs.application-autoscaling.amazonaws.com",
        "elasticache.amazonaws.com",
        "elasticloadbalancing.amazonaws.com",
        "rds.amazonaws.com",
      ]
    }
  }

  # Role names are unique account-wide whatever the path, so role/<project>-<environment>-* would match a role whose
  # path starts with the prefix and whose name is another environment's: the platform's roles live in path "/" only.
  statement {
    sid       = "NoRolePaths"
    effect    = "Deny"
    actions   = ["iam:CreateRole", "iam:PassRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:TagRole"]
    resources = ["${local.iam_prefix}:role/*/*"]
  }

  # Belt and braces: whatever the statements above match, the boundary itself and a role's boundary stay put.
  statement {
    sid       = "KeepBoundaries"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "terraform_notifications" {
  statement {
    sid = "OwnNotifier"
    actions = [
      "lambda:AddPermission",
      "lambda:CreateAlias",
      "lambda:CreateFunction",
      "lambda:CreateFunctionUrlConfig",
      "lambda:DeleteAlias",
      "lambda:DeleteFunction",
      "lambda:DeleteFunctionUrlConfig",
      "lambda:GetAlias",
      "lambda:GetFunction",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionUrlConfig",
      "lambda:GetPolicy",
      "lambda:ListTags",
      "lambda:ListVersionsByFunction",
      "lambda:PublishVersion",
      "lambda:RemovePermission",
      "lambda:TagResource",
      "lambda:UntagResource",
      "lambda:UpdateAlias",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:UpdateFunctionUrlConfig",
    ]
    resources = ["${local.arn_lambda}:function:${local.name_prefix}-*"]
  }

  # The apply job announces itself through the environment's notifier (AWS_IAM Function URL).
  statement {
    sid       = "CallOwnNotifierUrl"
    actions   = ["lambda:InvokeFunctionUrl"]
    resources = local.notifier_arns

    condition {
      test     = "StringEquals"
      variable = "lambda:FunctionUrlAuthType"
      values   = ["AWS_IAM"]
    }
  }

  statement {
    sid       = "InvokeOwnNotifierThroughUrl"
    actions   = ["lambda:InvokeFunction"]
    resources = local.notifier_arns

    condition {
      test     = "Bool"
      variable = "lambda:InvokedViaFunctionUrl"
      values   = ["true"]
    }
  }

  statement {
    sid = "OwnTopics"
    actions = [
      "sns:CreateTopic",
      "sns:DeleteTopic",
      "sns:GetSubscriptionAttributes",
      "sns:GetTopicAttributes",
      "sns:ListTagsForResource",
      "sns:SetSubscriptionAttributes",
      "sns:SetTopicAttributes",
      "sns:Subscribe",
      "sns:TagResource",
      "sns:Unsubscribe",
      "sns:UntagResource",
    ]
    resources = ["${local.arn_sns}:${local.name_prefix}-*"]
  }

  statement {
    sid = "OwnEventRules"
    actions = [
      "events:DeleteRule",
      "events:DescribeRule",
      "events:DisableRule",
      "events:EnableRule",
      "events:ListTagsForResource",
      "events:ListTargetsByRule",
      "events:PutRule",
      "events:PutTargets",
      "events:RemoveTargets",
      "events:TagResource",
      "events:UntagResource",
    ]
    resources = ["${local.arn_events}:rule/${local.name_prefix}-*"]
  }

  statement {
    sid       = "OwnAlarms"
    actions   = ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"]
    resources = ["${local.arn_alarms}:alarm:${local.name_prefix}-*"]
  }

  statement {
    sid       = "OwnDashboard"
    actions   = ["cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard", "cloudwatch:PutDashboard"]
    resources = ["arn:${local.partition}:cloudwatch::${local.account_id}:dashboard/${local.name_prefix}"]
  }

  # The environment's own SES v2 identities only (by ARN: its sender addresses): created only tagged for this
  # environment (which also tags an identity adopted untagged from SES v1), changed and deleted only while tagged
  # so. SES v1's VerifyEmailIdentity and DeleteIdentity have no resource-level permissions and are not granted.
  dynamic "statement" {
    for_each = length(local.sender_identity_arns) > 0 ? [local.sender_identity_arns] : []

    content {
      sid       = "CreateTaggedSenderIdentity"
      actions   = ["ses:CreateEmailIdentity", "ses:TagResource"]
      resources = statement.value

      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/Environment"
        values   = [var.environment]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.sender_identity_arns) > 0 ? [local.sender_identity_arns] : []

    content {
      sid       = "OwnSenderIdentity"
      actions   = ["ses:DeleteEmailIdentity", "ses:TagResource", "ses:UntagResource"]
      resources = statement.value

      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/Environment"
        values   = [var.environment]
      }
    }
  }

  # Reading is by ARN alone: ListTagsForResource has no tag condition, and an identity adopted from SES v1 is
  # untagged until the first apply tags it.
  dynamic "statement" {
    for_each = length(local.sender_identity_arns) > 0 ? [local.sender_identity_arns] : []

    content {
      sid       = "ReadSenderIdentity"
      actions   = ["ses:GetEmailIdentity", "ses:ListTagsForResource"]
      resources = statement.value
    }
  }
}

data "aws_iam_policy_document" "terraform_deployments" {
  statement {
    sid = "OwnCodeDeploy"
    actions = [
      "codedeploy:CreateApplication",
      "codedeploy:CreateDeploymentGroup",
      "codedeploy:DeleteApplication",
      "codedeploy:DeleteDeploymentGroup",
      "codedeploy:GetApplication",
      "codedeploy:GetDeploymentGroup",
      "codedeploy:ListTagsForResource",
      "codedeploy:TagResource",
      "codedeploy:UntagResource",
      "codedeploy:UpdateApplication",
      "codedeploy:UpdateDeploymentGroup",
    ]
    resources = [
      "arn:${local.partition}:codedeploy:${local.in_region}:application:${local.name_prefix}-*",
      "arn:${local.partition}:codedeploy:${local.in_region}:deploymentgroup:${local.name_prefix}-*/*",
    ]
  }

  # Deployment configurations are AWS's own (CodeDeployDefault.…) or account-wide; reading them changes nothing.
  statement {
    sid       = "ReadDeploymentConfigs"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = ["arn:${local.partition}:codedeploy:${local.in_region}:deploymentconfig:*"]
  }
}

data "aws_iam_policy_document" "terraform_edge" {
  statement {
    sid = "OwnWebAcl"
    actions = [
      "wafv2:AssociateWebACL",
      "wafv2:CreateWebACL",
      "wafv2:DeleteWebACL",
      "wafv2:DisassociateWebACL",
      "wafv2:GetWebACL",
      "wafv2:ListTagsForResource",
      "wafv2:TagResource",
      "wafv2:UntagResource",
      "wafv2:UpdateWebACL",
    ]
    resources = ["arn:${local.partition}:wafv2:${local.in_region}:regional/webacl/${local.name_prefix}/*"]
  }

  # AWS's managed rule groups the web ACL references, and the load balancer it protects.
  statement {
    sid       = "UseManagedRulesOnOwnBalancer"
    actions   = ["wafv2:AssociateWebACL", "wafv2:CreateWebACL", "wafv2:DisassociateWebACL", "wafv2:UpdateWebACL"]
    resources = ["arn:${local.partition}:wafv2:${local.in_region}:regional/managedruleset/*/*", "${local.arn_elb}:loadbalancer/app/${local.name_prefix}/*"]
  }

  # Neither has resource-level permissions in IAM (README.md, "Account-wide permissions").
  statement {
    sid       = "WebAclOfResources"
    actions   = ["elasticloadbalancing:SetWebACL", "wafv2:GetWebACLForResource"]
    resources = ["*"]
  }

  # Certificates have generated ids: requested tagged for this environment, then changed only while tagged so.
  statement {
    sid       = "RequestTaggedCertificates"
    actions   = ["acm:AddTagsToCertificate", "acm:RequestCertificate"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.environment]
    }
  }

  statement {
    sid       = "OwnCertificates"
    actions   = ["acm:DeleteCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate"]
    resources = ["arn:${local.partition}:acm:${local.in_region}:certificate/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment]
    }
  }
}
