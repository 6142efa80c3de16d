import { createHash } from 'node:crypto';
import type { PlanResource } from '@berth/terraform-harness';
import {
  knownString,
  moduleAddressOf,
  ofType,
  onlyOfType,
  referencedResource,
  tagsOf,
  type PlatformPlan,
} from './platform-plan.ts';
import type { JobCall } from './simulator.ts';

/**
 * The AWS calls `terraform plan`, `apply` and `destroy` make for each resource type of terraform/platform (the
 * hashicorp/aws provider's create, read, update and delete), with the ARNs and request context IAM sees, computed
 * from a plan of the platform. A type the table does not know is an error: a new kind of resource in the platform
 * cannot go unchecked.
 */

export type Operation = 'read' | 'create' | 'update' | 'delete';
export const OPERATIONS: readonly Operation[] = ['read', 'create', 'update', 'delete'];

export interface ArnScope {
  partition: string;
  region: string;
  accountId: string;
  /** Per environment, its VPC's id as the account knows it (the storage root's environment_vpc_ids). */
  vpcIds?: Record<string, string>;
}

interface Call {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** Default: environment. */
  scope?: 'account';
}

type CallsByOperation = Partial<Record<Operation, Call[]>>;

interface Subject {
  resource: PlanResource;
  platform: PlatformPlan;
  at: ArnScope;
  /** The resource's Environment tag (that of the environment the plan is for when it has no tags). */
  environment: string;
}

type ResourceCalls = (subject: Subject) => CallsByOperation;

function arn(at: ArnScope, service: string, rest: string, regional = true): string {
  return `arn:${at.partition}:${service}:${regional ? at.region : ''}:${at.accountId}:${rest}`;
}

/** A stable stand-in for an id AWS generates (vpc-…, subnet-…), so calls name one concrete resource. */
function generatedId(prefix: string, resource: PlanResource, salt = ''): string {
  const hex = createHash('sha256').update(`${resource.address}${salt}`).digest('hex').slice(0, 17);
  return `${prefix}-${hex}`;
}

function read(action: string): Call {
  return { action, resource: '*', scope: 'account' };
}

const ec2Prefixes: Record<string, string> = {
  vpc: 'vpc',
  subnet: 'subnet',
  'internet-gateway': 'igw',
  'route-table': 'rtb',
  'elastic-ip': 'eipalloc',
  natgateway: 'nat',
  'vpc-endpoint': 'vpce',
  'security-group': 'sg',
  'security-group-rule': 'sgr',
};

/** An EC2 resource of `type` standing for `resource`, with the Environment tag it carries. */
function ec2(subject: Subject, type: string, resource: PlanResource = subject.resource) {
  const id = type === 'vpc' ? vpcIdOf(subject, resource) : generatedId(ec2Prefixes[type] ?? type, resource);
  const existing = (action: string): Call => ({
    action: `ec2:${action}`,
    resource: arn(subject.at, 'ec2', `${type}/${id}`),
    context: { 'aws:ResourceTag/Environment': environmentOf(resource, subject.environment) },
  });
  const created = (action: string): Call[] => {
    const tags = tagsOf(resource);
    const requestTags = {
      'aws:RequestTag/Environment': tags.Environment ?? '',
      'aws:TagKeys': Object.keys(tags),
    };
    const resourceArn = arn(subject.at, 'ec2', `${type}/${id}`);
    return [
      { action: `ec2:${action}`, resource: resourceArn, context: requestTags },
      { action: 'ec2:CreateTags', resource: resourceArn, context: { ...requestTags, 'ec2:CreateAction': action } },
    ];
  };
  return { existing, created };
}

function environmentOf(resource: PlanResource, fallback: string): string {
  return tagsOf(resource).Environment ?? fallback;
}

/** The environment's VPC id where the account names it (route53:VPCs carries it), a stand-in otherwise. */
function vpcIdOf(subject: Subject, resource: PlanResource): string {
  return subject.at.vpcIds?.[environmentOf(resource, subject.environment)] ?? generatedId('vpc', resource);
}

/** The parent an EC2 resource is created in, when the plan holds exactly one of that type (the environment's VPC). */
function parentVpc(subject: Subject) {
  return ec2(subject, 'vpc', onlyOfType(subject.platform, 'aws_vpc'));
}

function ecsArn(subject: Subject, rest: string): string {
  return arn(subject.at, 'ecs', rest);
}

function clusterName(subject: Subject): string {
  return knownString(onlyOfType(subject.platform, 'aws_ecs_cluster'), 'name');
}

/** Roles of the plan a service assumes (their trust policy names it), in one module when `moduleAddress` is given. */
function rolesTrusting(subject: Subject, service: string, moduleAddress?: string): string[] {
  return ofType(subject.platform, 'aws_iam_role')
    .filter((role) => String(role.values.assume_role_policy ?? '').includes(service))
    .filter((role) => moduleAddress === undefined || moduleAddressOf(role) === moduleAddress)
    .map((role) => arn(subject.at, 'iam', `role/${knownString(role, 'name')}`, false));
}

/** `name` or `name:qualifier` of a resource that names a function and maybe an alias or version. */
function qualifiedFunction(resource: PlanResource): string {
  const qualifier = resource.values.qualifier;
  const name = knownString(resource, 'function_name');
  return typeof qualifier === 'string' && qualifier !== '' ? `${name}:${qualifier}` : name;
}

