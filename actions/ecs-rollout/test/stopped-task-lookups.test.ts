import { beforeEach, describe, expect, it } from 'vitest';
import { crashLoop, healthyRollout, createFakeEcs, type FakeEcs, type RolloutScript } from './fake-ecs';
import { onVirtualTime, rollout, webDefinition, writeDefinition } from './harness';

// Why tasks stopped is looked up only when it can decide the rollout or must be reported, and then with one
// ListTasks per task definition family and one DescribeTasks for every newly stopped task of every service.
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

  it('looks up a crash loop once, when the stops can decide it: one ListTasks and one DescribeTasks', async () => {
    fake.script('web', crashLoop({ exitCode: 3, lifetimeMs: 600 }), healthyRollout(1500));
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toMatch(
      /container web, exit code 3, stoppedReason "Essential container in task exited"/,
    );
    // One ListTasks before the update (what had stopped already), one when the stops could decide.
    const lists = fake.calls('ListTasks');
    expect(lists).toHaveLength(2);
    for (const list of lists) expect(list.input).toMatchObject({ family: 'web', desiredStatus: 'STOPPED' });
    expect(fake.calls('DescribeTasks')).toHaveLength(1);
    // Only tasks the new deployment started, at least max-failed-tasks + 1 of them, each once; not the crash
    // from before the rollout (exit code 137).
    const described = describedTasks();
    expect(described.length).toBeGreaterThanOrEqual(2);
    expect(new Set(described).size).toBe(described.length);
    const started = startedDuringRollout(run.stdout);
    for (const id of described) expect(started).toContain(id);
    expect(run.stdout).not.toContain('exit code 137');
  });

  it('fetches the reason of a stop that cannot decide the rollout only to report it when the rollout ends', async () => {
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
    // The look-up came after the deployment completed: the last poll saw it completed.
    const lookup = fake.calls('DescribeTasks')[0]!;
    const polls = fake.calls('DescribeServices');
    expect(polls[polls.length - 1]!.at).toBeLessThanOrEqual(lookup.at);
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
