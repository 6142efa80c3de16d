import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthyRollout, startFakeEcs, type ServedFakeEcs } from './fake-ecs';
import { runRolloutBundle, webDefinition, writeDefinition } from './harness';

// The one smoke test of the committed bundle, run as the GitHub runner runs it against the fake ECS over HTTP.
// Behaviour is tested from source on fake timers; this proves the bundle wires it up end to end.
describe('ecs-rollout bundle', () => {
  let fake: ServedFakeEcs;
  beforeEach(async () => {
    fake = await startFakeEcs();
  });
  afterEach(() => fake.close());

  it('registers, updates and follows a rollout to success through the runner protocol', async () => {
    const runningArn = fake.addTaskDefinition(webDefinition('registry.example/web:1.0.0'));
    fake.addService({ name: 'web', taskDefinition: runningArn });
    fake.script('web', healthyRollout(500));
    const path = writeDefinition(webDefinition('registry.example/web:1.1.0'));

    const run = await runRolloutBundle(fake, { 'task-definition': path });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    expect(JSON.parse(run.outputs['deployment-ids']!)).toEqual({ web: fake.service('web').deployments[0]!.id });
    expect(fake.service('web').taskDefinition).toBe(run.outputs['task-definition-arn']);
    expect(run.summary).toContain('| web | web:1 → web:2 | succeeded |');
    const agent = String(fake.calls('UpdateService')[0]!.headers['user-agent'] ?? '');
    expect(agent).toMatch(/berth-ecs-rollout\/\d+\.\d+\.\d+/);
  });
});
