import type { DesiredEnvironment, DesiredState, GeneratedSecret } from './desired-state.ts';
import { REPOSITORY_ADMIN_ROLE_ID } from './names.ts';
import type {
  BranchPolicy,
  BranchRule,
  DeploymentRef,
  EnvironmentBody,
  EnvironmentSettings,
  BypassActor,
  OidcSubjectTemplate,
  Reviewer,
  Ruleset,
  RulesetBody,
  RulesetRule,
  VariableScope,
} from './github-settings.ts';
import type { ObservedEnvironment, ObservedState } from './observe.ts';

/** `replace` is for secrets only: GitHub never returns their values, so they are always written. */
export type Action = 'create' | 'change' | 'delete' | 'replace' | 'leave';

interface StepBase {
  id: string;
  /** What the step is about, e.g. `variable AWS_REGION (repository)`. */
  subject: string;
  action: Action;
  /** What changes, for the plan; never a secret value. */
  details: string[];
  /** Steps that must have been applied first. */
  needs: string[];
}

export type Step =
  | (StepBase & { kind: 'environment'; environment: string; body: EnvironmentBody })
  | (StepBase & { kind: 'branch-policy'; environment: string; ref: DeploymentRef; policy?: BranchPolicy })
  | (StepBase & { kind: 'oidc-subject'; claimKeys: readonly string[] })
  | (StepBase & { kind: 'ruleset'; body: RulesetBody; rulesetId?: number })
  | (StepBase & { kind: 'variable'; scope: VariableScope; name: string; value: string })
  | (StepBase & { kind: 'secret'; name: string; value: string })
  | (StepBase & { kind: 'environment-secret'; environment: string; name: string; generate: () => string });

/** The rule that lets only the custom branch and tag policies deploy. */
export const CUSTOM_BRANCHES: BranchRule = { protected_branches: false, custom_branch_policies: true };

/** `branch main`, `tag v*`. */
function describeDeploymentRef(ref: DeploymentRef): string {
  return `${ref.type} ${ref.name}`;
}

/** A policy is the same policy only with the same name and type: branch `v*` lets branches, tag `v*` tags. */
function sameDeploymentRef(a: DeploymentRef, b: DeploymentRef): boolean {
  return a.name === b.name && a.type === b.type;
}

function describeRule(rule: BranchRule | null): string {
  if (rule === null) return 'any branch';
  return rule.custom_branch_policies ? 'selected branches' : 'protected branches';
}

function describeReviewers(reviewers: readonly Reviewer[]): string {
  if (reviewers.length === 0) return 'none';
  return reviewers.map((r) => (r.type === 'Team' ? `team ${r.name}` : r.name)).join(', ');
}

function sameReviewers(a: readonly Reviewer[], b: readonly Reviewer[]): boolean {
  const key = (r: Reviewer): string => `${r.type}:${r.id}`;
  const left = new Set(a.map(key));
  return a.length === b.length && b.every((r) => left.has(key(r))) && new Set(b.map(key)).size === left.size;
}

function sameRule(a: BranchRule | null, b: BranchRule | null): boolean {
  if (a === null || b === null) return a === b;
  return a.protected_branches === b.protected_branches && a.custom_branch_policies === b.custom_branch_policies;
}

