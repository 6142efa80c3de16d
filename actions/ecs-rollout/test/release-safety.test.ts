import { beforeEach, describe, expect, it } from 'vitest';
import { alarmTrips, crashLoop, createFakeEcs, healthyRollout, type FakeEcs } from './fake-ecs';
import { onVirtualTime } from '@berth/kit/testing/virtual-time';
import { rollout, webDefinition, writeDefinition } from './harness';

const NEW_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';

describe('ecs-rollout against the fake ECS: deployment alarms and certain failures', () => {
  onVirtualTime();
  let fake: FakeEcs;
  let goodArn: string;
  let path: string;

  beforeEach(() => {
    fake = createFakeEcs();
    goodArn = fake.addTaskDefinition(webDefinition('registry.example/web:1.0.0'));
    path = writeDefinition(webDefinition('registry.example/web:1.1.0'));
  });

  it('names the deployment alarm that made ECS roll back, in the verdict, the annotation and the summary', async () => {
    fake.addService({
      name: 'web',
      taskDefinition: goodArn,
      circuitBreaker: { enable: true, rollback: true },
      alarms: { names: ['berth-prod-web-5xx', 'berth-prod-web-response-time'], enable: true, rollback: true },
    });
    fake.script('web', alarmTrips(['berth-prod-web-5xx']), healthyRollout(1500));
    const run = await rollout(fake, { 'task-definition': path });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const failure = run.errors.join('\n');
    expect(failure).toMatch(
      new RegExp(
        'CloudWatch alarm berth-prod-web-5xx went off during deployment ecs-svc/\\d+, and ECS stopped it ' +
          '\\(service deployment ROLLBACK_IN_PROGRESS; Service deployment rolled back because alarm\\(s\\) were triggered\\.; ' +
          'rollback: CloudWatch alarm\\(s\\) in ALARM: berth-prod-web-5xx\\)',
      ),
    );
    expect(failure).toContain(`rolled back to ${goodArn}`);
    expect(run.stdout).toContain(`ECS (deployment alarms) is rolling back to ${goodArn}`);
    // The annotation's title names the alarm (the runner protocol escapes its colon).
    expect(run.stdout).toContain('::error title=ecs-rollout%3A web rolled-back (alarm berth-prod-web-5xx)::');
    // ECS rolled back by itself: the action made no update of its own, and asked once which alarms went off.
    expect(fake.calls('UpdateService')).toHaveLength(1);
    expect(fake.calls('DescribeServiceDeployments')).toHaveLength(1);
    expect(fake.service('web').taskDefinition).toBe(goodArn);
    expect(run.summary).toContain('Alarm: `berth-prod-web-5xx`');
    expect(run.summary).toMatch(/failed - alarm berth-prod-web-5xx :crit, \d+, \d+/);
    expect(run.summary).toMatch(/rollback to web∶1 :done, \d+, \d+/);
    expect(run.summary).toMatch(/rollback done :milestone, \d+, \d+/);
    expect(run.summary).toMatch(/all tasks running :milestone, \d+, \d+/);
  });

  it('rolls back itself when the alarms stop a deployment that ECS does not roll back', async () => {
    fake.addService({
      name: 'web',
      taskDefinition: goodArn,
      alarms: { names: ['berth-prod-web-5xx'], enable: true, rollback: false },
    });
    fake.script('web', alarmTrips(['berth-prod-web-5xx']), healthyRollout(1500));
    const run = await rollout(fake, { 'task-definition': path });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toContain('CloudWatch alarm berth-prod-web-5xx went off');
    expect(run.errors.join('\n')).toContain('service deployment STOPPED');
    expect(fake.calls('UpdateService').map((c) => c.input.taskDefinition)).toEqual([NEW_ARN, goodArn]);
    expect(fake.service('web').taskDefinition).toBe(goodArn);
  });

  it.each([
    [
      'a secret that cannot be fetched',
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ' +
        'unable to retrieve secret from asm: AccessDeniedException',
      'a secret, parameter or registry credential cannot be fetched',
    ],
    [
      'a command the image does not have',
      'CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: ' +
        'exec: "node": executable file not found in $PATH: unknown',
      'the container runtime cannot run the task definition',
    ],
    [
      'a definition the runtime cannot create',
      'CannotCreateContainerError: Error response from daemon: invalid mount config',
      'the container runtime cannot run the task definition',
    ],
  ])('decides %s at the first stopped task', async (_, stoppedReason, why) => {
    fake.addService({ name: 'web', taskDefinition: goodArn });
    fake.script('web', crashLoop({ lifetimeMs: 400, stop: { stoppedReason, stopCode: 'TaskFailedToStart' } }));
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '3' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toContain(`could not start and no task of this definition will: ${why}`);
    const rollbackAt = fake.calls('UpdateService')[1]!.at;
    expect(fake.marks.filter((m) => m.label.startsWith('task-failed') && m.at <= rollbackAt)).toHaveLength(1);
  });

  it('keeps max-failed-tasks for crashes and for pull errors that may pass', async () => {
    fake.addService({ name: 'web', taskDefinition: goodArn });
    fake.script(
      'web',
      crashLoop({
        lifetimeMs: 400,
        stop: {
          stoppedReason: 'CannotPullContainerError: pull image manifest: i/o timeout',
          stopCode: 'TaskFailedToStart',
        },
      }),
    );
    const run = await rollout(fake, { 'task-definition': path, 'max-failed-tasks': '2' });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain('3 tasks of ' + NEW_ARN + ' stopped with errors (max-failed-tasks is 2)');
    const rollbackAt = fake.calls('UpdateService')[1]!.at;
    expect(fake.marks.filter((m) => m.label.startsWith('task-failed') && m.at <= rollbackAt)).toHaveLength(3);
    expect(run.summary).toMatch(/failed - 3 tasks failed - CannotPullContainerError :crit/);
  });

  it('draws a successful rollout as a timeline GitHub renders', async () => {
    fake.addService({ name: 'web', taskDefinition: goodArn });
    fake.script('web', healthyRollout(2000));
    const run = await rollout(fake, { 'task-definition': path });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(run.summary)?.[1];
    expect(chart).toBeDefined();
    const lines = chart!.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'gantt',
      '  title Rollout to berth',
      '  dateFormat x',
      '  axisFormat %H:%M:%S',
      '  section web',
    ]);
    const labels = lines.slice(5).map((l) => l.trim().split(' :')[0]);
    expect(labels).toEqual([
      'web∶2 registered',
      expect.stringMatching(/^deployment ecs-svc\/\d+$/),
      'all tasks running',
      'steady',
    ]);
    // Times are epoch milliseconds in order: registered ≤ started < tasks running ≤ steady.
    const times = lines.slice(5).map((l) => Number(/, (\d+), \d+$/.exec(l)![1]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
