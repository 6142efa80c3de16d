import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { DeploymentFollower, type Watch, type WatchOutcome } from '../src/deployment-follower';
import type { EcsGateway } from '../src/ecs-gateway';

const NEW_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const OLD_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';

/** A gateway answering DescribeServices from a list of scripted answers, one per poll (errors are thrown). */
function scriptedGateway(answers: (Service | Error)[]): EcsGateway & { polls: number } {
  const gateway = {
    polls: 0,
    async describeServices() {
      const answer = answers[Math.min(gateway.polls++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return { services: new Map([['web', answer]]), missing: [] };
    },
    describeTaskDefinition: () => Promise.reject(new Error('not scripted')),
    registerTaskDefinition: () => Promise.reject(new Error('not scripted')),
    updateService: () => Promise.reject(new Error('not scripted')),
    listStoppedTasks: async () => [],
    describeTasks: async () => [],
    describeServiceDeployments: async () => [],
  };
  return gateway;
}

function service(deployments: NonNullable<Service['deployments']>, breakerRollback = false): Service {
  return {
    serviceName: 'web',
    deployments,
    events: [],
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: breakerRollback, rollback: breakerRollback } },
  };
}

const watch: Watch = {
  service: 'web',
  deploymentId: 'ecs-svc/new',
  taskDefinitionArn: NEW_ARN,
  purpose: 'rollout',
  deadline: Number.MAX_SAFE_INTEGER,
  timeoutText: '30 minutes',
};

async function follow(gateway: EcsGateway): Promise<{ outcome?: WatchOutcome; sleeps: number[]; log: string[] }> {
  const sleeps: number[] = [];
  const log: string[] = [];
  let clock = 0;
  const follower = new DeploymentFollower({
    gateway,
    pollIntervalMs: 1000,
    maxFailedTasks: 2,
    log: (line) => log.push(line),
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });
  const { outcome } = await follower.follow(watch);
  return { outcome, sleeps, log };
}

const inProgress: Deployment = {
  id: 'ecs-svc/new',
  status: 'PRIMARY',
  taskDefinition: NEW_ARN,
  desiredCount: 2,
  runningCount: 1,
  pendingCount: 1,
  rolloutState: 'IN_PROGRESS',
  createdAt: new Date(2000),
};
const completed: Deployment = { ...inProgress, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' };

describe('DeploymentFollower', () => {
  it('backs off on throttling, doubling the interval, and returns to it after a good poll', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const gateway = scriptedGateway([
      service([inProgress]),
      throttled,
      throttled,
      service([inProgress]),
      service([completed]),
    ]);
    const { outcome, sleeps } = await follow(gateway);
    // All tasks first ran at the last poll: after the sleeps of 1, 1, 2, 4 and 1 s.
    expect(outcome).toEqual({ kind: 'completed', tasksRunningAt: 9000 });
    // The first poll waits one interval (UpdateService's answer was the state at the start).
    expect(sleeps).toEqual([1000, 1000, 2000, 4000, 1000]);
  });

  it('tolerates two failed polls in a row and gives up on the third', async () => {
    const failure = new Error('socket hang up');
    const recovered = await follow(scriptedGateway([failure, failure, service([completed])]));
    expect(recovered.outcome).toMatchObject({ kind: 'completed' });
    expect(recovered.log.filter((l) => l.startsWith('Polling ECS failed (socket hang up)'))).toHaveLength(2);
    await expect(follow(scriptedGateway([failure, failure, failure]))).rejects.toThrow(
      /failed 3 polls in a row: socket hang up/,
    );
  });

  it('does not call a deployment completed when a circuit-breaker rollback runs the old definition', async () => {
    const failed: Deployment = {
      ...inProgress,
      status: 'ACTIVE',
      rolloutState: 'FAILED',
      rolloutStateReason: 'tasks failed to start.',
    };
    const rollback: Deployment = {
      id: 'ecs-svc/rollback',
      status: 'PRIMARY',
      taskDefinition: OLD_ARN,
      desiredCount: 2,
      runningCount: 0,
      pendingCount: 2,
      rolloutState: 'IN_PROGRESS',
      createdAt: new Date(3000),
    };
    // First ECS shows FAILED without its rollback deployment yet: the follower waits a poll for it.
    const gateway = scriptedGateway([
      service([{ ...failed, status: 'PRIMARY' }], true),
      service([rollback, failed], true),
    ]);
    const { outcome } = await follow(gateway);
    expect(gateway.polls).toBe(2);
    expect(outcome).toMatchObject({
      kind: 'failed',
      reason: 'ECS marked deployment ecs-svc/new FAILED (tasks failed to start.)',
      ecsRollback: { deploymentId: 'ecs-svc/rollback', taskDefinitionArn: OLD_ARN },
    });
  });

  it('reports a deployment replaced by someone else without offering a rollback target', async () => {
    const other: Deployment = {
      id: 'ecs-svc/other',
      status: 'PRIMARY',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
      createdAt: new Date(4000),
    };
    const { outcome } = await follow(scriptedGateway([service([inProgress]), service([other])]));
    expect(outcome).toMatchObject({ kind: 'failed', replaced: true });
    expect(outcome?.kind === 'failed' && outcome.reason).toContain(
      'primary deployment is ecs-svc/other running arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
    );
  });
});

