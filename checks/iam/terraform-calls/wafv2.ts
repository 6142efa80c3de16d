import { knownString, onlyOfType, referencedResource } from '../platform-plan.ts';
import { elbId } from './elb.ts';
import { arn, type Call, generatedId, type ResourceCalls } from './resource-calls.ts';

export const wafv2Calls: Record<string, ResourceCalls> = {
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
};
