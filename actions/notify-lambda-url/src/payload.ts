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

export function runContextFromEnv(env: NodeJS.ProcessEnv = process.env): RunContext {
  const missing = ['GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_SHA'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ActionError(
      `${missing.join(', ')} not set: this action reads the workflow run from the GitHub runner's environment; ` +
        'run it as a step of a GitHub Actions job.',
    );
  }
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
  return {
    repository: env.GITHUB_REPOSITORY!,
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA!,
    actor: env.GITHUB_ACTOR ?? '',
    runId: env.GITHUB_RUN_ID!,
    runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
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