function environmentStep(
  desired: DesiredEnvironment,
  current: EnvironmentSettings | undefined,
  reviewers: ObservedState['reviewers'],
): Extract<Step, { kind: 'environment' }> {
  const wantedReviewers: Reviewer[] =
    desired.reviewers !== undefined && reviewers !== undefined
      ? reviewers.map((user) => ({ type: 'User', id: user.id, name: user.login }))
      : (current?.reviewers ?? []);
  const wantedRule = desired.deploymentRefs !== undefined ? CUSTOM_BRANCHES : (current?.branchRule ?? null);
  const body: EnvironmentBody = {
    wait_timer: current?.waitTimer ?? 0,
    // A reviewed environment's reviewers may not approve the runs they started themselves.
    prevent_self_review: desired.reviewed === true ? true : (current?.preventSelfReview ?? false),
    reviewers: wantedReviewers.map(({ type, id }) => ({ type, id })),
    deployment_branch_policy: wantedRule,
  };
  const base = { kind: 'environment' as const, id: `environment:${desired.name}`, environment: desired.name, body };
  const subject = `environment ${desired.name}`;
  const onOff = (on: boolean): string => (on ? 'on' : 'off');
  // Without --reviewers the current reviewers stay; the plan names them, so nobody mistakes that for a change.
  const kept =
    desired.reviewed === true && desired.reviewers === undefined && wantedReviewers.length > 0
      ? [`required reviewers kept: ${describeReviewers(wantedReviewers)} (--reviewers not given)`]
      : [];
  const branchText = (rule: BranchRule | null): string =>
    rule?.custom_branch_policies && desired.deploymentRefs !== undefined
      ? `only ${desired.deploymentRefs.map(describeDeploymentRef).join(', ')}`
      : describeRule(rule);
  if (current === undefined) {
    return {
      ...base,
      subject,
      action: 'create',
      needs: [],
      details: [
        `required reviewers: ${describeReviewers(wantedReviewers)}`,
        ...(body.prevent_self_review ? ['prevent self-review: on'] : []),
        `deployment branches: ${branchText(wantedRule)}`,
      ],
    };
  }
  const details: string[] = [];
  if (current.preventSelfReview !== body.prevent_self_review) {
    details.push(`prevent self-review: ${onOff(current.preventSelfReview)} → ${onOff(body.prevent_self_review)}`);
  }
  if (!sameReviewers(current.reviewers, wantedReviewers)) {
    details.push(`required reviewers: ${describeReviewers(current.reviewers)} → ${describeReviewers(wantedReviewers)}`);
  }
  if (!sameRule(current.branchRule, wantedRule)) {
    details.push(`deployment branches: ${describeRule(current.branchRule)} → ${branchText(wantedRule)}`);
  }
  return {
    ...base,
    subject,
    action: details.length > 0 ? 'change' : 'leave',
    needs: [],
    details: [...kept, ...details],
  };
}

function branchPolicySteps(
  desired: DesiredEnvironment,
  observed: ObservedEnvironment,
  environment: Extract<Step, { kind: 'environment' }>,
): Step[] {
  const wanted = desired.deploymentRefs;
  if (wanted === undefined) return [];
  const rulePending = !(observed.settings?.branchRule?.custom_branch_policies ?? false);
  const existing = rulePending ? [] : observed.branchPolicies;
  const allowed = wanted.map(describeDeploymentRef).join(', ');
  const steps: Step[] = [];
  for (const ref of wanted) {
    const found = existing.some((policy) => sameDeploymentRef(policy, ref));
    steps.push({
      kind: 'branch-policy',
      id: `branch-policy:${desired.name}:${ref.type}:${ref.name}`,
      subject: `environment ${desired.name}: ${ref.type} policy ${ref.name}`,
      environment: desired.name,
      ref,
      action: found ? 'leave' : 'create',
      // GitHub accepts branch policies only once the environment exists with custom branch policies on.
      needs: !found && rulePending ? [environment.id] : [],
      details: found ? [] : [`allow deployments from ${describeDeploymentRef(ref)}`],
    });
  }
  for (const policy of existing) {
    if (wanted.some((ref) => sameDeploymentRef(policy, ref))) continue;
    steps.push({
      kind: 'branch-policy',
      id: `branch-policy:${desired.name}:${policy.type}:${policy.name}:${policy.id}`,
      subject: `environment ${desired.name}: ${policy.type} policy ${policy.name}`,
      environment: desired.name,
      ref: { name: policy.name, type: policy.type },
      policy,
      action: 'delete',
      needs: [],
      details: [`stop deployments from ${describeDeploymentRef(policy)}; only ${allowed} may deploy`],
    });
  }
  return steps;
}

