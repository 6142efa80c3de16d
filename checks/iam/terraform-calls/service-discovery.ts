import { onlyOfType, tagsOf } from '../platform-plan.ts';
import { vpcIdOf } from './ec2.ts';
import { arn, environmentOf, generatedId, read, type ResourceCalls } from './resource-calls.ts';

export const serviceDiscoveryCalls: Record<string, ResourceCalls> = {
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
};
