import { knownString, referencedResource } from '../platform-plan.ts';
import { arn, type Call, type DataSourceCalls, type ResourceCalls } from './resource-calls.ts';

export const secretsManagerCalls: Record<string, ResourceCalls> = {
  aws_secretsmanager_secret: (subject) => {
    const secret = arn(subject.at, 'secretsmanager', `secret:${knownString(subject.resource, 'name')}-AbCdEf`);
    const on = (action: string): Call => ({ action: `secretsmanager:${action}`, resource: secret });
    return {
      read: [on('DescribeSecret'), on('GetResourcePolicy')],
      create: [on('CreateSecret'), on('TagResource')],
      update: [on('UpdateSecret'), on('TagResource')],
      delete: [on('DeleteSecret')],
    };
  },

  aws_secretsmanager_secret_version: (subject) => {
    const name = knownString(referencedResource(subject.platform, subject.resource, 'secret_id'), 'name');
    const secret = arn(subject.at, 'secretsmanager', `secret:${name}-AbCdEf`);
    const on = (action: string): Call => ({ action: `secretsmanager:${action}`, resource: secret });
    return {
      read: [on('GetSecretValue'), on('DescribeSecret')],
      create: [on('PutSecretValue')],
      update: [on('PutSecretValue'), on('UpdateSecretVersionStage')],
      delete: [on('UpdateSecretVersionStage')],
    };
  },
};

export const secretsManagerDataSourceCalls: Record<string, DataSourceCalls> = {
  // The platform's look-up of a secret terraform/secrets created: its metadata and policy, never its value.
  aws_secretsmanager_secret: (subject) => {
    const secret = arn(subject.at, 'secretsmanager', `secret:${knownString(subject.resource, 'name')}-AbCdEf`);
    return [
      { action: 'secretsmanager:DescribeSecret', resource: secret },
      { action: 'secretsmanager:GetResourcePolicy', resource: secret },
    ];
  },
};
