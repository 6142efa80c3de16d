import { ECRClient } from '@aws-sdk/client-ecr';
import { join } from 'node:path';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { FAKE_CREDENTIALS, type AwsJsonFake } from '@berth/kit/testing/aws-json-server';
import type { ActionRun } from '@berth/kit/testing/run-action';
import { runActionFromSource } from '@berth/kit/testing/run-source';
import { createGitHubClient } from '@berth/kit/github/client';
import { run } from '../src/main';

export const actionDir = join(import.meta.dirname, '..');

/** An ECR client with the action's configuration that talks to the in-process fake. */
export function ecrClientOn(ecr: AwsJsonFake): (config: object) => ECRClient {
  return (config) => new ECRClient({ ...config, credentials: FAKE_CREDENTIALS, requestHandler: ecr.requestHandler });
}

/** The action's own client, with writes unspaced and Retry-After seconds counted as 10 ms, so tests do not wait. */
const fastGitHubClient: typeof createGitHubClient = (options) =>
  createGitHubClient({ ...options, pacing: { writeIntervalMs: 0, retryAfterUnitMs: 10 } });

/**
 * Runs the action's run() from source against the fake GitHub (over HTTP, as Octokit talks to it) and the in-process
 * fake ECR, with action.yml defaults filled in as the runner would.
 */
export function runSync(
  servers: { github: { url: string; token: string }; ecr: AwsJsonFake },
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  return runActionFromSource(() => run({ ecr: ecrClientOn(servers.ecr), github: fastGitHubClient }), {
    inputs: {
      ...actionInputDefaults(actionDir),
      token: servers.github.token,
      'github-api-url': servers.github.url,
      ...inputs,
    },
    env: { AWS_REGION: 'us-east-1', ...env },
  });
}

/** stdout without the `::add-mask::` commands, i.e. what the job log shows besides masking. */
export function logWithoutMaskCommands(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
