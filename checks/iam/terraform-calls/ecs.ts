import { knownString, onlyOfType } from '../platform-plan.ts';
import { passRole, rolesTrusting } from './iam.ts';
import { arn, type Call, type ResourceCalls, type Subject } from './resource-calls.ts';

export const ecsCalls: Record<string, ResourceCalls> = {
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
};

export function ecsArn(subject: Subject, rest: string): string {
  return arn(subject.at, 'ecs', rest);
}

export function clusterName(subject: Subject): string {
  return knownString(onlyOfType(subject.platform, 'aws_ecs_cluster'), 'name');
}
