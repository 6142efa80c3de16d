import { knownString } from '../platform-plan.ts';
import { arn, type Call, read, type ResourceCalls, type Subject } from './resource-calls.ts';

export const logsCalls: Record<string, ResourceCalls> = {
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
};

export function logGroupArn(subject: Subject, name: string): string {
  return arn(subject.at, 'logs', `log-group:${name}`);
}
