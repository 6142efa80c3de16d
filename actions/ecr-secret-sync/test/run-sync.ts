import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeAwsEnv } from '@berth/kit/testing/aws-json-server';
import { runBundledAction, type ActionRun } from '@berth/kit/testing/run-action';
import { parse } from 'yaml';

const actionDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const entry = resolve(actionDir, 'dist/index.js');

/** The defaults declared in action.yml, which the runner passes as if they had been typed. */
export function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(resolve(actionDir, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs))
    if (input.default !== undefined) defaults[name] = input.default;
  return defaults;
}

/** Runs the bundled action against the fake GitHub and ECR, with action.yml defaults filled in. */
export function runSync(
  servers: { github: { url: string; token: string }; ecrUrl: string },
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  return runBundledAction({
    entry,
    inputs: { ...actionDefaults(), token: servers.github.token, 'github-api-url': servers.github.url, ...inputs },
    env: { ...fakeAwsEnv('ECR', servers.ecrUrl), ...env },
  });
}

/** stdout without the `::add-mask::` commands, i.e. what the job log shows besides masking. */
export function logWithoutMaskCommands(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
