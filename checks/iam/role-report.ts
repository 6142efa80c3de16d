import type { PlanJson, PlanResource } from '@berth/terraform-harness';
import { plannedResources, readDataSources } from '@berth/terraform-harness';
import { parsePolicyDocument, type PolicyDocument } from './policy-document.ts';

/**
 * What `npm run iam:policies` prints for one environment: every role that environment's jobs may assume, with its
 * policies as Terraform rendered them, and the resources the roles are scoped to. Read from a plan of the storage
 * root, never written by hand, so it is exactly what an apply would create.
 */

export const DEPLOY_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type DeployEnvironment = (typeof DEPLOY_ENVIRONMENTS)[number];
export const ROLE_PURPOSES = ['deploy', 'terraform', 'plan', 'build', 'bootstrap'] as const;
export type RolePurpose = (typeof ROLE_PURPOSES)[number];

export interface RoleReport {
  name: string;
  arn: string;
  purpose: RolePurpose;
  /** The environment the role serves; null for account-level roles (build). */
  environment: DeployEnvironment | null;
  trustPolicy: PolicyDocument;
  /** Attached managed policies and inline policies, in name order. */
  policies: PolicyDocument[];
  permissionsBoundary: PolicyDocument | null;
}

export interface EnvironmentResources {
  clusterArn: string;
  serviceArns: string[];
  taskRoleArns: string[];
  executionRoleArns: string[];
  stateObjectArn: string;
  /** terraform/secrets' state, which only the terraform role may read. */
  secretsStateObjectArn: string;
  ecrRepositoryArns: string[];
}

export interface EnvironmentReport {
  environment: DeployEnvironment;
  roles: RoleReport[];
  resources: EnvironmentResources;
}

