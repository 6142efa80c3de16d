import { knownString } from '../platform-plan.ts';
import { arn, type Call, type ResourceCalls } from './resource-calls.ts';

export const eventsCalls: Record<string, ResourceCalls> = {
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
};
