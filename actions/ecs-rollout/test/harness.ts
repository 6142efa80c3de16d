import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeAwsEnv } from '@berth/kit/testing/aws-json-server';
import { runBundledAction, type ActionRun } from '@berth/kit/testing/run-action';
import type { FakeEcs } from './fake-ecs';

export const ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));

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

/** The inputs a workflow step would pass, with action.yml's defaults and 1 s polling. */
export function rolloutInputs(overrides: Record<string, string>): Record<string, string> {
  return {
    cluster: 'berth',
    services: 'web',
    'task-definition': '',
    wait: 'true',
    'timeout-minutes': '1',
    'poll-interval-seconds': '1',
    rollback: 'auto',
    'max-failed-tasks': '2',
    'desired-count': '',
    'force-new-deployment': 'false',
    'dry-run': 'false',
    'codedeploy-application': '',
    'codedeploy-deployment-group': '',
    'codedeploy-deployment-config': '',
    'codedeploy-appspec': '',
    'aws-region': '',
    ...overrides,
  };
}

export function runRollout(
  fake: FakeEcs,
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
