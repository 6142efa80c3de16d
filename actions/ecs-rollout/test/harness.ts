import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import type { AwsClientConfig } from '@berth/kit';
import { createAwsJsonFake, FAKE_CREDENTIALS, fakeAwsEnv, type AwsJsonFake } from '@berth/kit/testing/aws-json-server';
import { runBundledAction, type ActionRun } from '@berth/kit/testing/run-action';
import { runActionFromSource } from '@berth/kit/testing/run-source';
import { settleOnFakeTimers } from '@berth/kit/testing/virtual-time';
import { run } from '../src/main';
import type { FakeCodeDeploy } from '@berth/kit/testing/fake-codedeploy';
import type { FakeEcs, ServedFakeEcs } from './fake-ecs';

export const ACTION_DIR = fileURLToPath(new URL('..', import.meta.url));
export const ENTRY = join(ACTION_DIR, 'dist', 'index.js');

/** A task definition in RegisterTaskDefinition shape, as render-task-definition writes it. */
export function webDefinition(
  image: string,
  environment: Record<string, string> = { LOG_LEVEL: 'info' },
): Record<string, unknown> {
  return {
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/web-execution',
    containerDefinitions: [
      {
        name: 'web',
        image,
        portMappings: [{ containerPort: 8080 }],
        environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
        secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' }],
      },
    ],
  };
}

export function writeDefinition(definition: Record<string, unknown>, name = 'task-definition.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-td-'));
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(definition, null, 2));
  return path;
}

/** The inputs a workflow step would pass: action.yml's defaults, a 1-minute timeout and 1 s polling. */
export function rolloutInputs(overrides: Record<string, string>): Record<string, string> {
  return {
    ...actionInputDefaults(ACTION_DIR),
    cluster: 'berth',
    services: 'web',
    'timeout-minutes': '1',
    'poll-interval-seconds': '1',
    ...overrides,
  };
}

/** An SDK client with the action's own configuration (region, retries, user agent) that talks to a fake. */
function clientOn<T>(Client: new (config: object) => T, config: AwsClientConfig, fake: AwsJsonFake): T {
  return new Client({ ...config, credentials: FAKE_CREDENTIALS, requestHandler: fake.requestHandler });
}

/**
 * Runs the action's run() from source against the in-process fakes, as the runner would (inputs, outputs, summary),
 * advancing the fake clock until it finishes. Without a CodeDeploy fake, any CodeDeploy call fails the run.
 */
export function rollout(
  ecs: FakeEcs,
  inputs: Record<string, string>,
  options: { codeDeploy?: FakeCodeDeploy; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const codeDeploy = options.codeDeploy?.transport ?? createAwsJsonFake({});
  return settleOnFakeTimers(
    runActionFromSource(
      () =>
        run({
          ecs: (config) => clientOn(ECSClient, config, ecs.transport),
          codeDeploy: (config) => clientOn(CodeDeployClient, config, codeDeploy),
        }),
      { inputs: rolloutInputs(inputs), env: { AWS_REGION: 'us-east-1', ...options.env } },
    ),
  );
}

/** Runs the committed bundle as the runner does, against the fake served over HTTP (smoke test and benchmark). */
export function runRolloutBundle(
  fake: ServedFakeEcs,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runBundledAction({
    entry: ENTRY,
    inputs: rolloutInputs(inputs),
    env: { ...fakeAwsEnv('ECS', fake.url), ...env },
    timeoutMs: 90_000,
  });
}
