import type { PlanResource } from '@berth/terraform-harness';
import { ofType, onlyOfType, referencedResource, tagsOf } from '../platform-plan.ts';
import {
  arn,
  type Call,
  type CallsByOperation,
  environmentOf,
  generatedId,
  read,
  type ResourceCalls,
  type Subject,
} from './resource-calls.ts';

export const ec2Calls: Record<string, ResourceCalls> = {
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
};

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
export function ec2(subject: Subject, type: string, resource: PlanResource = subject.resource) {
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

/** The environment's VPC id where the account names it (route53:VPCs carries it), a stand-in otherwise. */
export function vpcIdOf(subject: Subject, resource: PlanResource): string {
  return subject.at.vpcIds?.[environmentOf(resource, subject.environment)] ?? generatedId('vpc', resource);
}

/** The parent an EC2 resource is created in, when the plan holds exactly one of that type (the environment's VPC). */
export function parentVpc(subject: Subject) {
  return ec2(subject, 'vpc', onlyOfType(subject.platform, 'aws_vpc'));
}

export function securityGroupRule(subject: Subject, direction: 'Ingress' | 'Egress'): CallsByOperation {
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
