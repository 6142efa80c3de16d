import { beforeEach, describe, expect, it } from 'vitest';
import { circuitBreakerTrips, crashLoop, healthyRollout, createFakeEcs, stuckRollout, type FakeEcs } from './fake-ecs';
import { onVirtualTime } from '@berth/kit/testing/virtual-time';
import { rollout, webDefinition, writeDefinition } from './harness';

describe('ecs-rollout against the fake ECS: failures and rollbacks', () => {
  onVirtualTime();
  let fake: FakeEcs;
  let goodArn: string;
  let path: string;

  beforeEach(() => {
    fake = createFakeEcs();
    goodArn = fake.addTaskDefinition(webDefinition('registry.example/web:1.0.0'));
    fake.addService({ name: 'web', taskDefinition: goodArn });
    path = writeDefinition(webDefinition('registry.example/web:1.1.0'));
  });

  it('fails fast on a crash loop without circuit breaker, names the exit code, and rolls back', async () => {
    fake.script('web', crashLoop({ exitCode: 3, lifetimeMs: 600 }), healthyRollout(1500));
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const failure = run.errors.join('\n');
    expect(failure).toContain(
      '2 tasks of arn:aws:ecs:us-east-1:123456789012:task-definition/web:2 stopped with errors (max-failed-tasks is 1)',
    );
    expect(failure).toContain('container web, exit code 3');
    expect(failure).toContain('stoppedReason "Essential container in task exited"');
    expect(failure).toContain(`rolled back to ${goodArn}`);
    // The rollback is an update to the recorded revision, not "revision - 1", and the service runs it again.
    const updates = fake.calls('UpdateService').map((c) => c.input.taskDefinition);
    expect(updates).toEqual(['arn:aws:ecs:us-east-1:123456789012:task-definition/web:2', goodArn]);
    expect(fake.service('web').taskDefinition).toBe(goodArn);
    expect(fake.calls('DeregisterTaskDefinition')).toHaveLength(0);
    // Decided on the 2nd failed task: ECS would have crash-looped 20 times.
    expect(fake.marks.filter((m) => m.label.startsWith('task-failed')).length).toBeLessThan(5);
    // The crash from before the rollout (exit code 137) is not counted or shown.
    expect(run.stdout).not.toContain('exit code 137');
    expect(run.summary).toContain('### Stopped tasks');
    expect(run.summary).toMatch(/\| web \| [0-9a-f]{32} \| web \| 3 \| Essential container in task exited \| yes \|/);
  });

  it('decides a missing image at the first stopped task, whatever max-failed-tasks says, and rolls back', async () => {
    fake.script(
      'web',
      crashLoop({
        lifetimeMs: 400,
        stop: {
          stoppedReason:
            'CannotPullContainerError: pull image manifest has been retried 5 time(s): registry.example/web:1.1.0: not found',
          stopCode: 'TaskFailedToStart',
        },
      }),
      healthyRollout(1500),
    );
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '5' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const failure = run.errors.join('\n');
    expect(failure).toContain(
      'of arn:aws:ecs:us-east-1:123456789012:task-definition/web:2 could not start and no task of this definition will: ' +
        'the image does not exist',
    );
    expect(failure).toContain('CannotPullContainerError');
    expect(failure).toContain('Decided at the first such task; max-failed-tasks (5) applies to crashes');
    // The rollback started before a second task of the new definition had stopped.
    const rollbackAt = fake.calls('UpdateService')[1]!.at;
    expect(fake.marks.filter((m) => m.label.startsWith('task-failed') && m.at <= rollbackAt)).toHaveLength(1);
    expect(fake.service('web').taskDefinition).toBe(goodArn);
    expect(run.summary).toMatch(/failed - the image does not exist :crit, \d+, \d+/);
  });

  it('follows ECS when the circuit breaker marks the deployment FAILED and rolls back by itself', async () => {
    const cbArn = fake.addTaskDefinition({ ...webDefinition('registry.example/api:1.0.0'), family: 'api' });
    fake.addService({ name: 'api', taskDefinition: cbArn, circuitBreaker: { enable: true, rollback: true } });
    fake.script('api', circuitBreakerTrips(2), healthyRollout(1500));
    const apiPath = writeDefinition({ ...webDefinition('registry.example/api:1.1.0'), family: 'api' });
    const run = await rollout(fake, { services: 'api', 'task-definition': apiPath, 'max-failed-tasks': '5' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toMatch(/ECS marked deployment ecs-svc\/\d+ FAILED \(tasks failed to start\.\)/);
    expect(run.stdout).toContain("ECS's circuit breaker is rolling back to " + cbArn);
    // ECS rolled back: the action made no update of its own beyond the rollout.
    expect(fake.calls('UpdateService')).toHaveLength(1);
    expect(fake.service('api').taskDefinition).toBe(cbArn);
  });

  it('fails saying so when the rollback fails too', async () => {
    fake.script('web', crashLoop({ exitCode: 1, lifetimeMs: 500 }), crashLoop({ exitCode: 2, lifetimeMs: 500 }));
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '0' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const failure = run.errors.join('\n');
    expect(failure).toContain('exit code 1');
    expect(failure).toContain(`the rollback to ${goodArn} failed too`);
    expect(failure).toContain('exit code 2');
  });

  it('times out, then rolls back', async () => {
    fake.script('web', stuckRollout(), healthyRollout(1000));
    const run = await rollout(fake, { 'task-definition': path, 'timeout-minutes': '0.05' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toMatch(
      /did not complete within 0\.05 minutes \(timeout-minutes\) \(running 0\/2, pending 2, IN_PROGRESS\)/,
    );
    expect(fake.service('web').taskDefinition).toBe(goodArn);
  });

  it('deploys two services in parallel with one batched poll; one fails and is rolled back, the other succeeds', async () => {
    const workerArn = fake.addTaskDefinition({ ...webDefinition('registry.example/worker:1.0.0'), family: 'worker' });
    fake.addService({ name: 'worker', taskDefinition: workerArn });
    const workerPath = writeDefinition({ ...webDefinition('registry.example/worker:1.1.0'), family: 'worker' });
    fake.script(
      'worker',
      crashLoop({
        exitCode: 137,
        lifetimeMs: 500,
        stop: {
          container: 'web',
          exitCode: 137,
          containerReason: 'OutOfMemoryError: Container killed due to memory usage',
          stoppedReason: 'Essential container in task exited',
        },
      }),
    );
    const run = await rollout(fake, { services: `web=${path}\nworker=${workerPath}`, 'max-failed-tasks': '0' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(JSON.parse(run.outputs['task-definition-arn']!)).toEqual({
      web: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      worker: 'arn:aws:ecs:us-east-1:123456789012:task-definition/worker:2',
    });
    expect(Object.keys(JSON.parse(run.outputs['deployment-ids']!) as object).sort()).toEqual(['web', 'worker']);
    expect(run.summary).toContain('| web | web:1 → web:2 | succeeded |');
    expect(run.summary).toContain('| worker | worker:1 → worker:2 | rolled-back |');
    expect(run.errors.join('\n')).toContain('OutOfMemoryError');
    expect(fake.service('web').taskDefinition).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    expect(fake.service('worker').taskDefinition).toBe(workerArn);
    // Every poll after planning asks about both services in one call while both are followed.
    const polls = fake.calls('DescribeServices').slice(1, 3);
    for (const poll of polls) expect((poll.input.services as string[]).sort()).toEqual(['web', 'worker']);
  });

  it('with rollback off, leaves the failed deployment in place and says so', async () => {
    fake.script('web', crashLoop({ exitCode: 1, lifetimeMs: 400 }));
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '0', rollback: 'off' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.errors.join('\n')).toContain('input "rollback" is off');
    expect(fake.calls('UpdateService')).toHaveLength(1);
  });
});
