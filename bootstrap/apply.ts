import { sealForGitHub, type PublicKey } from '@berth/kit/github/seal';
import { GitHubCallError } from './github-failure.ts';
import type { GitHubSettings } from './github-settings.ts';
import type { Step } from './plan.ts';

export type StepOutcome =
  | { step: Step; status: 'unchanged' }
  | { step: Step; status: 'applied' }
  | { step: Step; status: 'failed'; reason: string }
  | { step: Step; status: 'not attempted'; reason: string };

async function applyStep(step: Step, github: GitHubSettings, publicKey: PublicKey): Promise<void> {
  switch (step.kind) {
    case 'environment':
      return github.putEnvironment(step.environment, step.body);
    case 'branch-policy':
      if (step.action === 'delete' && step.policy) return github.deleteBranchPolicy(step.environment, step.policy);
      return github.createBranchPolicy(step.environment, step.ref);
    case 'ruleset':
      if (step.rulesetId === undefined) return github.createRuleset(step.body);
      return github.updateRuleset(step.rulesetId, step.body);
    case 'oidc-subject':
      return github.putOidcSubjectTemplate(step.claimKeys);
    case 'variable':
      if (step.action === 'create') return github.createVariable(step.scope, step.name, step.value);
      return github.updateVariable(step.scope, step.name, step.value);
    case 'secret':
      await github.putSecret(step.name, await sealForGitHub(step.value, publicKey), publicKey.key_id);
      return;
    case 'environment-secret': {
      // Read here, not before the plan: a new environment has a key only once it is created.
      const environmentKey = await github.getEnvironmentPublicKey(step.environment);
      const sealed = await sealForGitHub(step.generate(), environmentKey);
      return github.putEnvironmentSecret(step.environment, step.name, sealed, environmentKey.key_id);
    }
  }
}

const PAST: Record<Step['action'], string> = {
  create: 'created',
  change: 'changed',
  delete: 'deleted',
  replace: 'replaced',
  leave: 'left',
};

/** One line for the log: what was done, with what changed. */
export function appliedLine(step: Step): string {
  return `${PAST[step.action]} ${step.subject}${step.details.length > 0 ? `: ${step.details.join('; ')}` : ''}`;
}

/**
 * Applies the steps in order, one at a time. A failed step does not stop the others, except those that need it;
 * a fatal failure (bad token, no network) stops everything after it. Every step's outcome is returned.
 */
export async function applyPlan(
  steps: readonly Step[],
  github: GitHubSettings,
  publicKey: PublicKey,
  log: (line: string) => void,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  const failed = new Map<string, string>();
  let stopped: string | undefined;
  for (const step of steps) {
    if (step.action === 'leave') {
      outcomes.push({ step, status: 'unchanged' });
      continue;
    }
    if (stopped !== undefined) {
      outcomes.push({ step, status: 'not attempted', reason: stopped });
      continue;
    }
    const blocker = step.needs.find((id) => failed.has(id));
    if (blocker !== undefined) {
      const reason = `needs ${steps.find((s) => s.id === blocker)?.subject ?? blocker}, which was not applied`;
      failed.set(step.id, reason);
      outcomes.push({ step, status: 'not attempted', reason });
      continue;
    }
    try {
      await applyStep(step, github, publicKey);
      log(appliedLine(step));
      outcomes.push({ step, status: 'applied' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`FAILED to apply ${step.subject}: ${reason}`);
      failed.set(step.id, reason);
      outcomes.push({ step, status: 'failed', reason });
      if (error instanceof GitHubCallError && error.fatal) stopped = 'stopped after a failure no later call could pass';
    }
  }
  return outcomes;
}
