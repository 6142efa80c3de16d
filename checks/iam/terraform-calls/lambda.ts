import type { PlanResource } from '@berth/terraform-harness';
import { knownString } from '../platform-plan.ts';
import { passRole, rolesTrusting } from './iam.ts';
import { arn, type Call, type ResourceCalls } from './resource-calls.ts';

export const lambdaCalls: Record<string, ResourceCalls> = {
  aws_lambda_function: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${knownString(subject.resource, 'function_name')}`);
    const on = (action: string): Call => ({ action: `lambda:${action}`, resource: fn });
    // The role is known when the account supplies it; otherwise it is the plan's role for Lambda.
    const role = subject.resource.values.role;
    const roles = typeof role === 'string' && role !== '' ? [role] : rolesTrusting(subject, 'lambda.amazonaws.com');
    return {
      read: [on('GetFunction'), on('ListVersionsByFunction'), on('GetFunctionCodeSigningConfig')],
      create: [on('CreateFunction'), on('TagResource'), ...roles.map((r) => passRole(r, 'lambda.amazonaws.com'))],
      update: [
        on('UpdateFunctionCode'),
        on('UpdateFunctionConfiguration'),
        ...(subject.resource.values.publish === true ? [on('PublishVersion')] : []),
        ...roles.map((r) => passRole(r, 'lambda.amazonaws.com')),
      ],
      delete: [on('DeleteFunction')],
    };
  },

  aws_lambda_function_url: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${qualifiedFunction(subject.resource)}`);
    const auth = { 'lambda:FunctionUrlAuthType': knownString(subject.resource, 'authorization_type') };
    return {
      read: [{ action: 'lambda:GetFunctionUrlConfig', resource: fn }],
      create: [{ action: 'lambda:CreateFunctionUrlConfig', resource: fn, context: auth }],
      update: [{ action: 'lambda:UpdateFunctionUrlConfig', resource: fn, context: auth }],
      delete: [{ action: 'lambda:DeleteFunctionUrlConfig', resource: fn }],
    };
  },

  aws_lambda_permission: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${qualifiedFunction(subject.resource)}`);
    return {
      read: [{ action: 'lambda:GetPolicy', resource: fn }],
      create: [
        {
          action: 'lambda:AddPermission',
          resource: fn,
          context: { 'lambda:Principal': knownString(subject.resource, 'principal') },
        },
      ],
      delete: [{ action: 'lambda:RemovePermission', resource: fn }],
    };
  },

  aws_lambda_alias: (subject) => {
    const fn = arn(subject.at, 'lambda', `function:${knownString(subject.resource, 'function_name')}`);
    const on = (action: string): Call => ({ action: `lambda:${action}`, resource: fn });
    return {
      read: [on('GetAlias')],
      create: [on('CreateAlias')],
      update: [on('UpdateAlias')],
      delete: [on('DeleteAlias')],
    };
  },
};

/** `name` or `name:qualifier` of a resource that names a function and maybe an alias or version. */
export function qualifiedFunction(resource: PlanResource): string {
  const qualifier = resource.values.qualifier;
  const name = knownString(resource, 'function_name');
  return typeof qualifier === 'string' && qualifier !== '' ? `${name}:${qualifier}` : name;
}
