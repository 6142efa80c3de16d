import type { PlanResource } from '@berth/terraform-harness';
import { knownString, referencedResource, tagsOf } from '../platform-plan.ts';
import { ecsArn } from './ecs.ts';
import {
  arn,
  type Call,
  environmentOf,
  generatedId,
  read,
  type ResourceCalls,
  type Subject,
} from './resource-calls.ts';

/**
 * Scalable targets have generated ids (scalable-target/<id>), so IAM tells environments apart by the target's
 * Environment tag: aws:RequestTag on RegisterScalableTarget and TagResource when the provider registers a new
 * target with the default tags, aws:ResourceTag on every call about an existing one (the target of a scaling
 * policy included), application-autoscaling:service-namespace and :scalable-dimension on the calls that have them.
 */
export const applicationAutoscalingCalls: Record<string, ResourceCalls> = {
  aws_appautoscaling_target: (subject) => {
    const target = scalableTarget(subject, subject.resource);
    const service = ecsArn(subject, knownString(subject.resource, 'resource_id'));
    return {
      read: [read('application-autoscaling:DescribeScalableTargets'), target.tagged('ListTagsForResource')],
      // Registering a target for an ECS service also needs these on the service itself.
      create: [
        target.registering('RegisterScalableTarget'),
        target.registering('TagResource'),
        { action: 'ecs:DescribeServices', resource: service },
        { action: 'ecs:UpdateService', resource: service },
      ],
      // A changed capacity registers the existing target again (without tags); changed tags are tagged.
      update: [target.tagged('RegisterScalableTarget'), target.tagged('TagResource'), target.tagged('UntagResource')],
      delete: [target.tagged('DeregisterScalableTarget')],
    };
  },

  aws_appautoscaling_policy: (subject) => {
    // A scaling policy is authorised on its scalable target, with the target's tags.
    const target = scalableTarget(subject, referencedResource(subject.platform, subject.resource, 'resource_id'));
    return {
      read: [read('application-autoscaling:DescribeScalingPolicies')],
      create: [target.tagged('PutScalingPolicy')],
      update: [target.tagged('PutScalingPolicy')],
      delete: [target.tagged('DeleteScalingPolicy')],
    };
  },
};

/** Actions that carry the target's service namespace and scalable dimension as condition keys. */
const NAMESPACED = new Set([
  'RegisterScalableTarget',
  'DeregisterScalableTarget',
  'PutScalingPolicy',
  'DeleteScalingPolicy',
]);

interface ScalableTargetCalls {
  /** A call registering the target anew: the request's tags are the environment's, the target has none yet. */
  registering(action: string): Call;
  /** A call about the existing target, which carries the environment's tag. */
  tagged(action: string): Call;
}

export function scalableTarget(subject: Subject, target: PlanResource): ScalableTargetCalls {
  const resource = arn(subject.at, 'application-autoscaling', `scalable-target/${generatedId('x', target).slice(2)}`);
  const tags = tagsOf(target);
  const dimensions = (action: string): Record<string, string> =>
    NAMESPACED.has(action)
      ? {
          'application-autoscaling:service-namespace': knownString(target, 'service_namespace'),
          'application-autoscaling:scalable-dimension': knownString(target, 'scalable_dimension'),
        }
      : {};
  return {
    registering: (action) => ({
      action: `application-autoscaling:${action}`,
      resource,
      context: {
        ...dimensions(action),
        'aws:RequestTag/Environment': tags.Environment ?? '',
        'aws:TagKeys': Object.keys(tags),
      },
    }),
    tagged: (action) => ({
      action: `application-autoscaling:${action}`,
      resource,
      context: { ...dimensions(action), 'aws:ResourceTag/Environment': environmentOf(target, subject.environment) },
    }),
  };
}