function passRole(roleArn: string, service: string): Call {
  return { action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': service } };
}

/** IAM actions whose requests carry the role's permissions boundary as iam:PermissionsBoundary. */
const BOUNDARY_AWARE = new Set([
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:GetRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
]);

function roleCalls(
  subject: Subject,
  role: PlanResource,
  actions: string[],
  extra: Record<string, string> = {},
): Call[] {
  const boundary = role.values.permissions_boundary;
  return actions.map((action) => ({
    action,
    resource: arn(subject.at, 'iam', `role/${knownString(role, 'name')}`, false),
    context: {
      ...(BOUNDARY_AWARE.has(action) && typeof boundary === 'string' && boundary !== ''
        ? { 'iam:PermissionsBoundary': boundary }
        : {}),
      ...extra,
    },
  }));
}

function logGroupArn(subject: Subject, name: string): string {
  return arn(subject.at, 'logs', `log-group:${name}`);
}

const elbId = (resource: PlanResource): string => generatedId('x', resource).slice(2, 18);

export const RESOURCE_CALLS: Record<string, ResourceCalls> = {
  aws_vpc: (subject) => {
    const vpc = ec2(subject, 'vpc');
    return {
      read: [
        'DescribeVpcs',
        'DescribeVpcAttribute',
        'DescribeNetworkAcls',
        'DescribeRouteTables',
        'DescribeSecurityGroups',
      ].map((a) => read(`ec2:${a}`)),
      create: [...vpc.created('CreateVpc'), vpc.existing('ModifyVpcAttribute')],
      update: [vpc.existing('ModifyVpcAttribute')],
      delete: [vpc.existing('DeleteVpc')],
    };
  },
  aws_subnet: (subject) => {
    const subnet = ec2(subject, 'subnet');
    return {
      read: [read('ec2:DescribeSubnets')],
      create: [
        ...subnet.created('CreateSubnet'),
        parentVpc(subject).existing('CreateSubnet'),
        subnet.existing('ModifySubnetAttribute'),
      ],
      update: [subnet.existing('ModifySubnetAttribute')],
      delete: [subnet.existing('DeleteSubnet')],
    };
  },
  aws_internet_gateway: (subject) => {
    const gateway = ec2(subject, 'internet-gateway');
    const vpc = parentVpc(subject);
    return {
      read: [read('ec2:DescribeInternetGateways')],
      create: [
        ...gateway.created('CreateInternetGateway'),
        gateway.existing('AttachInternetGateway'),
        vpc.existing('AttachInternetGateway'),
      ],
      delete: [
        gateway.existing('DetachInternetGateway'),
        vpc.existing('DetachInternetGateway'),
        gateway.existing('DeleteInternetGateway'),
      ],
    };
  },
  aws_route_table: (subject) => {
    const table = ec2(subject, 'route-table');
    const routes = Array.isArray(subject.resource.values.route) ? subject.resource.values.route.length : 0;
    return {
      read: [read('ec2:DescribeRouteTables')],
      create: [
        ...table.created('CreateRouteTable'),
        parentVpc(subject).existing('CreateRouteTable'),
        ...(routes > 0 ? [table.existing('CreateRoute')] : []),
      ],
      update: [table.existing('CreateRoute'), table.existing('ReplaceRoute'), table.existing('DeleteRoute')],
      delete: [table.existing('DeleteRouteTable')],
    };
  },
  aws_route: (subject) => {
    const table = ec2(subject, 'route-table', referencedResource(subject.platform, subject.resource, 'route_table_id'));
    return {
      read: [read('ec2:DescribeRouteTables')],
      create: [table.existing('CreateRoute')],
      update: [table.existing('ReplaceRoute')],
      delete: [table.existing('DeleteRoute')],
    };
  },
  aws_route_table_association: (subject) => {
    const table = ec2(subject, 'route-table', referencedResource(subject.platform, subject.resource, 'route_table_id'));
    const subnet = ec2(subject, 'subnet', referencedResource(subject.platform, subject.resource, 'subnet_id'));
    return {
      read: [read('ec2:DescribeRouteTables')],
      create: [table.existing('AssociateRouteTable'), subnet.existing('AssociateRouteTable')],
      delete: [table.existing('DisassociateRouteTable'), subnet.existing('DisassociateRouteTable')],
    };
  },
  aws_eip: (subject) => {
    const address = ec2(subject, 'elastic-ip');
    return {
      read: [read('ec2:DescribeAddresses'), read('ec2:DescribeAddressesAttribute')],
      create: address.created('AllocateAddress'),
      delete: [address.existing('ReleaseAddress')],
    };
  },
  aws_nat_gateway: (subject) => {
    const gateway = ec2(subject, 'natgateway');
    const subnet = ec2(subject, 'subnet', referencedResource(subject.platform, subject.resource, 'subnet_id'));
    const address = ec2(subject, 'elastic-ip', referencedResource(subject.platform, subject.resource, 'allocation_id'));
    return {
      read: [read('ec2:DescribeNatGateways')],
      create: [
        ...gateway.created('CreateNatGateway'),
        subnet.existing('CreateNatGateway'),
        address.existing('CreateNatGateway'),
      ],
      delete: [gateway.existing('DeleteNatGateway')],
    };
  },
  aws_vpc_endpoint: (subject) => {
    const endpoint = ec2(subject, 'vpc-endpoint');
    const tables = ofType(subject.platform, 'aws_route_table').map((table) => ec2(subject, 'route-table', table));
    return {
      read: [read('ec2:DescribeVpcEndpoints'), read('ec2:DescribePrefixLists')],
      create: [
        ...endpoint.created('CreateVpcEndpoint'),
        parentVpc(subject).existing('CreateVpcEndpoint'),
        ...tables.map((table) => table.existing('CreateVpcEndpoint')),
      ],
      update: [endpoint.existing('ModifyVpcEndpoint')],
      delete: [endpoint.existing('DeleteVpcEndpoints')],
    };
  },
  aws_security_group: (subject) => {
    const group = ec2(subject, 'security-group');
    return {
      read: [read('ec2:DescribeSecurityGroups'), read('ec2:DescribeSecurityGroupRules')],
      // The provider removes the default allow-all egress rule of every new group.
      create: [
        ...group.created('CreateSecurityGroup'),
        parentVpc(subject).existing('CreateSecurityGroup'),
        group.existing('RevokeSecurityGroupEgress'),
      ],
      delete: [group.existing('DeleteSecurityGroup')],
    };
  },
  aws_vpc_security_group_ingress_rule: (subject) => securityGroupRule(subject, 'Ingress'),
  aws_vpc_security_group_egress_rule: (subject) => securityGroupRule(subject, 'Egress'),

  aws_lb: (subject) => {
    const name = knownString(subject.resource, 'name');
    const balancer = arn(subject.at, 'elasticloadbalancing', `loadbalancer/app/${name}/${elbId(subject.resource)}`);
    const on = (action: string, context?: Record<string, string>): Call => ({
      action: `elasticloadbalancing:${action}`,
      resource: balancer,
      context,
    });
    return {
      read: ['DescribeLoadBalancers', 'DescribeLoadBalancerAttributes', 'DescribeTags'].map((a) =>
        read(`elasticloadbalancing:${a}`),
      ),
      create: [
        on('CreateLoadBalancer'),
        on('AddTags', { 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer' }),
        on('ModifyLoadBalancerAttributes'),
      ],
      update: [on('ModifyLoadBalancerAttributes'), on('SetSecurityGroups'), on('SetSubnets')],
      delete: [on('DeleteLoadBalancer')],
    };
  },
  aws_lb_target_group: (subject) => {
    const name = knownString(subject.resource, 'name');
    const group = arn(subject.at, 'elasticloadbalancing', `targetgroup/${name}/${elbId(subject.resource)}`);
    const on = (action: string, context?: Record<string, string>): Call => ({
      action: `elasticloadbalancing:${action}`,
      resource: group,
      context,
    });
    return {
      read: ['DescribeTargetGroups', 'DescribeTargetGroupAttributes', 'DescribeTags'].map((a) =>
        read(`elasticloadbalancing:${a}`),
      ),
      create: [
        on('CreateTargetGroup'),
        on('AddTags', { 'elasticloadbalancing:CreateAction': 'CreateTargetGroup' }),
        on('ModifyTargetGroupAttributes'),
      ],
      update: [on('ModifyTargetGroup'), on('ModifyTargetGroupAttributes')],
      delete: [on('DeleteTargetGroup')],
    };
  },
  aws_lb_listener: (subject) => {
    const balancerResource = referencedResource(subject.platform, subject.resource, 'load_balancer_arn');
    const balancerPath = `app/${knownString(balancerResource, 'name')}/${elbId(balancerResource)}`;
    const balancer = arn(subject.at, 'elasticloadbalancing', `loadbalancer/${balancerPath}`);
    const listener = arn(subject.at, 'elasticloadbalancing', `listener/${balancerPath}/${elbId(subject.resource)}`);
    return {
      read: ['DescribeListeners', 'DescribeListenerAttributes', 'DescribeTags'].map((a) =>
        read(`elasticloadbalancing:${a}`),
      ),
      create: [
        { action: 'elasticloadbalancing:CreateListener', resource: balancer },
        {
          action: 'elasticloadbalancing:AddTags',
          resource: listener,
          context: { 'elasticloadbalancing:CreateAction': 'CreateListener' },
        },
      ],
      update: [{ action: 'elasticloadbalancing:ModifyListener', resource: listener }],
      delete: [{ action: 'elasticloadbalancing:DeleteListener', resource: listener }],
    };
  },

  aws_ecs_cluster: (subject) => {
    const cluster = ecsArn(subject, `cluster/${knownString(subject.resource, 'name')}`);
    const on = (action: string, context?: Record<string, string>): Call => ({
      action: `ecs:${action}`,
      resource: cluster,
      context,
    });
    return {
      read: [on('DescribeClusters'), on('ListTagsForResource')],
      create: [on('CreateCluster'), on('TagResource', { 'ecs:CreateAction': 'CreateCluster' })],
      update: [on('UpdateCluster'), on('UpdateClusterSettings'), on('TagResource')],
      delete: [on('DeleteCluster')],
    };
  },
  aws_ecs_cluster_capacity_providers: (subject) => {
    const cluster = ecsArn(subject, `cluster/${knownString(subject.resource, 'cluster_name')}`);
    return {
      read: [{ action: 'ecs:DescribeClusters', resource: cluster }],
      create: [{ action: 'ecs:PutClusterCapacityProviders', resource: cluster }],
      update: [{ action: 'ecs:PutClusterCapacityProviders', resource: cluster }],
      delete: [{ action: 'ecs:PutClusterCapacityProviders', resource: cluster }],
    };
  },
  aws_ecs_task_definition: (subject) => {
    const revision = ecsArn(subject, `task-definition/${knownString(subject.resource, 'family')}:1`);
    const passed = [subject.resource.values.execution_role_arn, subject.resource.values.task_role_arn].filter(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    const roles = passed.length > 0 ? passed : rolesTrusting(subject, 'ecs-tasks.amazonaws.com');
    return {
      read: [{ action: 'ecs:DescribeTaskDefinition', resource: '*', scope: 'account' }],
      create: [
        { action: 'ecs:RegisterTaskDefinition', resource: revision },
        { action: 'ecs:TagResource', resource: revision, context: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
        ...roles.map((role) => passRole(role, 'ecs-tasks.amazonaws.com')),
      ],
      // Deregistering has no resource-level permissions (environment-access README, "Account-wide permissions").
      delete: [{ action: 'ecs:DeregisterTaskDefinition', resource: '*', scope: 'account' }],
    };
  },
  aws_ecs_service: (subject) => {
    const service = ecsArn(subject, `service/${clusterName(subject)}/${knownString(subject.resource, 'name')}`);
    const on = (action: string, context?: Record<string, string>): Call => ({
      action: `ecs:${action}`,
      resource: service,
      context,
    });
    return {
      read: [on('DescribeServices'), on('ListTagsForResource')],
      create: [on('CreateService'), on('TagResource', { 'ecs:CreateAction': 'CreateService' })],
      update: [on('UpdateService'), on('TagResource')],
      // The provider scales the service to zero, then deletes it.
      delete: [on('UpdateService'), on('DeleteService')],
    };
  },
  aws_service_discovery_http_namespace: (subject) => {
    const namespace = arn(subject.at, 'servicediscovery', `namespace/${generatedId('ns', subject.resource)}`);
    const tagged = { 'aws:ResourceTag/Environment': environmentOf(subject.resource, subject.environment) };
    const requestTags = {
      'aws:RequestTag/Environment': tagsOf(subject.resource).Environment ?? '',
      'aws:TagKeys': Object.keys(tagsOf(subject.resource)),
    };
    return {
      read: [
        { action: 'servicediscovery:GetNamespace', resource: namespace, context: tagged },
        read('servicediscovery:ListTagsForResource'),
      ],
      create: [
        { action: 'servicediscovery:CreateHttpNamespace', resource: '*', context: requestTags },
        { action: 'servicediscovery:TagResource', resource: '*', context: requestTags },
        { action: 'servicediscovery:GetOperation', resource: namespace, context: tagged },
      ],
      update: [{ action: 'servicediscovery:UpdateHttpNamespace', resource: namespace, context: tagged }],
      delete: [
        { action: 'servicediscovery:DeleteNamespace', resource: namespace, context: tagged },
        { action: 'servicediscovery:GetOperation', resource: namespace, context: tagged },
      ],
    };
  },
  aws_appautoscaling_target: (subject) => {
    const target = scalableTarget(subject);
    const service = ecsArn(subject, knownString(subject.resource, 'resource_id'));
    return {
      read: [read('application-autoscaling:DescribeScalableTargets'), target('ListTagsForResource')],
      // Registering a target for an ECS service also needs these on the service itself.
      create: [
        target('RegisterScalableTarget'),
        target('TagResource'),
        { action: 'ecs:DescribeServices', resource: service },
        { action: 'ecs:UpdateService', resource: service },
      ],
      update: [target('RegisterScalableTarget')],
      delete: [target('DeregisterScalableTarget')],
    };
  },
  aws_appautoscaling_policy: (subject) => {
    const target = scalableTarget(subject);
    return {
      read: [read('application-autoscaling:DescribeScalingPolicies')],
      create: [target('PutScalingPolicy')],
      update: [target('PutScalingPolicy')],
      delete: [target('DeleteScalingPolicy')],
    };
  },
  aws_cloudwatch_log_group: (subject) => {
    const group = logGroupArn(subject, knownString(subject.resource, 'name'));
    const on = (action: string): Call => ({ action: `logs:${action}`, resource: group });
    return {
      read: [read('logs:DescribeLogGroups'), on('ListTagsForResource')],
      create: [on('CreateLogGroup'), on('TagResource'), on('PutRetentionPolicy')],
      update: [on('PutRetentionPolicy'), on('DeleteRetentionPolicy'), on('TagResource')],
      delete: [on('DeleteLogGroup')],
    };
  },

  aws_db_subnet_group: (subject) => {
    const group = arn(subject.at, 'rds', `subgrp:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `rds:${action}`, resource: group });
    return {
      read: [on('DescribeDBSubnetGroups'), on('ListTagsForResource')],
      create: [on('CreateDBSubnetGroup'), on('AddTagsToResource')],
      update: [on('ModifyDBSubnetGroup')],
      delete: [on('DeleteDBSubnetGroup')],
    };
  },
  aws_db_instance: (subject) => {
    const identifier = knownString(subject.resource, 'identifier');
    const instance = arn(subject.at, 'rds', `db:${identifier}`);
    const on = (action: string): Call => ({ action: `rds:${action}`, resource: instance });
    const engine = `${knownString(subject.resource, 'engine')}${knownString(subject.resource, 'engine_version').split('.')[0]}`;
    const subnetGroup = arn(subject.at, 'rds', `subgrp:${knownString(subject.resource, 'db_subnet_group_name')}`);
    const secret = arn(
      subject.at,
      'secretsmanager',
      `secret:rds!db-${generatedId('x', subject.resource).slice(2, 14)}-AbCdEf`,
    );
    const finalSnapshot = subject.resource.values.final_snapshot_identifier;
    const group = subject.resource.values.parameter_group_name;
    // The account's default group (shared by every environment, only referenced) unless the platform makes one.
    const parameterGroup =
      typeof group === 'string' && group !== '' && !group.startsWith('default.') ? group : undefined;
    const managedSecret = subject.resource.values.manage_master_user_password === true;
    return {
      read: [on('DescribeDBInstances'), on('ListTagsForResource')],
      create: [
        on('CreateDBInstance'),
        { action: 'rds:CreateDBInstance', resource: subnetGroup },
        // The account's default parameter group, shared by every environment and only referenced.
        parameterGroup === undefined
          ? {
              action: 'rds:CreateDBInstance',
              resource: arn(subject.at, 'rds', `pg:default.${engine}`),
              scope: 'account',
            }
          : { action: 'rds:CreateDBInstance', resource: arn(subject.at, 'rds', `pg:${parameterGroup}`) },
        on('AddTagsToResource'),
        ...(managedSecret
          ? [
              { action: 'secretsmanager:CreateSecret', resource: secret, scope: 'account' as const },
              { action: 'secretsmanager:TagResource', resource: secret, scope: 'account' as const },
            ]
          : []),
      ],
      update: [on('ModifyDBInstance')],
      delete: [
        on('DeleteDBInstance'),
        ...(typeof finalSnapshot === 'string' && finalSnapshot !== ''
          ? [
              on('CreateDBSnapshot'),
              { action: 'rds:CreateDBSnapshot', resource: arn(subject.at, 'rds', `snapshot:${finalSnapshot}`) },
            ]
          : []),
      ],
    };
  },
  aws_db_parameter_group: (subject) => {
    const group = arn(subject.at, 'rds', `pg:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `rds:${action}`, resource: group });
    return {
      read: [on('DescribeDBParameterGroups'), on('DescribeDBParameters'), on('ListTagsForResource')],
      create: [on('CreateDBParameterGroup'), on('AddTagsToResource'), on('ModifyDBParameterGroup')],
      update: [on('ModifyDBParameterGroup')],
      delete: [on('DeleteDBParameterGroup')],
    };
  },
  aws_secretsmanager_secret: (subject) => {
    const secret = arn(subject.at, 'secretsmanager', `secret:${knownString(subject.resource, 'name')}-AbCdEf`);
    const on = (action: string): Call => ({ action: `secretsmanager:${action}`, resource: secret });
    return {
      read: [on('DescribeSecret'), on('GetResourcePolicy')],
      create: [on('CreateSecret'), on('TagResource')],
      update: [on('UpdateSecret'), on('TagResource')],
      delete: [on('DeleteSecret')],
    };
  },
  aws_secretsmanager_secret_version: (subject) => {
    const name = knownString(referencedResource(subject.platform, subject.resource, 'secret_id'), 'name');
    const secret = arn(subject.at, 'secretsmanager', `secret:${name}-AbCdEf`);
    const on = (action: string): Call => ({ action: `secretsmanager:${action}`, resource: secret });
    return {
      read: [on('GetSecretValue'), on('DescribeSecret')],
      create: [on('PutSecretValue')],
      update: [on('PutSecretValue'), on('UpdateSecretVersionStage')],
      delete: [on('UpdateSecretVersionStage')],
    };
  },
  aws_acm_certificate: (subject) => {
    const certificate = arn(subject.at, 'acm', `certificate/${generatedId('c', subject.resource).slice(2)}`);
    const tags = tagsOf(subject.resource);
    const requestTags = { 'aws:RequestTag/Environment': tags.Environment ?? '', 'aws:TagKeys': Object.keys(tags) };
    const tagged = { 'aws:ResourceTag/Environment': environmentOf(subject.resource, subject.environment) };
    return {
      read: [
        { action: 'acm:DescribeCertificate', resource: certificate, context: tagged },
        { action: 'acm:ListTagsForCertificate', resource: certificate, context: tagged },
      ],
      create: [
        { action: 'acm:RequestCertificate', resource: '*', context: requestTags },
        { action: 'acm:AddTagsToCertificate', resource: '*', context: requestTags },
      ],
      delete: [{ action: 'acm:DeleteCertificate', resource: certificate, context: tagged }],
    };
  },
  aws_acm_certificate_validation: (subject) => {
    const certificateResource = referencedResource(subject.platform, subject.resource, 'certificate_arn');
    const certificate = arn(subject.at, 'acm', `certificate/${generatedId('c', certificateResource).slice(2)}`);
    const tagged = { 'aws:ResourceTag/Environment': environmentOf(certificateResource, subject.environment) };
    return { create: [{ action: 'acm:DescribeCertificate', resource: certificate, context: tagged }] };
  },
  aws_wafv2_web_acl: (subject) => {
    const acl = arn(
      subject.at,
      'wafv2',
      `regional/webacl/${knownString(subject.resource, 'name')}/${generatedId('x', subject.resource).slice(2)}`,
    );
    const on = (action: string): Call => ({ action: `wafv2:${action}`, resource: acl });
    return {
      read: [on('GetWebACL'), on('ListTagsForResource')],
      create: [on('CreateWebACL'), on('TagResource')],
      update: [on('UpdateWebACL')],
      delete: [on('DeleteWebACL')],
    };
  },
  aws_wafv2_web_acl_association: (subject) => {
    const aclResource = referencedResource(subject.platform, subject.resource, 'web_acl_arn');
    const acl = arn(
      subject.at,
      'wafv2',
      `regional/webacl/${knownString(aclResource, 'name')}/${generatedId('x', aclResource).slice(2)}`,
    );
    const balancerResource = onlyOfType(subject.platform, 'aws_lb');
    const balancer = arn(
      subject.at,
      'elasticloadbalancing',
      `loadbalancer/app/${knownString(balancerResource, 'name')}/${elbId(balancerResource)}`,
    );
    return {
      read: [{ action: 'wafv2:GetWebACLForResource', resource: '*', scope: 'account' }],
      create: [
        { action: 'wafv2:AssociateWebACL', resource: acl },
        { action: 'wafv2:AssociateWebACL', resource: balancer },
        { action: 'elasticloadbalancing:SetWebACL', resource: '*', scope: 'account' },
      ],
      delete: [
        { action: 'wafv2:DisassociateWebACL', resource: balancer },
        { action: 'elasticloadbalancing:SetWebACL', resource: '*', scope: 'account' },
      ],
    };
  },
  aws_elasticache_subnet_group: (subject) => {
    const group = arn(subject.at, 'elasticache', `subnetgroup:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `elasticache:${action}`, resource: group });
    return {
      read: [on('DescribeCacheSubnetGroups'), on('ListTagsForResource')],
      create: [on('CreateCacheSubnetGroup'), on('AddTagsToResource')],
      update: [on('ModifyCacheSubnetGroup')],
      delete: [on('DeleteCacheSubnetGroup')],
    };
  },
  aws_elasticache_replication_group: (subject) => {
    const id = knownString(subject.resource, 'replication_group_id');
    const group = arn(subject.at, 'elasticache', `replicationgroup:${id}`);
    const count = Number(subject.resource.values.num_cache_clusters ?? 1);
    const clusters = Array.from({ length: count }, (_, index) =>
      arn(subject.at, 'elasticache', `cluster:${id}-${String(index + 1).padStart(3, '0')}`),
    );
    const engine = `${knownString(subject.resource, 'engine')}${knownString(subject.resource, 'engine_version').split('.')[0]}`;
    const subnetGroup = ofType(subject.platform, 'aws_elasticache_subnet_group').map((g) => knownString(g, 'name'));
    const on = (action: string): Call => ({ action: `elasticache:${action}`, resource: group });
    return {
      read: [
        on('DescribeReplicationGroups'),
        on('ListTagsForResource'),
        ...clusters.map((cluster) => ({ action: 'elasticache:DescribeCacheClusters', resource: cluster })),
      ],
      create: [
        on('CreateReplicationGroup'),
        ...clusters.map((cluster) => ({ action: 'elasticache:CreateReplicationGroup', resource: cluster })),
        {
          action: 'elasticache:CreateReplicationGroup',
          resource: arn(subject.at, 'elasticache', `parametergroup:default.${engine}`),
          scope: 'account' as const,
        },
        ...subnetGroup.map((name) => ({
          action: 'elasticache:CreateReplicationGroup',
          resource: arn(subject.at, 'elasticache', `subnetgroup:${name}`),
        })),
        on('AddTagsToResource'),
      ],
      update: [on('ModifyReplicationGroup')],
      delete: [on('DeleteReplicationGroup')],
    };
  },
  aws_dynamodb_table: (subject) => {
    const table = arn(subject.at, 'dynamodb', `table/${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `dynamodb:${action}`, resource: table });
    return {
      read: [on('DescribeTable'), on('DescribeContinuousBackups'), on('DescribeTimeToLive'), on('ListTagsOfResource')],
      create: [on('CreateTable'), on('TagResource'), on('UpdateContinuousBackups')],
      update: [on('UpdateTable'), on('UpdateContinuousBackups')],
      delete: [on('DeleteTable')],
    };
  },

  aws_iam_role: (subject) => ({
    read: roleCalls(subject, subject.resource, ['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies']),
    create: roleCalls(subject, subject.resource, ['iam:CreateRole', 'iam:TagRole']),
    // A changed trust policy replaces the role: the terraform role has no iam:UpdateAssumeRolePolicy (environment-access).
    update: roleCalls(subject, subject.resource, ['iam:UpdateRole']),
    delete: roleCalls(subject, subject.resource, ['iam:ListInstanceProfilesForRole', 'iam:DeleteRole']),
  }),
  aws_iam_role_policy: (subject) => {
    const role = referencedResource(subject.platform, subject.resource, 'role');
    return {
      read: roleCalls(subject, role, ['iam:GetRolePolicy']),
      create: roleCalls(subject, role, ['iam:PutRolePolicy']),
      update: roleCalls(subject, role, ['iam:PutRolePolicy']),
      delete: roleCalls(subject, role, ['iam:DeleteRolePolicy']),
    };
  },
  aws_iam_role_policy_attachment: (subject) => {
    const role = referencedResource(subject.platform, subject.resource, 'role');
    const policy = { 'iam:PolicyARN': knownString(subject.resource, 'policy_arn') };
    return {
      read: roleCalls(subject, role, ['iam:ListAttachedRolePolicies']),
      create: roleCalls(subject, role, ['iam:AttachRolePolicy'], policy),
      delete: roleCalls(subject, role, ['iam:DetachRolePolicy'], policy),
    };
  },

  aws_lambda_function: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${knownString(subject.resource, 'function_name')}`);
    const on = (action: string): Call => ({ action: `lambda:${action}`, resource: fn });
    // The role is known when the account supplies it; otherwise it is the plan's role for Lambda.
    const role = subject.resource.values.role;
    const roles = typeof role === 'string' && role !== '' ? [role] : rolesTrusting(subject, 'lambda.amazonaws.com');
    return {
      read: [on('GetFunction'), on('ListVersionsByFunction'), on('GetFunctionCodeSigningConfig')],
      create: [on('CreateFunction'), on('TagResource'), ...roles.map((r) => passRole(r, 'lambda.amazonaws.com'))],
      update: [
        on('UpdateFunctionCode'),
        on('UpdateFunctionConfiguration'),
        ...(subject.resource.values.publish === true ? [on('PublishVersion')] : []),
        ...roles.map((r) => passRole(r, 'lambda.amazonaws.com')),
      ],
      delete: [on('DeleteFunction')],
    };
  },
  aws_lambda_function_url: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${qualifiedFunction(subject.resource)}`);
    const auth = { 'lambda:FunctionUrlAuthType': knownString(subject.resource, 'authorization_type') };
    return {
      read: [{ action: 'lambda:GetFunctionUrlConfig', resource: fn }],
      create: [{ action: 'lambda:CreateFunctionUrlConfig', resource: fn, context: auth }],
      update: [{ action: 'lambda:UpdateFunctionUrlConfig', resource: fn, context: auth }],
      delete: [{ action: 'lambda:DeleteFunctionUrlConfig', resource: fn }],
    };
  },
  aws_lambda_permission: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${qualifiedFunction(subject.resource)}`);
    return {
      read: [{ action: 'lambda:GetPolicy', resource: fn }],
      create: [
        {
          action: 'lambda:AddPermission',
          resource: fn,
          context: { 'lambda:Principal': knownString(subject.resource, 'principal') },
        },
      ],
      delete: [{ action: 'lambda:RemovePermission', resource: fn }],
    };
  },
  aws_lambda_alias: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${knownString(subject.resource, 'function_name')}`);
    const on = (action: string): Call => ({ action: `lambda:${action}`, resource: fn });
    return {
      read: [on('GetAlias')],
      create: [on('CreateAlias')],
      update: [on('UpdateAlias')],
      delete: [on('DeleteAlias')],
    };
  },
  aws_codedeploy_app: (subject) => {
    const application = arn(subject.at, 'codedeploy', `application:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `codedeploy:${action}`, resource: application });
    return {
      read: [on('GetApplication'), on('ListTagsForResource')],
      create: [on('CreateApplication'), on('TagResource')],
      update: [on('UpdateApplication'), on('TagResource')],
      delete: [on('DeleteApplication')],
    };
  },
  aws_codedeploy_deployment_group: (subject) => {
    const application = knownString(subject.resource, 'app_name');
    const group = arn(
      subject.at,
      'codedeploy',
      `deploymentgroup:${application}/${knownString(subject.resource, 'deployment_group_name')}`,
    );
    const on = (action: string): Call => ({ action: `codedeploy:${action}`, resource: group });
    const configuration = knownString(subject.resource, 'deployment_config_name');
    const serviceRole = subject.resource.values.service_role_arn;
    const roles =
      typeof serviceRole === 'string' && serviceRole !== ''
        ? [serviceRole]
        : rolesTrusting(subject, 'codedeploy.amazonaws.com', moduleAddressOf(subject.resource));
    return {
      read: [
        on('GetDeploymentGroup'),
        on('ListTagsForResource'),
        // AWS's own configurations (CodeDeployDefault.…), shared by every environment.
        {
          action: 'codedeploy:GetDeploymentConfig',
          resource: arn(subject.at, 'codedeploy', `deploymentconfig:${configuration}`),
          scope: 'account',
        },
      ],
      create: [
        on('CreateDeploymentGroup'),
        on('TagResource'),
        ...roles.map((role) => passRole(role, 'codedeploy.amazonaws.com')),
      ],
      update: [on('UpdateDeploymentGroup'), ...roles.map((role) => passRole(role, 'codedeploy.amazonaws.com'))],
      delete: [on('DeleteDeploymentGroup')],
    };
  },
  aws_service_discovery_private_dns_namespace: (subject) => {
    const namespace = arn(subject.at, 'servicediscovery', `namespace/${generatedId('ns', subject.resource)}`);
    const zone = `arn:${subject.at.partition}:route53:::hostedzone/${generatedId('Z', subject.resource).slice(2).toUpperCase()}`;
    const tagged = { 'aws:ResourceTag/Environment': environmentOf(subject.resource, subject.environment) };
    const tags = tagsOf(subject.resource);
    const requestTags = { 'aws:RequestTag/Environment': tags.Environment ?? '', 'aws:TagKeys': Object.keys(tags) };
    // Cloud Map creates the namespace's private hosted zone with the caller's permissions, naming the VPC in
    // route53:VPCs (AWS Cloud Map API permissions reference); deleting the namespace needs no Route 53 permission.
    const vpc = onlyOfType(subject.platform, 'aws_vpc');
    const vpcs = { 'route53:VPCs': `VPCId=${vpcIdOf(subject, vpc)},VPCRegion=${subject.at.region}` };
    return {
      read: [
        { action: 'servicediscovery:GetNamespace', resource: namespace, context: tagged },
        read('servicediscovery:ListTagsForResource'),
      ],
      create: [
        { action: 'servicediscovery:CreatePrivateDnsNamespace', resource: '*', context: requestTags },
        { action: 'servicediscovery:TagResource', resource: '*', context: requestTags },
        { action: 'servicediscovery:GetOperation', resource: namespace, context: tagged },
        { action: 'route53:CreateHostedZone', resource: '*', context: vpcs },
        { action: 'route53:GetHostedZone', resource: zone, scope: 'account' },
        read('route53:ListHostedZonesByName'),
        read('ec2:DescribeVpcs'),
        read('ec2:DescribeRegions'),
      ],
      update: [{ action: 'servicediscovery:UpdatePrivateDnsNamespace', resource: namespace, context: tagged }],
      delete: [
        { action: 'servicediscovery:DeleteNamespace', resource: namespace, context: tagged },
        { action: 'servicediscovery:GetOperation', resource: namespace, context: tagged },
      ],
    };
  },
  aws_service_discovery_service: (subject) => {
    const namespaceResource = onlyOfType(subject.platform, 'aws_service_discovery_private_dns_namespace');
    const namespace = arn(subject.at, 'servicediscovery', `namespace/${generatedId('ns', namespaceResource)}`);
    const service = arn(subject.at, 'servicediscovery', `service/${generatedId('srv', subject.resource)}`);
    const tagged = { 'aws:ResourceTag/Environment': environmentOf(subject.resource, subject.environment) };
    const tags = tagsOf(subject.resource);
    const requestTags = { 'aws:RequestTag/Environment': tags.Environment ?? '', 'aws:TagKeys': Object.keys(tags) };
    return {
      read: [{ action: 'servicediscovery:GetService', resource: service, context: tagged }],
      create: [
        { action: 'servicediscovery:CreateService', resource: service, context: requestTags },
        {
          action: 'servicediscovery:CreateService',
          resource: namespace,
          context: { 'aws:ResourceTag/Environment': environmentOf(namespaceResource, subject.environment) },
        },
        { action: 'servicediscovery:TagResource', resource: '*', context: requestTags },
        {
          action: 'route53:GetHostedZone',
          resource: `arn:${subject.at.partition}:route53:::hostedzone/${generatedId('Z', namespaceResource).slice(2).toUpperCase()}`,
          scope: 'account',
        },
      ],
      update: [{ action: 'servicediscovery:UpdateService', resource: service, context: tagged }],
      delete: [{ action: 'servicediscovery:DeleteService', resource: service, context: tagged }],
    };
  },
  aws_ses_email_identity: () => ({
    read: [read('ses:GetIdentityVerificationAttributes')],
    create: [{ action: 'ses:VerifyEmailIdentity', resource: '*', scope: 'account' }],
    delete: [{ action: 'ses:DeleteIdentity', resource: '*', scope: 'account' }],
  }),
  aws_sns_topic: (subject) => {
    const topic = arn(subject.at, 'sns', knownString(subject.resource, 'name'));
    const on = (action: string): Call => ({ action: `sns:${action}`, resource: topic });
    return {
      read: [on('GetTopicAttributes'), on('ListTagsForResource')],
      create: [on('CreateTopic'), on('TagResource'), on('SetTopicAttributes')],
      update: [on('SetTopicAttributes')],
      delete: [on('DeleteTopic')],
    };
  },
  aws_sns_topic_policy: (subject) => {
    const topic = arn(
      subject.at,
      'sns',
      knownString(referencedResource(subject.platform, subject.resource, 'arn'), 'name'),
    );
    return {
      read: [{ action: 'sns:GetTopicAttributes', resource: topic }],
      create: [{ action: 'sns:SetTopicAttributes', resource: topic }],
      update: [{ action: 'sns:SetTopicAttributes', resource: topic }],
      delete: [{ action: 'sns:SetTopicAttributes', resource: topic }],
    };
  },
  aws_sns_topic_subscription: (subject) => {
    const topicName = knownString(referencedResource(subject.platform, subject.resource, 'topic_arn'), 'name');
    // IAM authorises subscription calls on the topic the subscription belongs to.
    const topic = arn(subject.at, 'sns', topicName);
    return {
      read: [{ action: 'sns:GetSubscriptionAttributes', resource: topic }],
      create: [
        {
          action: 'sns:Subscribe',
          resource: topic,
          context: { 'sns:Protocol': knownString(subject.resource, 'protocol') },
        },
      ],
      update: [{ action: 'sns:SetSubscriptionAttributes', resource: topic }],
      delete: [{ action: 'sns:Unsubscribe', resource: topic }],
    };
  },
  aws_cloudwatch_event_rule: (subject) => {
    const rule = arn(subject.at, 'events', `rule/${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `events:${action}`, resource: rule });
    return {
      read: [on('DescribeRule'), on('ListTagsForResource')],
      create: [on('PutRule'), on('TagResource')],
      update: [on('PutRule')],
      delete: [on('DeleteRule')],
    };
  },
  aws_cloudwatch_event_target: (subject) => {
    const rule = arn(subject.at, 'events', `rule/${knownString(subject.resource, 'rule')}`);
    return {
      read: [{ action: 'events:ListTargetsByRule', resource: rule }],
      create: [{ action: 'events:PutTargets', resource: rule }],
      update: [{ action: 'events:PutTargets', resource: rule }],
      delete: [{ action: 'events:RemoveTargets', resource: rule }],
    };
  },
  aws_cloudwatch_metric_alarm: (subject) => {
    const alarm = arn(subject.at, 'cloudwatch', `alarm:${knownString(subject.resource, 'alarm_name')}`);
    const on = (action: string): Call => ({ action: `cloudwatch:${action}`, resource: alarm });
    return {
      read: [on('DescribeAlarms'), on('ListTagsForResource')],
      create: [on('PutMetricAlarm'), on('TagResource')],
      update: [on('PutMetricAlarm')],
      delete: [on('DeleteAlarms')],
    };
  },
  aws_cloudwatch_dashboard: (subject) => {
    const dashboard = arn(
      subject.at,
      'cloudwatch',
      `dashboard/${knownString(subject.resource, 'dashboard_name')}`,
      false,
    );
    return {
      read: [{ action: 'cloudwatch:GetDashboard', resource: dashboard }],
      create: [{ action: 'cloudwatch:PutDashboard', resource: dashboard }],
      update: [{ action: 'cloudwatch:PutDashboard', resource: dashboard }],
      delete: [{ action: 'cloudwatch:DeleteDashboards', resource: dashboard }],
    };
  },
};