export function isDeployEnvironment(value: string): value is DeployEnvironment {
  return (DEPLOY_ENVIRONMENTS as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyValue(values: unknown[], what: string): string {
  const distinct = [...new Set(values.filter((value): value is string => typeof value === 'string'))];
  if (distinct.length !== 1) {
    throw new Error(
      `the plan should read exactly one ${what}, found ${distinct.length ? distinct.join(', ') : 'none'}`,
    );
  }
  return distinct[0] as string;
}

/** Account and partition the plan was made for, from its aws_caller_identity and aws_partition reads. */
function accountOf(plan: PlanJson): { accountId: string; partition: string } {
  const reads = readDataSources(plan);
  return {
    accountId: onlyValue(
      reads.filter((read) => read.type === 'aws_caller_identity').map((read) => read.values.account_id),
      'account id (data.aws_caller_identity)',
    ),
    partition: onlyValue(
      reads.filter((read) => read.type === 'aws_partition').map((read) => read.values.partition),
      'partition (data.aws_partition)',
    ),
  };
}

function stringValue(resource: PlanResource, key: string): string {
  const value = resource.values[key];
  if (typeof value !== 'string' || value === '') {
    throw new Error(
      `${resource.address}: ${key} is not known at plan time; the roles must be planned with known names`,
    );
  }
  return value;
}

function iamArn(partition: string, accountId: string, kind: 'role' | 'policy', resource: PlanResource): string {
  const path = typeof resource.values.path === 'string' ? resource.values.path : '/';
  return `arn:${partition}:iam::${accountId}:${kind}${path}${stringValue(resource, 'name')}`;
}

function tagsOf(resource: PlanResource): Record<string, string> {
  const tags = resource.values.tags_all ?? resource.values.tags;
  return isRecord(tags) ? (tags as Record<string, string>) : {};
}

function resourcesFromOutput(plan: PlanJson, environment: DeployEnvironment): EnvironmentResources {
  const output = plan.planned_values?.outputs?.environment_access?.value;
  if (output === null) {
    throw new Error(
      'environment_access is null: the storage root was planned with create_github_oidc = false, so it creates no roles',
    );
  }
  const access = isRecord(output) ? output[environment] : undefined;
  if (!isRecord(access) || !isRecord(access.resources)) {
    throw new Error(
      `the storage plan has no environment_access output for ${environment} ` +
        `(environments planned: ${isRecord(output) ? Object.keys(output).join(', ') || 'none' : 'none'})`,
    );
  }
  const resources = access.resources;
  const list = (key: string): string[] => (Array.isArray(resources[key]) ? (resources[key] as string[]) : []);
  return {
    clusterArn: String(resources.cluster_arn),
    serviceArns: list('service_arns'),
    taskRoleArns: list('task_role_arns'),
    executionRoleArns: list('execution_role_arns'),
    stateObjectArn: String(resources.state_object_arn),
    secretsStateObjectArn: String(resources.secrets_state_object_arn),
    ecrRepositoryArns: list('ecr_repository_arns'),
  };
}

/**
 * The report for `environment`: the roles tagged with that environment and the account-level roles (no
 * environment tag of their own), each with its trust policy, the documents of its attached and inline policies
 * and its permissions boundary. A policy the plan references but does not contain is an error, never an omission.
 */
export function environmentReport(plan: PlanJson, environment: DeployEnvironment): EnvironmentReport {
  const { accountId, partition } = accountOf(plan);
  const managed = plannedResources(plan).filter((resource) => resource.mode === 'managed');
  const ofType = (type: string): PlanResource[] => managed.filter((resource) => resource.type === type);
  const policiesByArn = new Map(
    ofType('aws_iam_policy').map((policy) => [iamArn(partition, accountId, 'policy', policy), policy]),
  );
  const documentAt = (arn: string, origin: string): PolicyDocument => {
    const policy = policiesByArn.get(arn);
    if (policy === undefined)
      throw new Error(`${origin}: ${arn} is not created by this plan, so its document is unknown`);
    return parsePolicyDocument(policy.values.policy, `${policy.address} policy`);
  };

  const roles: RoleReport[] = [];
  for (const role of ofType('aws_iam_role')) {
    const tags = tagsOf(role);
    const purpose = tags.Purpose;
    if (!(ROLE_PURPOSES as readonly string[]).includes(purpose ?? '')) {
      throw new Error(
        `${role.address}: tag Purpose is "${purpose ?? ''}"; expected one of ${ROLE_PURPOSES.join(', ')}`,
      );
    }
    const roleEnvironment =
      tags.Environment !== undefined && isDeployEnvironment(tags.Environment) ? tags.Environment : null;
    if (roleEnvironment !== null && roleEnvironment !== environment) continue;
    const name = stringValue(role, 'name');
    const attached = ofType('aws_iam_role_policy_attachment')
      .filter((attachment) => attachment.values.role === name)
      .map((attachment) => stringValue(attachment, 'policy_arn'))
      .sort()
      .map((arn) => documentAt(arn, `${role.address} attachment`));
    const inline = ofType('aws_iam_role_policy')
      .filter((policy) => policy.values.role === name)
      .sort((a, b) => String(a.values.name).localeCompare(String(b.values.name)))
      .map((policy) => parsePolicyDocument(policy.values.policy, `${policy.address} policy`));
    const boundary = role.values.permissions_boundary;
    roles.push({
      name,
      arn: iamArn(partition, accountId, 'role', role),
      purpose: purpose as RolePurpose,
      environment: roleEnvironment,
      trustPolicy: parsePolicyDocument(role.values.assume_role_policy, `${role.address} assume_role_policy`),
      policies: [...attached, ...inline],
      permissionsBoundary:
        typeof boundary === 'string' && boundary !== ''
          ? documentAt(boundary, `${role.address} permissions_boundary`)
          : null,
    });
  }
  roles.sort(
    (a, b) => ROLE_PURPOSES.indexOf(a.purpose) - ROLE_PURPOSES.indexOf(b.purpose) || a.name.localeCompare(b.name),
  );
  return { environment, roles, resources: resourcesFromOutput(plan, environment) };
}
