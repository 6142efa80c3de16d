import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientConfig } from '@berth/kit';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { FAKE_CREDENTIALS, type InMemoryRequestHandler } from '@berth/kit/testing/aws-json-server';
import type { FakeCodeDeploy } from '@berth/kit/testing/fake-codedeploy';
import { runActionFromSource } from '@berth/kit/testing/run-source';
import type { ActionRun } from '@berth/kit/testing/run-action';
import { settleOnFakeTimers } from '@berth/kit/testing/virtual-time';
import { run } from '../src/main';
import type { FakeLambda } from './fake-lambda';

export const ACTION_DIR = fileURLToPath(new URL('..', import.meta.url));
export const ENTRY = join(ACTION_DIR, 'dist', 'index.js');
export const FUNCTION = 'berth-prod-deploy-notifier';

/** A deployment package on disk with the given content (the fake only hashes it). */
export function writePackage(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lambda-canary-')), 'deploy-notifier.zip');
  writeFileSync(path, content);
  return path;
}

/** The inputs a workflow step passes: action.yml's defaults, the function and its deployment group, 1 s polling. */
export function canaryInputs(overrides: Record<string, string>): Record<string, string> {
  return {
    ...actionInputDefaults(ACTION_DIR),
    'function-name': FUNCTION,
    'codedeploy-application': 'berth-prod-deploy-notifier',
    'codedeploy-deployment-group': 'berth-prod-deploy-notifier-live',
    'timeout-minutes': '1',
    'poll-interval-seconds': '1',
    ...overrides,
  };
}

function clientOn<T>(
  Client: new (config: object) => T,
  config: AwsClientConfig,
  requestHandler: InMemoryRequestHandler,
): T {
  return new Client({ ...config, credentials: FAKE_CREDENTIALS, requestHandler });
}

/** Runs the action's run() from source against the in-process fakes, advancing the fake clock until it ends. */
export function deploy(
  lambda: FakeLambda,
  codeDeploy: FakeCodeDeploy,
  inputs: Record<string, string>,
): Promise<ActionRun> {
  return settleOnFakeTimers(
    runActionFromSource(
      () =>
        run({
          lambda: (config) => clientOn(LambdaClient, config, lambda.requestHandler),
          codeDeploy: (config) => clientOn(CodeDeployClient, config, codeDeploy.transport.requestHandler),
        }),
      { inputs: canaryInputs(inputs), env: { AWS_REGION: 'us-east-1' } },
    ),
  );
}
