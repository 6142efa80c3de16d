import { AwsFault, createAwsJsonFake, type AwsJsonFake } from '@berth/kit/testing/aws-json-server';

/** One point of a CodeDeploy deployment's timeline, visible from `at` ms after creation. */
export interface CodeDeployStage {
  at: number;
  status: 'Created' | 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped';
  /** Lifecycle event name → status, e.g. { BeforeAllowTraffic: 'Succeeded' }. */
  lifecycle?: Record<string, string>;
  /** Percent of production traffic on the replacement (green) task set. */
  greenTraffic?: number;
  error?: { code: string; message: string };
  /** CodeDeploy starts a rollback deployment, which succeeds after `rollbackMs`. */
  rollbackMs?: number;
}

interface FakeDeployment {
  id: string;
  createdAt: number;
  stages: CodeDeployStage[];
  input: Record<string, unknown>;
  rollbackId?: string;
}

export function canarySuccess(): CodeDeployStage[] {
  return [
    { at: 0, status: 'Created' },
    {
      at: 300,
      status: 'InProgress',
      lifecycle: { BeforeInstall: 'Succeeded', Install: 'InProgress' },
      greenTraffic: 0,
    },
    {
      at: 1200,
      status: 'InProgress',
      lifecycle: { BeforeInstall: 'Succeeded', Install: 'Succeeded', AllowTraffic: 'InProgress' },
      greenTraffic: 10,
    },
    {
      at: 2400,
      status: 'Succeeded',
      lifecycle: { BeforeInstall: 'Succeeded', Install: 'Succeeded', AllowTraffic: 'Succeeded' },
      greenTraffic: 100,
    },
  ];
}

export function alarmRollback(): CodeDeployStage[] {
  return [
    { at: 0, status: 'Created' },
    {
      at: 300,
      status: 'InProgress',
      lifecycle: { Install: 'Succeeded', AllowTraffic: 'InProgress' },
      greenTraffic: 10,
    },
    {
      at: 1500,
      status: 'Stopped',
      lifecycle: { Install: 'Succeeded', AllowTraffic: 'Failed' },
      greenTraffic: 0,
      error: { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated: api-5xx-rate' },
      rollbackMs: 1200,
    },
  ];
}

export interface FakeCodeDeploy {
  /** The fake's protocol side: give `transport.requestHandler` to a CodeDeployClient. */
  transport: AwsJsonFake;
  calls(operation?: string): { operation: string; input: Record<string, unknown> }[];
  /** Timelines of the next CreateDeployment calls, in order. */
  script(...timelines: CodeDeployStage[][]): void;
}

/** A CodeDeploy (JSON 1.1, target CodeDeploy_20141006) whose deployments follow scripted timelines by the clock. */
export function createFakeCodeDeploy(): FakeCodeDeploy {
  const deployments = new Map<string, FakeDeployment>();
  const scripts: CodeDeployStage[][] = [];
  let counter = 0;
  const newId = (): string => `d-FAKE${String(++counter).padStart(5, '0')}`;

  const stageOf = (d: FakeDeployment): CodeDeployStage => {
    const elapsed = Date.now() - d.createdAt;
    return [...d.stages].reverse().find((s) => s.at <= elapsed) ?? d.stages[0]!;
  };

  const find = (id: unknown): FakeDeployment => {
    const d = deployments.get(String(id));
    if (!d) throw new AwsFault('DeploymentDoesNotExistException', `Deployment ${String(id)} does not exist`);
    return d;
  };

  const transport = createAwsJsonFake({
    CreateDeployment: (input) => {
      const id = newId();
      deployments.set(id, { id, createdAt: Date.now(), stages: scripts.shift() ?? canarySuccess(), input });
      return { deploymentId: id };
    },
    GetDeployment: (input) => {
      const d = find(input.deploymentId);
      const stage = stageOf(d);
      if (stage.rollbackMs !== undefined && !d.rollbackId) {
        d.rollbackId = newId();
        deployments.set(d.rollbackId, {
          id: d.rollbackId,
          createdAt: Date.now(),
          input: d.input,
          stages: [
            { at: 0, status: 'InProgress', lifecycle: { AllowTraffic: 'InProgress' }, greenTraffic: 0 },
            { at: stage.rollbackMs, status: 'Succeeded', lifecycle: { AllowTraffic: 'Succeeded' }, greenTraffic: 0 },
          ],
        });
      }
      return {
        deploymentInfo: {
          deploymentId: d.id,
          applicationName: d.input.applicationName,
          deploymentGroupName: d.input.deploymentGroupName,
          status: stage.status,
          createTime: d.createdAt / 1000,
          computePlatform: 'ECS',
          ...(stage.error ? { errorInformation: stage.error } : {}),
          ...(d.rollbackId
            ? {
                rollbackInfo: {
                  rollbackDeploymentId: d.rollbackId,
                  rollbackMessage: `Rolled back by deployment ${d.rollbackId}`,
                },
              }
            : {}),
        },
      };
    },
    GetDeploymentTarget: (input) => {
      const d = find(input.deploymentId);
      const stage = stageOf(d);
      if (stage.status === 'Created')
        throw new AwsFault('DeploymentTargetDoesNotExistException', 'Target not yet created');
      return {
        deploymentTarget: {
          deploymentTargetType: 'ECSTarget',
          ecsTarget: {
            deploymentId: d.id,
            targetId: input.targetId,
            status: stage.status,
            lifecycleEvents: Object.entries(stage.lifecycle ?? {}).map(([name, status]) => ({
              lifecycleEventName: name,
              status,
            })),
            taskSetsInfo:
              stage.greenTraffic === undefined
                ? []
                : [
                    {
                      identifer: 'ecs-svc/blue',
                      taskSetLabel: 'Blue',
                      trafficWeight: 100 - stage.greenTraffic,
                      status: 'PRIMARY',
                    },
                    {
                      identifer: 'ecs-svc/green',
                      taskSetLabel: 'Green',
                      trafficWeight: stage.greenTraffic,
                      status: 'ACTIVE',
                    },
                  ],
          },
        },
      };
    },
  });
  return {
    transport,
    calls: (operation) => transport.calls.filter((c) => operation === undefined || c.operation === operation),
    script: (...timelines) => scripts.push(...timelines),
  };
}
