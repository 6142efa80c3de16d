import { beforeEach, describe, expect, it } from 'vitest';
import { healthyRollout, createFakeEcs, type FakeEcs } from './fake-ecs';
import { onVirtualTime } from '@berth/kit/testing/virtual-time';
import { rollout, webDefinition, writeDefinition } from './harness';

const MUTATING = [
  'RegisterTaskDefinition',
  'UpdateService',
  'DeregisterTaskDefinition',
  'CreateService',
  'DeleteService',
];

describe('ecs-rollout against the fake ECS: successful paths', () => {
  onVirtualTime();
  let fake: FakeEcs;
  let runningArn: string;

  beforeEach(() => {
    fake = createFakeEcs();
    runningArn = fake.addTaskDefinition(webDefinition('registry.example/web:1.0.0'));
    fake.addService({ name: 'web', taskDefinition: runningArn });
  });

  it('registers the changed definition, follows the deployment by id and succeeds', async () => {
    const path = writeDefinition(webDefinition('registry.example/web:1.1.0', { LOG_LEVEL: 'debug' }));
    const run = await rollout(fake, { 'task-definition': path });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    const deploymentIds = JSON.parse(run.outputs['deployment-ids']!) as Record<string, string>;
    expect(deploymentIds.web).toBe(fake.service('web').deployments[0]!.id);
    expect(fake.service('web').taskDefinition).toBe(run.outputs['task-definition-arn']);
    expect(fake.registeredRevisions()).toHaveLength(1);
    // The diff names what changed, in the log and the summary.
    expect(run.stdout).toContain('~ container web: image: registry.example/web:1.0.0 → registry.example/web:1.1.0');
    expect(run.stdout).toContain('~ container web: env LOG_LEVEL: info → debug');
    expect(run.summary).toContain('| web | web:1 → web:2 | succeeded |');
    expect(run.summary).toContain('has reached a steady state.');
    // Progress is printed when counts change; each new event once; the old event from before the rollout never.
    expect(run.stdout).toMatch(/\[web\] rollout ecs-svc\/\d+: running 2\/2, pending 0, COMPLETED/);
    expect(run.stdout.match(/deployment completed\./g)).toHaveLength(1);
    expect(run.stdout.match(/has reached a steady state/g)).toHaveLength(1);
    // One batched DescribeServices per poll; no task lookups in a healthy rollout beyond the baseline.
    expect(fake.calls('ListTasks')).toHaveLength(1);
    expect(fake.calls('DescribeTasks')).toHaveLength(0);
    expect(Number(run.outputs['duration-seconds'])).toBeGreaterThanOrEqual(2);
  });

  it('reuses the running revision and changes nothing when the rendered definition is equal', async () => {
    const path = writeDefinition(webDefinition('registry.example/web:1.0.0'));
    const run = await rollout(fake, { 'task-definition': path });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('unchanged');
    expect(run.outputs['task-definition-arn']).toBe(runningArn);
    expect(run.outputs['deployment-ids']).toBe('{}');
    expect(fake.registeredRevisions()).toHaveLength(0);
    expect(fake.calls('UpdateService')).toHaveLength(0);
    expect(run.stdout).toContain('task definition unchanged');
  });

  it('deploys the same revision again with force-new-deployment, registering nothing', async () => {
    const path = writeDefinition(webDefinition('registry.example/web:1.0.0'));
    const run = await rollout(fake, { 'task-definition': path, 'force-new-deployment': 'true' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(fake.registeredRevisions()).toHaveLength(0);
    expect(fake.calls('UpdateService')[0]!.input).toMatchObject({
      taskDefinition: runningArn,
      forceNewDeployment: true,
    });
  });

  it('sets desired-count on the update and waits until that many tasks run', async () => {
    const path = writeDefinition(webDefinition('registry.example/web:1.4.0'));
    const run = await rollout(fake, { 'task-definition': path, 'desired-count': '3' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(fake.calls('UpdateService')[0]!.input).toMatchObject({ desiredCount: 3, forceNewDeployment: false });
    expect(run.stdout).toMatch(/running 3\/3, pending 0, COMPLETED/);
  });

  it('with wait false returns once ECS accepted the update, without following it', async () => {
    const path = writeDefinition(webDefinition('registry.example/web:1.5.0'));
    const run = await rollout(fake, { 'task-definition': path, wait: 'false' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(JSON.parse(run.outputs['deployment-ids']!)).toEqual({ web: fake.service('web').deployments[0]!.id });
    expect(fake.calls('DescribeServices')).toHaveLength(1);
    expect(fake.calls('ListTasks')).toHaveLength(0);
  });

  it('dry-run prints the diff and plan and makes no mutating call', async () => {
    const path = writeDefinition(webDefinition('registry.example/web:2.0.0'));
    const run = await rollout(fake, { 'task-definition': path, 'dry-run': 'true' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('unchanged');
    expect(run.outputs['task-definition-arn']).toBe('');
    expect(run.stdout).toContain('image: registry.example/web:1.0.0 → registry.example/web:2.0.0');
    expect(run.summary).toContain('update (task definition changed (1 difference)), registering a new revision');
    const operations = new Set(fake.calls().map((c) => c.operation));
    expect([...operations].sort()).toEqual(['DescribeServices', 'DescribeTaskDefinition']);
    for (const operation of MUTATING) expect(operations.has(operation)).toBe(false);
  });

  it('keeps following through ThrottlingException on DescribeServices and still succeeds', async () => {
    const path = writeDefinition(webDefinition('registry.example/web:1.2.0'));
    // The planning call goes through, then more throttles than the SDK retries (5 attempts) in a row.
    fake.script('web', (api) => {
      healthyRollout(2500)(api);
      api.afterDescribes(1, () => fake.throttle('DescribeServices', 6));
    });
    const run = await rollout(fake, { 'task-definition': path });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.stdout).toMatch(/ECS is throttling the status calls \(Rate exceeded\); next poll in 2 s/);
    const throttledCalls = fake.calls('DescribeServices').length;
    expect(throttledCalls).toBeGreaterThanOrEqual(8);
  });

  it('succeeds where ECS reports no rolloutState once the new deployment is the only one and fully running', async () => {
    const legacyArn = fake.addTaskDefinition({ ...webDefinition('registry.example/web:1.0.0'), family: 'legacy' });
    fake.addService({ name: 'legacy', taskDefinition: legacyArn, reportsRolloutState: false });
    const path = writeDefinition({ ...webDefinition('registry.example/web:1.3.0'), family: 'legacy' });
    const run = await rollout(fake, { services: 'legacy', 'task-definition': path });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(fake.service('legacy').deployments).toHaveLength(1);
  });

  it('reports every invalid input at once, including undeclared ones', async () => {
    const run = await rollout(
      fake,
      { services: 'web\nweb', 'timeout-minutes': '0', rollback: 'sometimes', 'poll-interval-seconds': 'fast' },
      { env: { 'INPUT_MAX-FAILED-TASK': '3' } },
    );
    expect(run.exitCode).toBe(1);
    const text = run.errors.join('\n');
    expect(text).toContain('"timeout-minutes" is "0"');
    expect(text).toContain('input "rollback" is "sometimes": must be one of "auto", "off"');
    expect(text).toContain('input "poll-interval-seconds" is "fast"');
    expect(text).toContain('service "web" has no task definition');
    expect(text).toContain('did you mean "max-failed-tasks"?');
    expect(fake.calls()).toHaveLength(0);
  });
});
