import { knownString } from '../platform-plan.ts';
import { arn, type Call, type ResourceCalls } from './resource-calls.ts';

export const cloudwatchCalls: Record<string, ResourceCalls> = {
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
