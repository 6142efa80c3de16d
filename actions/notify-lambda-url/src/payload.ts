import { ActionError } from '@berth/kit';

/** The workflow run a notification comes from, read from the runner's GITHUB_* variables. */
export interface RunContext {
  repository: string;
  ref: string;
  sha: string;
  actor: string;
  runId: string;
  runAttempt: number;
  serverUrl: string;
}

export interface NotificationFacts {
  event: string;
  environment: string;
  status: 'success' | 'failure' | 'cancelled';
  details: Record<string, unknown>;
}

/** The JSON body posted to the Function URL; docs/notifications.md describes every field. */
export interface NotificationPayload {
  event: string;
  environment: string;
  status: NotificationFacts['status'];
  repository: string;
  ref: string;
  sha: string;
  actor: string;
  runId: string;
  runAttempt: number;
  runUrl: string;
  timestamp: string;
  details: Record<string, unknown>;
}

/** The parts of `@actions/github`'s context a notification names. */
export interface GitHubRunContext {
  readonly repo: { owner: string; repo: string };
  ref: string;
  sha: string;
  actor: string;
  runId: number;
  runAttempt: number;
  serverUrl: string;
}

/** The workflow run from the toolkit's context; outside a runner (no repository, run id or commit) a clear error. */
export function runContextFrom(context: GitHubRunContext): RunContext {
  let repository: string | undefined;
  try {
    repository = `${context.repo.owner}/${context.repo.repo}`;
  } catch {
    repository = undefined;
  }
  const missing = [
    ...(repository ? [] : ['GITHUB_REPOSITORY']),
    ...(Number.isInteger(context.runId) && context.runId > 0 ? [] : ['GITHUB_RUN_ID']),
    ...(context.sha ? [] : ['GITHUB_SHA']),
  ];
  if (missing.length > 0) {
    throw new ActionError(
      `${missing.join(', ')} not set: this action reads the workflow run from the GitHub runner's environment; ` +
        'run it as a step of a GitHub Actions job (or set them in the .env file of a local run).',
    );
  }
  return {
    repository: repository!,
    ref: context.ref ?? '',
    sha: context.sha,
    actor: context.actor ?? '',
    runId: String(context.runId),
    runAttempt: Number.isInteger(context.runAttempt) && context.runAttempt > 0 ? context.runAttempt : 1,
    serverUrl: context.serverUrl || 'https://github.com',
  };
}

export function buildPayload(facts: NotificationFacts, run: RunContext, now: Date): NotificationPayload {
  return {
    event: facts.event,
    environment: facts.environment,
    status: facts.status,
    repository: run.repository,
    ref: run.ref,
    sha: run.sha,
    actor: run.actor,
    runId: run.runId,
    runAttempt: run.runAttempt,
    runUrl: `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}/attempts/${run.runAttempt}`,
    timestamp: now.toISOString(),
    details: facts.details,
  };
}

/**
 * The same for every retry of one step, so the receiver records and mails it once. The environment is part
 * of it so that one run announcing the same event for two environments (a matrix job) is recorded twice.
 */
export function idempotencyKey(payload: NotificationPayload): string {
  return ['gh', payload.repository, payload.runId, payload.runAttempt, payload.environment, payload.event].join(':');
}
