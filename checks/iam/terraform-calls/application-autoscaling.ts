import { knownString, tagsOf } from '../platform-plan.ts';
import { ecsArn } from './ecs.ts';
import { arn, type Call, generatedId, read, type ResourceCalls, type Subject } from './resource-calls.ts';

export const applicationAutoscalingCalls: Record<string, ResourceCalls> = {
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
};

/** Scalable targets have generated ids and no resource tag conditions: account-wide, for ECS only. */
export function scalableTarget(subject: Subject): (action: string) => Call {
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