function describeRefs(conditions: RulesetBody['conditions']): string {
  const { include, exclude } = conditions.ref_name;
  const included = include.length > 0 ? include.join(', ') : 'no refs';
  return exclude.length > 0 ? `${included} except ${exclude.join(', ')}` : included;
}

/** Rule types, with parameters where a rule has any (e.g. update_allows_fetch_and_merge). */
function describeRules(rules: readonly RulesetRule[]): string {
  if (rules.length === 0) return 'nothing';
  return rules
    .map((rule) =>
      'parameters' in rule && rule.parameters !== undefined
        ? `${rule.type} ${JSON.stringify(rule.parameters)}`
        : rule.type,
    )
    .join(', ');
}

function describeBypass(actors: readonly BypassActor[]): string {
  if (actors.length === 0) return 'nobody';
  const names = actors.map((actor) => {
    const name =
      actor.actor_type === 'RepositoryRole' && actor.actor_id === REPOSITORY_ADMIN_ROLE_ID
        ? 'repository admins'
        : `${actor.actor_type} ${actor.actor_id ?? ''}`.trim();
    return actor.bypass_mode === 'always' ? name : `${name} (${actor.bypass_mode})`;
  });
  return names.length === 1 ? `${names[0]} only` : names.join(', ');
}

/** Same members, in any order: rules and bypass actors are sets to GitHub. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((item) => left.has(item));
}

/** The tag ruleset: created when no ruleset has its name, replaced whole when any part of it differs. */
function rulesetStep(desired: RulesetBody, current: Ruleset | undefined): Step {
  const base = {
    kind: 'ruleset' as const,
    id: `ruleset:${desired.name}`,
    subject: `${desired.target} ruleset ${desired.name} (repository)`,
    body: desired,
    needs: [],
  };
  const restricted = (rules: readonly RulesetRule[]): string => `${describeRules(rules)} restricted`;
  if (current === undefined) {
    return {
      ...base,
      action: 'create',
      details: [
        `${describeRefs(desired.conditions)}: ${restricted(desired.rules)}`,
        `bypass: ${describeBypass(desired.bypass_actors)}`,
      ],
    };
  }
  const ruleKey = (rule: RulesetRule): string => JSON.stringify(rule);
  const actorKey = (actor: BypassActor): string =>
    JSON.stringify([actor.actor_type, actor.actor_id, actor.bypass_mode]);
  const details: string[] = [];
  if (current.target !== desired.target) details.push(`target: ${current.target} → ${desired.target}`);
  if (current.enforcement !== desired.enforcement) {
    details.push(`enforcement: ${current.enforcement} → ${desired.enforcement}`);
  }
  const refs = (body: RulesetBody) => body.conditions.ref_name;
  if (
    !sameSet(refs(current).include, refs(desired).include) ||
    !sameSet(refs(current).exclude, refs(desired).exclude)
  ) {
    details.push(`tags: ${describeRefs(current.conditions)} → ${describeRefs(desired.conditions)}`);
  }
  if (!sameSet(current.rules.map(ruleKey), desired.rules.map(ruleKey))) {
    details.push(`restricted: ${describeRules(current.rules)} → ${describeRules(desired.rules)}`);
  }
  if (!sameSet(current.bypass_actors.map(actorKey), desired.bypass_actors.map(actorKey))) {
    details.push(`bypass: ${describeBypass(current.bypass_actors)} → ${describeBypass(desired.bypass_actors)}`);
  }
  return { ...base, rulesetId: current.id, action: details.length > 0 ? 'change' : 'leave', details };
}

