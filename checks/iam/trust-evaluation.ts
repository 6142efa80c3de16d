import { runSimulation } from '@cloud-copilot/iam-simulate';
import { GITHUB_OIDC_HOST, type GitHubToken } from './github-token.ts';
import {
  asList,
  statementsOf,
  type ConditionBlock,
  type PolicyDocument,
  type PolicyStatement,
} from './policy-document.ts';

/**
 * Trust policies of GitHub OIDC roles, evaluated in two halves. The simulator decides principal, action and
 * every condition it knows; it ignores GitHub's claim keys (`token.actions.githubusercontent.com:sub`/`:aud`),
 * which would let any repository's job through, so those conditions are evaluated here, explicitly.
 */

export class TrustEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustEvaluationError';
  }
}

const CLAIM_PREFIX = `${GITHUB_OIDC_HOST}:`;
const SUPPORTED_CLAIMS = ['sub', 'aud'] as const;
type Claim = (typeof SUPPORTED_CLAIMS)[number];
const SUPPORTED_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'] as const;
type Operator = (typeof SUPPORTED_OPERATORS)[number];

export interface ClaimCondition {
  operator: Operator;
  claim: Claim;
  values: string[];
}

/** `*` matches any run of characters (none included), `?` exactly one; everything else literally, case-sensitive. */
export function stringLike(pattern: string, value: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's').test(value);
}

/**
 * The GitHub-claim conditions of one statement. Anything this evaluator would have to guess at is an error:
 * an operator other than String(Not)Equals/String(Not)Like (IfExists and ForAnyValue/ForAllValues included),
 * a claim AWS does not pass on, a policy variable in a value.
 */
export function claimConditions(condition: ConditionBlock | undefined, origin: string): ClaimCondition[] {
  const found: ClaimCondition[] = [];
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, raw] of Object.entries(entries)) {
      if (!key.toLowerCase().startsWith(CLAIM_PREFIX)) continue;
      const claim = key.slice(CLAIM_PREFIX.length).toLowerCase();
      if (!(SUPPORTED_CLAIMS as readonly string[]).includes(claim)) {
        throw new TrustEvaluationError(
          `${origin}: condition on ${key}: AWS passes only the ${SUPPORTED_CLAIMS.join(' and ')} claims of a GitHub token; ` +
            'test sub (repo:OWNER/NAME:environment:E) instead',
        );
      }
      if (!(SUPPORTED_OPERATORS as readonly string[]).includes(operator)) {
        throw new TrustEvaluationError(
          `${origin}: ${operator} on ${key} is not evaluated here (supported: ${SUPPORTED_OPERATORS.join(', ')}); ` +
            'write the condition with one of those',
        );
      }
      const values = asList(raw as string | string[]).map(String);
      const variable = values.find((value) => value.includes('${'));
      if (variable !== undefined) {
        throw new TrustEvaluationError(
          `${origin}: ${key} value "${variable}" holds a policy variable; use literal values`,
        );
      }
      found.push({ operator: operator as Operator, claim: claim as Claim, values });
    }
  }
  return found;
}

/** Whether one claim condition holds for the token (AWS semantics: values OR'ed, a negated operator none). */
export function claimConditionHolds(condition: ClaimCondition, token: GitHubToken): boolean {
  const actual = token[condition.claim];
  switch (condition.operator) {
    case 'StringEquals':
      return condition.values.includes(actual);
    case 'StringNotEquals':
      return !condition.values.includes(actual);
    case 'StringLike':
      return condition.values.some((pattern) => stringLike(pattern, actual));
    case 'StringNotLike':
      return !condition.values.some((pattern) => stringLike(pattern, actual));
  }
}

/** The statement with its GitHub-claim conditions removed (an operator left empty is dropped). */
function withoutClaimConditions(statement: PolicyStatement): PolicyStatement {
  const rest: ConditionBlock = {};
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    const kept = Object.fromEntries(
      Object.entries(entries).filter(([key]) => !key.toLowerCase().startsWith(CLAIM_PREFIX)),
    );
    if (Object.keys(kept).length > 0) rest[operator] = kept;
  }
  const copy: PolicyStatement = { ...statement };
  delete copy.Condition;
  return Object.keys(rest).length > 0 ? { ...copy, Condition: rest } : copy;
}

export interface TrustRequest {
  /** The role whose trust policy is asked. */
  roleArn: string;
  /** The OIDC provider the token comes from (the federated principal). */
  providerArn: string;
  token: GitHubToken;
}

export interface TrustDecision {
  allowed: boolean;
  /** Why: which statement allowed or denied, or that none applied. */
  reason: string;
}

async function simulatorApplies(statement: PolicyStatement, request: TrustRequest, origin: string): Promise<boolean> {
  const accountId = request.roleArn.split(':')[4] ?? '';
  const result = await runSimulation(
    {
      request: {
        principal: request.providerArn,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: request.roleArn, accountId },
        contextVariables: {},
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: { Version: '2012-10-17', Statement: [withoutClaimConditions(statement)] },
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') {
    throw new TrustEvaluationError(`${origin}: the simulator cannot evaluate it: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult === (statement.Effect === 'Allow' ? 'Allowed' : 'ExplicitlyDenied');
}

/**
 * Whether a GitHub job holding `token` may assume the role through `sts:AssumeRoleWithWebIdentity`: an Allow
 * statement applies (simulator) and its claim conditions hold (here), and no Deny statement applies likewise.
 */
export async function evaluateTrust(trustPolicy: PolicyDocument, request: TrustRequest): Promise<TrustDecision> {
  let allowedBy: string | undefined;
  for (const [index, statement] of statementsOf(trustPolicy).entries()) {
    const origin = `trust policy of ${request.roleArn}, statement ${statement.Sid ?? index + 1}`;
    const conditions = claimConditions(statement.Condition, origin);
    const claimsHold = conditions.every((condition) => claimConditionHolds(condition, request.token));
    if (!claimsHold) continue;
    if (!(await simulatorApplies(statement, request, origin))) continue;
    if (statement.Effect === 'Deny') return { allowed: false, reason: `denied by ${origin}` };
    allowedBy ??= origin;
  }
  return allowedBy === undefined
    ? {
        allowed: false,
        reason: `no statement of the trust policy of ${request.roleArn} allows sub ${request.token.sub}`,
      }
    : { allowed: true, reason: `allowed by ${allowedBy}` };
}