describe('DeploymentFollower: one poll loop for every watch, each returning its own outcome', () => {
  /** A follower on a clock that only sleeps advance, over a gateway whose answers `answer` writes per poll. */
  function followerOn(answer: (poll: number, services: readonly string[]) => Map<string, Service>) {
    const sleeps: number[] = [];
    const asked: string[][] = [];
    const clock = { now: 0 };
    const gateway = scriptedGateway([]);
    gateway.describeServices = async (names: string[]) => {
      asked.push([...names]);
      return { services: answer(asked.length, names), missing: [] };
    };
    const follower = new DeploymentFollower({
      gateway,
      pollIntervalMs: 1000,
      maxFailedTasks: 2,
      log: () => undefined,
      now: () => clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now += ms;
      },
    });
    return { follower, sleeps, asked, clock };
  }

  const apiWatch: Watch = { ...watch, service: 'api', deploymentId: 'ecs-svc/api' };
  const apiCompleted: Deployment = { ...completed, id: 'ecs-svc/api' };

  it('lets a watch followed during a poll join at the next poll, not count it missing from that poll', async () => {
    let apiFollowed: ReturnType<DeploymentFollower['follow']> | undefined;
    const { follower, asked } = followerOn((poll, names) => {
      // While the first poll is under way, the api service starts being followed.
      if (poll === 1) apiFollowed = follower.follow(apiWatch);
      return new Map(
        names.map((name) => [
          name,
          name === 'web' ? service([poll < 3 ? inProgress : completed]) : service([apiCompleted]),
        ]),
      );
    });
    const web = await follower.follow(watch);
    const api = await apiFollowed!;
    expect(asked).toEqual([['web'], ['web', 'api'], ['web']]);
    expect(api.outcome).toMatchObject({ kind: 'completed' });
    expect(web.outcome).toMatchObject({ kind: 'completed' });
  });

  it('follows the next watch of a service, decided after the first returned, one interval after the last poll', async () => {
    const { follower, sleeps, clock } = followerOn(
      (poll) => new Map([['web', service([poll < 2 ? inProgress : completed])]]),
    );
    expect((await follower.follow(watch)).outcome).toMatchObject({ kind: 'completed' });
    // The caller takes 300 ms to start the rollback (its UpdateService) before following it.
    clock.now += 300;
    const rollback = await follower.follow({ ...watch, purpose: 'rollback' });
    expect(rollback.outcome).toMatchObject({ kind: 'completed' });
    expect(sleeps).toEqual([1000, 1000, 700]);
  });

  it('fails every watch, and every later one, when polling keeps failing', async () => {
    const { follower } = followerOn(() => {
      throw new Error('socket hang up');
    });
    const web = follower.follow(watch);
    const api = follower.follow(apiWatch);
    await expect(web).rejects.toThrow(/failed 3 polls in a row: socket hang up/);
    await expect(api).rejects.toThrow(/failed 3 polls in a row: socket hang up/);
    await expect(follower.follow({ ...watch, purpose: 'rollback' })).rejects.toThrow(/failed 3 polls in a row/);
  });
});
