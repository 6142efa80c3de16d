import { beforeEach, describe, expect, it } from 'vitest';
import { crashLoop, healthyRollout, createFakeEcs, type FakeEcs, type RolloutScript } from './fake-ecs';
import { onVirtualTime } from '@berth/kit/testing/virtual-time';
import { rollout, webDefinition, writeDefinition } from './harness';

// Why tasks stopped is looked up at the first stop of a deployment (a certain failure decides there), then only when
// stops can decide the rollout or must be reported, each time with one ListTasks per task definition family and one
// DescribeTasks for every newly stopped task of every service.
describe('ecs-rollout against the fake ECS: stopped-task look-ups', () => {
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

  /** Task ids DescribeTasks was asked about. */
  function describedTasks(): string[] {
    return fake.calls('DescribeTasks').flatMap((c) => (c.input.tasks as string[]).map((t) => t.split('/').pop()!));
  }

  /** Task ids the followed deployments started, from the "has started N tasks" events the action printed. */
  function startedDuringRollout(stdout: string): Set<string> {
    const ids = [...stdout.matchAll(/event: \(service \w+\) has started \d+ tasks: (.*)/g)].flatMap((m) =>
      [...m[1]!.matchAll(/\(task (\w+)\)/g)].map((t) => t[1]!),
    );
    return new Set(ids);
  }

  it('looks up a crash loop at its first stop and once more when the stops can decide it', async () => {
    fake.script('web', crashLoop({ exitCode: 3, lifetimeMs: 600 }), healthyRollout(1500));
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toMatch(
      /container web, exit code 3, stoppedReason "Essential container in task exited"/,
    );
    // One ListTasks before the update (what had stopped already), one at the first stop (a crash: not certain, so
    // max-failed-tasks applies), one when the stops could decide.
    const lists = fake.calls('ListTasks');
    expect(lists).toHaveLength(3);
    for (const list of lists) expect(list.input).toMatchObject({ family: 'web', desiredStatus: 'STOPPED' });
    expect(fake.calls('DescribeTasks')).toHaveLength(2);
    // Only tasks the new deployment started, at least max-failed-tasks + 1 of them, each once; not the crash
    // from before the rollout (exit code 137).
    const described = describedTasks();
    expect(described.length).toBeGreaterThanOrEqual(2);
    expect(new Set(described).size).toBe(described.length);
    const started = startedDuringRollout(run.stdout);
    for (const id of described) expect(started).toContain(id);
    expect(run.stdout).not.toContain('exit code 137');
  });

  it('examines a lone stop at once and needs no further look-up when the rollout then succeeds', async () => {
    const oneCrash: RolloutScript = (api) => {
      api.at(200, () => api.startTasks(1));
      api.at(700, () =>
        api.stopTask({ container: 'web', exitCode: 2, stoppedReason: 'Essential container in task exited' }),
      );
      api.at(900, () => api.startTasks(2));
      api.at(1500, () => api.runTasks());
      api.at(2600, () => api.complete());
    };
    fake.script('web', oneCrash);
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '2' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(fake.calls('ListTasks')).toHaveLength(2);
    expect(fake.calls('DescribeTasks')).toHaveLength(1);
    expect(describedTasks()).toHaveLength(1);
    expect(startedDuringRollout(run.stdout)).toContain(describedTasks()[0]);
    // The look-up came at the first poll after the stop (at 700 ms), long before the deployment completed.
    const lookup = fake.calls('DescribeTasks')[0]!;
    const update = fake.calls('UpdateService')[0]!;
    expect(lookup.at - update.at).toBeLessThan(2600);
    expect(run.summary).toMatch(/\| web \| [0-9a-f]{32} \| web \| 2 \| Essential container in task exited \| yes \|/);
  });

  it('shares one ListTasks and one DescribeTasks between services of one family that fail together', async () => {
    fake.addService({ name: 'api', taskDefinition: goodArn });
    const crash = crashLoop({ exitCode: 4, lifetimeMs: 600 });
    fake.script('web', crash, healthyRollout(1200));
    fake.script('api', crash, healthyRollout(1200));
    const run = await rollout(fake, { services: 'web\napi', 'task-definition': path, 'max-failed-tasks': '0' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toContain('exit code 4');
    expect(fake.calls('ListTasks')).toHaveLength(2);
    expect(fake.calls('DescribeTasks')).toHaveLength(1);
    // The one DescribeTasks covered a failed task of each service's new deployment.
    const described = describedTasks();
    expect(described).toHaveLength(2);
    expect(run.summary).toMatch(/\| web \| [0-9a-f]{32} \| web \| 4 \|/);
    expect(run.summary).toMatch(/\| api \| [0-9a-f]{32} \| web \| 4 \|/);
    const started = startedDuringRollout(run.stdout);
    for (const id of described) expect(started).toContain(id);
  });
});
