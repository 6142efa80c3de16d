import { knownString } from '../platform-plan.ts';
import { arn, type Call, generatedId, type ResourceCalls } from './resource-calls.ts';

export const rdsCalls: Record<string, ResourceCalls> = {
  aws_db_subnet_group: (subject) => {
    const group = arn(subject.at, 'rds', `subgrp:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `rds:${action}`, resource: group });
    return {
      read: [on('DescribeDBSubnetGroups'), on('ListTagsForResource')],
      create: [on('CreateDBSubnetGroup'), on('AddTagsToResource')],
      update: [on('ModifyDBSubnetGroup')],
      delete: [on('DeleteDBSubnetGroup')],
    };
  },

  aws_db_instance: (subject) => {
    const identifier = knownString(subject.resource, 'identifier');
    const instance = arn(subject.at, 'rds', `db:${identifier}`);
    const on = (action: string): Call => ({ action: `rds:${action}`, resource: instance });
    const engine = `${knownString(subject.resource, 'engine')}${knownString(subject.resource, 'engine_version').split('.')[0]}`;
    const subnetGroup = arn(subject.at, 'rds', `subgrp:${knownString(subject.resource, 'db_subnet_group_name')}`);
    const secret = arn(
      subject.at,
      'secretsmanager',
      `secret:rds!db-${generatedId('x', subject.resource).slice(2, 14)}-AbCdEf`,
    );
    const finalSnapshot = subject.resource.values.final_snapshot_identifier;
    const group = subject.resource.values.parameter_group_name;
    // The account's default group (shared by every environment, only referenced) unless the platform makes one.
    const parameterGroup =
      typeof group === 'string' && group !== '' && !group.startsWith('default.') ? group : undefined;
    const managedSecret = subject.resource.values.manage_master_user_password === true;
    return {
      read: [on('DescribeDBInstances'), on('ListTagsForResource')],
      create: [
        on('CreateDBInstance'),
        { action: 'rds:CreateDBInstance', resource: subnetGroup },
        // The account's default parameter group, shared by every environment and only referenced.
        parameterGroup === undefined
          ? {
              action: 'rds:CreateDBInstance',
              resource: arn(subject.at, 'rds', `pg:default.${engine}`),
              scope: 'account',
            }
          : { action: 'rds:CreateDBInstance', resource: arn(subject.at, 'rds', `pg:${parameterGroup}`) },
        on('AddTagsToResource'),
        ...(managedSecret
          ? [
              { action: 'secretsmanager:CreateSecret', resource: secret, scope: 'account' as const },
              { action: 'secretsmanager:TagResource', resource: secret, scope: 'account' as const },
            ]
          : []),
      ],
      update: [on('ModifyDBInstance')],
      delete: [
        on('DeleteDBInstance'),
        ...(typeof finalSnapshot === 'string' && finalSnapshot !== ''
          ? [
              on('CreateDBSnapshot'),
              { action: 'rds:CreateDBSnapshot', resource: arn(subject.at, 'rds', `snapshot:${finalSnapshot}`) },
            ]
          : []),
      ],
    };
  },

  aws_db_parameter_group: (subject) => {
    const group = arn(subject.at, 'rds', `pg:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `rds:${action}`, resource: group });
    return {
      read: [on('DescribeDBParameterGroups'), on('DescribeDBParameters'), on('ListTagsForResource')],
      create: [on('CreateDBParameterGroup'), on('AddTagsToResource'), on('ModifyDBParameterGroup')],
      update: [on('ModifyDBParameterGroup')],
      delete: [on('DeleteDBParameterGroup')],
    };
  },
};