function securityGroupRule(subject: Subject, direction: 'Ingress' | 'Egress'): CallsByOperation {
  const rule = ec2(subject, 'security-group-rule');
  const group = ec2(
    subject,
    'security-group',
    referencedResource(subject.platform, subject.resource, 'security_group_id'),
  );
  return {
    read: [read('ec2:DescribeSecurityGroupRules')],
    create: [
      ...rule.created(`AuthorizeSecurityGroup${direction}`),
      group.existing(`AuthorizeSecurityGroup${direction}`),
    ],
    update: [group.existing('ModifySecurityGroupRules')],
    delete: [group.existing(`RevokeSecurityGroup${direction}`)],
  };
}

/** Scalable targets have generated ids and no resource tag conditions: account-wide, for ECS only. */
function scalableTarget(subject: Subject): (action: string) => Call {
  const target = arn(
    subject.at,
    'application-autoscaling',
    `scalable-target/${generatedId('x', subject.resource).slice(2)}`,
  );
  const tags = tagsOf(subject.resource);
  return (action): Call => {
    if (action === 'TagResource') {
      // Tagging on registration: the request's tags are the environment's.
      return {
        action: `application-autoscaling:${action}`,
        resource: target,
        context: { 'aws:RequestTag/Environment': tags.Environment ?? '', 'aws:TagKeys': Object.keys(tags) },
      };
    }
    if (action === 'ListTagsForResource') {
      return { action: `application-autoscaling:${action}`, resource: target, scope: 'account' };
    }
    return {
      action: `application-autoscaling:${action}`,
      resource: target,
      context: { 'application-autoscaling:service-namespace': 'ecs' },
      scope: 'account',
    };
  };
}
/**
 * Every call Terraform makes for the plan's resources in the given operations. Throws, naming every type at once,
 * when the plan holds resource types this table does not describe.
 */
export function terraformCalls(
  platform: PlatformPlan,
  at: ArnScope,
  environment: string,
  operations: readonly Operation[],
): JobCall[] {
  const unknownTypes = [...new Set(platform.resources.map((resource) => resource.type))].filter(
    (type) => !(type in RESOURCE_CALLS),
  );
  if (unknownTypes.length > 0) {
    throw new Error(
      `checks/iam/terraform-calls.ts describes no AWS calls for ${unknownTypes.join(', ')}: add each type to ` +
        'RESOURCE_CALLS, and what it needs to the terraform role (terraform/modules/environment-access)',
    );
  }
  const calls: JobCall[] = [];
  for (const resource of platform.resources) {
    const byOperation = (RESOURCE_CALLS[resource.type] as ResourceCalls)({ resource, platform, at, environment });
    for (const operation of operations) {
      for (const call of byOperation[operation] ?? []) {
        calls.push({ ...call, scope: call.scope ?? 'environment', origin: `${resource.address} (${operation})` });
      }
    }
  }
  return calls;
}
