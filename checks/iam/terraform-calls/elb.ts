import type { PlanResource } from '@berth/terraform-harness';
import { knownString, referencedResource } from '../platform-plan.ts';
import { arn, type Call, generatedId, read, type ResourceCalls } from './resource-calls.ts';

export const elbCalls: Record<string, ResourceCalls> = {
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
};

export const elbId = (resource: PlanResource): string => generatedId('x', resource).slice(2, 18);
