import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { AwsCall, Decision, RolePermissions } from './aws-call.ts';
import { asList, statementsOf, type PolicyDocument, type PolicyStatement } from './policy-document.ts';
import { decideGap, isSimulatorGap } from './simulator-gaps.ts';

export type { AwsCall, Decision, RolePermissions } from './aws-call.ts';

/**
 * A call a workflow job makes. `environment`-scoped calls name one environment's resources (by name, or by the
 * Environment tag in their context), so another environment's role must be refused them; `account`-scoped calls
 * are ones IAM cannot tie to an environment (reads without resource-level permissions, and the few writes listed
 * in terraform/modules/environment-access/README.md).
 */
export interface JobCall extends AwsCall {
  scope: 'environment' | 'account';
  /** What makes the call, for messages: `module.vpc.aws_vpc.this (create)`, `ecs-rollout`, … */
  origin: string;
}

export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

/** Partition, account and name of a role ARN; throws a clear error for anything else. */
export function parseRoleArn(arn: string): { partition: string; accountId: string; name: string } {
  const match = ROLE_ARN.exec(arn);
  if (!match) throw new SimulationError(`"${arn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  return { partition: match[1] ?? 'aws', accountId: match[2] ?? '', name: match[3] ?? '' };
}

/** The account that owns a resource: the ARN's account field, or the caller's for S3 and `*`. */
function resourceAccount(resource: string, callerAccount: string): string {
  const account = resource.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : callerAccount;
}

/**
 * Asks the IAM policy simulator whether a session of `role` may make `call`: identity policies and the
 * permissions boundary, evaluated as AWS does. A call the simulator cannot evaluate (an unknown action, a
 * resource that does not fit the action, a context key the action does not have) is an error, not a denial,
 * so a wrong call description can never pass as "denied".
 */
export async function decideCall(role: RolePermissions, call: AwsCall): Promise<Decision> {
  if (isSimulatorGap(call)) return decideGap(role, call);
  return simulate(role, call);
}

/** The simulator's answer alone (checks/iam/simulator-gaps.ts lists what it cannot evaluate). */
export async function simulate(role: RolePermissions, call: AwsCall): Promise<Decision> {
  const { partition, accountId, name } = parseRoleArn(role.arn);
  const principal = `arn:${partition}:sts::${accountId}:assumed-role/${name}/berth-simulation`;
  const result = await runSimulation(
    {
      request: {
        principal,
        action: call.action,
        resource: { resource: call.resource, accountId: resourceAccount(call.resource, accountId) },
        contextVariables: { 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': accountId, ...call.context },
      },
      identityPolicies: role.policies.map((policy, index) => ({
        name: `policy-${index + 1}`,
        policy: statementsFor(policy, call.action),
      })),
      permissionBoundaryPolicies:
        role.permissionsBoundary === null
          ? undefined
          : [{ name: 'boundary', policy: statementsFor(role.permissionsBoundary, call.action) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: 'Strict' },
  );
  const described = `${call.action} on ${call.resource} by ${role.arn}`;
  if (result.resultType === 'error') {
    throw new SimulationError(`the simulator cannot evaluate ${described}: ${JSON.stringify(result.errors)}`);
  }
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
  const callKeys = Object.keys(call.context ?? {});
  const ignoredOfCall = ignored.filter((key) => callKeys.includes(key));
  if (ignoredOfCall.length > 0) {
    throw new SimulationError(
      `${described}: the simulator ignores ${ignoredOfCall.join(', ')} for this action; ` +
        'describe the call with the context keys AWS sends for it',
    );
  }
  return result.overallResult;
}

/** A statement no request matches (NotAction "*" excludes every action): what a policy is left with at least. */
const MATCHES_NOTHING: PolicyStatement = { Effect: 'Deny', NotAction: '*', Resource: '*' };

const actionPatterns = new Map<string, RegExp>();

/** IAM's action match: case-insensitive, `*` any run of characters, `?` one character. */
function actionMatches(pattern: string, action: string): boolean {
  let regex = actionPatterns.get(pattern);
  if (regex === undefined) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, 'i');
    actionPatterns.set(pattern, regex);
  }
  return regex.test(action);
}

/**
 * The policy with only the statements that can apply to `action` (those whose Action matches it, and every
 * NotAction statement): a statement for another action neither allows nor denies the request, so the decision is
 * the same, and the simulator, which matches every statement's resources against the request, does a fraction of
 * the work. A policy left with none keeps a statement that matches nothing, so it is still evaluated (an empty
 * boundary still denies).
 */
export function statementsFor(policy: PolicyDocument, action: string): PolicyDocument {
  const kept = statementsOf(policy).filter(
    (statement) =>
      statement.NotAction !== undefined || asList(statement.Action).some((pattern) => actionMatches(pattern, action)),
  );
  return { ...policy, Statement: kept.length > 0 ? kept : [MATCHES_NOTHING] };
}