/** The repository's OIDC subject template; the claim keys' order is the order of the parts of `sub`. */
function oidcSubjectStep(claimKeys: readonly string[], current: OidcSubjectTemplate): Step {
  const same =
    !current.useDefault &&
    current.claimKeys.length === claimKeys.length &&
    current.claimKeys.every((key, i) => key === claimKeys[i]);
  const base = {
    kind: 'oidc-subject' as const,
    id: 'oidc-subject',
    subject: 'OIDC subject claim template (repository)',
    claimKeys,
    needs: [],
  };
  if (same) return { ...base, action: 'leave', details: [] };
  const from = current.useDefault ? "GitHub's default" : current.claimKeys.join(', ') || 'no claim keys';
  return { ...base, action: 'change', details: [`${from} → ${claimKeys.join(', ')}`] };
}

function variableStep(
  scope: VariableScope,
  name: string,
  value: string,
  current: string | undefined,
  needs: string[],
): Step {
  const where = scope.kind === 'repository' ? 'repository' : `environment ${scope.environment}`;
  const base = { kind: 'variable' as const, id: `variable:${where}:${name}`, subject: `variable ${name} (${where})` };
  if (current === undefined) return { ...base, scope, name, value, action: 'create', needs, details: [value] };
  if (current === value) return { ...base, scope, name, value, action: 'leave', needs: [], details: [] };
  return { ...base, scope, name, value, action: 'change', needs: [], details: [`${current} → ${value}`] };
}

/** Created where it is absent, with a value made up only when it is written; an existing one is never replaced. */
function generatedSecretStep(environment: string, secret: GeneratedSecret, exists: boolean, needs: string[]): Step {
  return {
    kind: 'environment-secret',
    id: `environment-secret:${environment}:${secret.name}`,
    subject: `secret ${secret.name} (environment ${environment})`,
    environment,
    name: secret.name,
    generate: secret.generate,
    action: exists ? 'leave' : 'create',
    needs: exists ? [] : needs,
    details: exists ? [] : [`${secret.description} (value not shown), sealed with the environment key; never replaced`],
  };
}

/**
 * Compares the desired state with what GitHub returned and lists every step: what to create, change, delete or
 * leave. Secrets are always written, their values never shown.
 */
export function planChanges(desired: DesiredState, observed: ObservedState): Step[] {
  const steps: Step[] = [];
  for (const environment of desired.environments) {
    const current = observed.environments.get(environment.name) ?? {
      settings: undefined,
      branchPolicies: [],
      variables: {},
      secretNames: [],
    };
    const envStep = environmentStep(environment, current.settings, observed.reviewers);
    steps.push(envStep);
    steps.push(...branchPolicySteps(environment, current, envStep));
    const scope = { kind: 'environment', environment: environment.name } as const;
    const needs = current.settings === undefined ? [envStep.id] : [];
    for (const [name, value] of Object.entries(environment.variables)) {
      steps.push(variableStep(scope, name, value, current.variables[name], needs));
    }
    for (const secret of environment.generatedSecrets ?? []) {
      steps.push(generatedSecretStep(environment.name, secret, current.secretNames.includes(secret.name), needs));
    }
  }
  steps.push(oidcSubjectStep(desired.oidcSubjectClaimKeys, observed.oidcSubject));
  steps.push(rulesetStep(desired.tagRuleset, observed.tagRuleset));
  for (const [name, value] of Object.entries(desired.repositoryVariables)) {
    steps.push(variableStep({ kind: 'repository' }, name, value, observed.repositoryVariables[name], []));
  }
  for (const [name, value] of Object.entries(desired.repositorySecrets)) {
    const exists = observed.secrets[name] ?? false;
    steps.push({
      kind: 'secret',
      id: `secret:${name}`,
      subject: `secret ${name} (repository)`,
      name,
      value,
      action: exists ? 'replace' : 'create',
      needs: [],
      details: [
        exists
          ? 'value not shown; written on every run, as GitHub never returns it'
          : 'value not shown; sealed with the repository key',
      ],
    });
  }
  return steps;
}
