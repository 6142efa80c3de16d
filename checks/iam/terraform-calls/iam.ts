import type { PlanResource } from '@berth/terraform-harness';
import { knownString, moduleAddressOf, ofType, referencedResource } from '../platform-plan.ts';
import { arn, type Call, type ResourceCalls, type Subject } from './resource-calls.ts';

export const iamCalls: Record<string, ResourceCalls> = {
  aws_iam_role: (subject) => ({
    read: roleCalls(subject, subject.resource, ['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies']),
    create: roleCalls(subject, subject.resource, ['iam:CreateRole', 'iam:TagRole']),
    // A changed trust policy replaces the role: the terraform role has no iam:UpdateAssumeRolePolicy (environment-access).
    update: roleCalls(subject, subject.resource, ['iam:UpdateRole']),
    delete: roleCalls(subject, subject.resource, ['iam:ListInstanceProfilesForRole', 'iam:DeleteRole']),
  }),

  aws_iam_role_policy: (subject) => {
    const role = referencedResource(subject.platform, subject.resource, 'role');
    return {
      read: roleCalls(subject, role, ['iam:GetRolePolicy']),
      create: roleCalls(subject, role, ['iam:PutRolePolicy']),
      update: roleCalls(subject, role, ['iam:PutRolePolicy']),
      delete: roleCalls(subject, role, ['iam:DeleteRolePolicy']),
    };
  },

  aws_iam_role_policy_attachment: (subject) => {
    const role = referencedResource(subject.platform, subject.resource, 'role');
    const policy = { 'iam:PolicyARN': knownString(subject.resource, 'policy_arn') };
    return {
      read: roleCalls(subject, role, ['iam:ListAttachedRolePolicies']),
      create: roleCalls(subject, role, ['iam:AttachRolePolicy'], policy),
      delete: roleCalls(subject, role, ['iam:DetachRolePolicy'], policy),
    };
  },
};

/** Roles of the plan a service assumes (their trust policy names it), in one module when `moduleAddress` is given. */
export function rolesTrusting(subject: Subject, service: string, moduleAddress?: string): string[] {
  return ofType(subject.platform, 'aws_iam_role')
    .filter((role) => String(role.values.assume_role_policy ?? '').includes(service))
    .filter((role) => moduleAddress === undefined || moduleAddressOf(role) === moduleAddress)
    .map((role) => arn(subject.at, 'iam', `role/${knownString(role, 'name')}`, false));
}

export function passRole(roleArn: string, service: string): Call {
  return { action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': service } };
}

/** IAM actions whose requests carry the role's permissions boundary as iam:PermissionsBoundary. */
const BOUNDARY_AWARE = new Set([
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:GetRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
]);

export function roleCalls(
  subject: Subject,
  role: PlanResource,
  actions: string[],
  extra: Record<string, string> = {},
): Call[] {
  const boundary = role.values.permissions_boundary;
  return actions.map((action) => ({
    action,
    resource: arn(subject.at, 'iam', `role/${knownString(role, 'name')}`, false),
    context: {
      ...(BOUNDARY_AWARE.has(action) && typeof boundary === 'string' && boundary !== ''
        ? { 'iam:PermissionsBoundary': boundary }
        : {}),
      ...extra,
    },
  }));
}
