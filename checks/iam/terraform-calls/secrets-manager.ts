import { knownString, referencedResource } from '../platform-plan.ts';
import {
  arn,
  type ArnScope,
  type Call,
  type CallsByOperation,
  type DataSourceCalls,
  type ResourceCalls,
} from './resource-calls.ts';

/** A secret's ARN as IAM sees it: its name and the six characters Secrets Manager appends. */
export function secretArnOf(at: ArnScope, name: string): string {
  return arn(at, 'secretsmanager', `secret:${name}-AbCdEf`);
}

const on =
  (secret: string) =>
  (action: string): Call => ({ action: `secretsmanager:${action}`, resource: secret });

/** What the provider calls for an aws_secretsmanager_secret (its data source reads what `read` does). */
export function secretCalls(secret: string): CallsByOperation {
  const call = on(secret);
  return {
    read: [call('DescribeSecret'), call('GetResourcePolicy')],
    create: [call('CreateSecret'), call('TagResource')],
    update: [call('UpdateSecret'), call('TagResource')],
    delete: [call('DeleteSecret')],
  };
}

/** What the provider calls for an aws_secretsmanager_secret_version of the secret. */
export function secretVersionCalls(secret: string): CallsByOperation {
  const call = on(secret);
  return {
    read: [call('GetSecretValue'), call('DescribeSecret')],
    create: [call('PutSecretValue')],
    update: [call('PutSecretValue'), call('UpdateSecretVersionStage')],
    delete: [call('UpdateSecretVersionStage')],
  };
}

export const secretsManagerCalls: Record<string, ResourceCalls> = {
  aws_secretsmanager_secret: (subject) => secretCalls(secretArnOf(subject.at, knownString(subject.resource, 'name'))),

  aws_secretsmanager_secret_version: (subject) =>
    secretVersionCalls(
      secretArnOf(subject.at, knownString(referencedResource(subject.platform, subject.resource, 'secret_id'), 'name')),
    ),
};

export const secretsManagerDataSourceCalls: Record<string, DataSourceCalls> = {
  // The platform's look-up of a secret terraform/secrets created: its metadata and policy, never its value.
  aws_secretsmanager_secret: (subject) =>
    secretCalls(secretArnOf(subject.at, knownString(subject.resource, 'name'))).read ?? [],
};
