import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alarmNamesInMessage, explainFailure, followCodeDeployRollout, targetProgress } from '../src/codedeploy';
import { FAKE_CREDENTIALS } from '../src/testing/aws-json-server';
import {
  ALARM_MESSAGE_PREFIX,
  alarmRollback,
  canarySuccess,
  createFakeCodeDeploy,
  failingHook,
  type FakeCodeDeploy,
} from '../src/testing/fake-codedeploy';
import { FAKE_CLOCKS, settleOnFakeTimers } from '../src/testing/virtual-time';

const LAMBDA_APPSPEC = JSON.stringify({
  version: 0,
  Resources: [
    {
      notifier: {
        Type: 'AWS::Lambda::Function',
        Properties: { Name: 'berth-dev-deploy-notifier', Alias: 'live', CurrentVersion: '3', TargetVersion: '4' },
      },
    },
  ],
});

describe('followCodeDeployRollout against the fake CodeDeploy', () => {
  let fake: FakeCodeDeploy;
  let client: CodeDeployClient;
  const shifts: number[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: [...FAKE_CLOCKS], shouldAdvanceTime: true });
    shifts.length = 0;
    fake = createFakeCodeDeploy({ onLambdaTraffic: (_, percent) => shifts.push(percent) });
    client = new CodeDeployClient({
      region: 'us-east-1',
      credentials: FAKE_CREDENTIALS,
      requestHandler: fake.transport.requestHandler,
    });
  });
  afterEach(() => vi.useRealTimers());

  async function deployAndFollow(timeoutMs = 60_000) {
    const { deploymentId } = await client.send(
      new CreateDeploymentCommand({
        applicationName: 'berth-dev-deploy-notifier',
        deploymentGroupName: 'berth-dev-deploy-notifier-live',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: LAMBDA_APPSPEC } },
      }),
    );
    const log: string[] = [];
    const verdict = await settleOnFakeTimers(
      followCodeDeployRollout(deploymentId!, {
        client,
        pollIntervalMs: 500,
        timeoutMs,
        timeoutText: '1 minute',
        previousRevision: 'version 3',
        tag: '[notifier]',
        log: (line) => log.push(line),
      }),
    );
    return { verdict, log };
  }

  it('follows a Lambda canary to success, finding its target and reporting each traffic step once', async () => {
    fake.script(canarySuccess());
    const { verdict, log } = await deployAndFollow();
    expect(verdict.status).toBe('succeeded');
    expect(verdict.rollout.trafficShifts.map((s) => s.percent)).toEqual([0, 10, 100]);
    expect(shifts).toEqual([0, 10, 100]);
    expect(log.filter((l) => l === '[notifier] traffic on the new revision: 10%')).toHaveLength(1);
    expect(log).toContain('[notifier] AfterAllowTraffic: Succeeded');
    // The target was looked up until it existed, then read by its id.
    const targets = fake.calls('GetDeploymentTarget').map((c) => c.input.targetId);
    expect(new Set(targets)).toEqual(new Set(['berth-dev-deploy-notifier:live']));
  });

  it('names the alarm and follows the rollback deployment', async () => {
    fake.script(alarmRollback('berth-dev-notifier-live-errors'));
    const { verdict } = await deployAndFollow();
    expect(verdict).toMatchObject({
      status: 'rolled-back',
      triggeredAlarms: ['berth-dev-notifier-live-errors'],
      cause: 'alarm berth-dev-notifier-live-errors',
      rollbackDeploymentId: 'd-FAKE00002',
      rollback: 'CodeDeploy rolled back to version 3: deployment d-FAKE00002 succeeded',
    });
    expect(verdict.rollbackFollow?.info?.status).toBe('Succeeded');
    expect(shifts.at(-1)).toBe(0);
  });

  it('names a failed hook and says when following timed out', async () => {
    fake.script(failingHook());
    expect((await deployAndFollow()).verdict).toMatchObject({
      status: 'rolled-back',
      failedHook: 'BeforeAllowTraffic',
    });
    fake.script([{ at: 0, status: 'InProgress', traffic: 10 }]);
    const { verdict } = await deployAndFollow(2_000);
    expect(verdict.status).toBe('failed');
    expect(verdict.failure).toContain('aws deploy stop-deployment --deployment-id d-FAKE00003 --auto-rollback-enabled');
  });
});

describe('explaining CodeDeploy outcomes', () => {
  it('reads alarm names from the forms CodeDeploy writes them in', () => {
    expect(alarmNamesInMessage(`${ALARM_MESSAGE_PREFIX} <a-5xx>, <b-latency>`)).toEqual(['a-5xx', 'b-latency']);
    expect(alarmNamesInMessage('The deployment was stopped because alarms were activated: [web-5xx]')).toEqual([
      'web-5xx',
    ]);
    expect(alarmNamesInMessage('Deployment stopped manually')).toEqual([]);
  });

  it('falls back to the error code and message when neither alarm nor hook decided', () => {
    expect(
      explainFailure(
        {
          deploymentId: 'd-1',
          status: 'Failed',
          errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'no capacity' },
        },
        [],
      ),
    ).toEqual({
      failure: 'CodeDeploy deployment d-1 failed: ECS_UPDATE_ERROR: no capacity',
      cause: 'ECS_UPDATE_ERROR',
      triggeredAlarms: [],
    });
  });

  it('reads traffic of ECS and Lambda targets on one scale', () => {
    expect(
      targetProgress({
        ecsTarget: { taskSetsInfo: [{ taskSetLabel: 'Green', trafficWeight: 10 }], lifecycleEvents: [] },
      }).trafficPercent,
    ).toBe(10);
    expect(targetProgress({ lambdaTarget: { lambdaFunctionInfo: { targetVersionWeight: 0.1 } } }).trafficPercent).toBe(
      10,
    );
    expect(targetProgress({}).trafficPercent).toBeUndefined();
  });
});
