import { errorMessage } from '@berth/kit';
import { ensureEnvironment } from './environments';
import type { GitHubClient } from '@berth/kit/github/client';
import { describeGitHubError } from '@berth/kit/github/errors';
import { sealForGitHub, type PublicKey } from '@berth/kit/github/seal';
import { resolveRepositoryIds } from './selected-repositories';
import { targetApi, writePermission, type Kind, type TargetApi } from './target-api';
import { targetLabel, type Target, type Visibility } from './targets';

export interface NamedValue {
  name: string;
  value: string;
}

export interface SyncPlan {
  kind: Kind;
  targets: readonly Target[];
  values: readonly NamedValue[];
  visibility: Visibility;
  selectedRepositories: readonly string[];
  createEnvironments: boolean;
  dryRun: boolean;
}

export type Outcome = 'created' | 'updated' | 'would create' | 'would update' | 'not written';

export interface WriteResult {
  name: string;
  target: string;
  outcome: Outcome;
  /** Why it was not written. */
  reason?: string;
}

export interface SyncReport {
  results: WriteResult[];
  /** Environments created, or that a dry run would create, by label. */
  environments: { target: string; state: 'created' | 'would create' }[];
}

/**
 * Writes every value to every target, one at a time. A failure of one name or one target does not stop the others:
 * the report says exactly what was written and why the rest was not.
 */
export async function syncValues(
  github: GitHubClient,
  plan: SyncPlan,
  log: (line: string) => void,
): Promise<SyncReport> {
  const report: SyncReport = { results: [], environments: [] };
  for (const target of plan.targets) {
    const label = targetLabel(target);
    const notWritten = (reason: string): void => {
      for (const { name } of plan.values) report.results.push({ name, target: label, outcome: 'not written', reason });
    };
    let prepared: { api: TargetApi; publicKey?: PublicKey; environmentMissing: boolean };
    try {
      prepared = await prepareTarget(github, target, plan, report);
    } catch (error) {
      log(`${label}: ${errorMessage(error)}`);
      notWritten(errorMessage(error));
      continue;
    }
    for (const { name, value } of plan.values) {
      const context = {
        action: `write ${plan.kind} ${name}`,
        subject: label,
        permission: writePermission(target, plan.kind),
      };
      try {
        const outcome = plan.dryRun
          ? await plannedOutcome(prepared.api, name, prepared.environmentMissing)
          : await writeValue(prepared.api, plan.kind, name, value, prepared.publicKey);
        log(`${label}: ${plan.kind} ${name} ${outcome}`);
        report.results.push({ name, target: label, outcome });
      } catch (error) {
        const reason = describeGitHubError(error, context);
        log(`${label}: ${plan.kind} ${name} not written: ${reason}`);
        report.results.push({ name, target: label, outcome: 'not written', reason });
      }
    }
  }
  return report;
}

/** Everything fetched once per target: the environment, the selected repositories' ids, the public key. */
async function prepareTarget(
  github: GitHubClient,
  target: Target,
  plan: SyncPlan,
  report: SyncReport,
): Promise<{ api: TargetApi; publicKey?: PublicKey; environmentMissing: boolean }> {
  const label = targetLabel(target);
  let environmentMissing = false;
  if (target.kind === 'environment') {
    const state = await ensureEnvironment(github, target, { create: plan.createEnvironments, dryRun: plan.dryRun });
    if (state !== 'exists') report.environments.push({ target: label, state });
    environmentMissing = state === 'would create';
  }
  const selectedRepositoryIds =
    target.kind === 'organization' && plan.visibility === 'selected'
      ? await resolveRepositoryIds(github, target.org, plan.selectedRepositories)
      : [];
  const api = targetApi(github, target, plan.kind, { visibility: plan.visibility, selectedRepositoryIds });
  if (plan.kind !== 'secret' || plan.dryRun) return { api, environmentMissing };
  // One key per target: an environment has its own key pair, and a value sealed with another target's key
  // is accepted by GitHub and unreadable forever.
  try {
    return { api, publicKey: await api.getPublicKey(), environmentMissing };
  } catch (error) {
    throw new Error(
      describeGitHubError(error, {
        action: 'read the Actions public key',
        subject: label,
        permission: writePermission(target, 'secret'),
      }),
    );
  }
}

async function plannedOutcome(api: TargetApi, name: string, environmentMissing: boolean): Promise<Outcome> {
  if (environmentMissing) return 'would create';
  return (await api.exists(name)) ? 'would update' : 'would create';
}

async function writeValue(
  api: TargetApi,
  kind: Kind,
  name: string,
  value: string,
  publicKey: PublicKey | undefined,
): Promise<Outcome> {
  if (kind === 'secret') {
    if (!publicKey) throw new Error('no public key was fetched for this target');
    return api.putSecret(name, await sealForGitHub(value, publicKey), publicKey.key_id);
  }
  if ((await api.createVariable(name, value)) === 'created') return 'created';
  await api.updateVariable(name, value);
  return 'updated';
}
