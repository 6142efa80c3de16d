import { AwsFault, createAwsJsonFake, serveAwsJsonFake, type AwsJsonFake, type HttpEndpoint } from './aws-json-server';

/** One point of a CodeDeploy deployment's timeline, visible from `at` ms after creation. */
export interface CodeDeployStage {
  at: number;
  status: 'Created' | 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped';
  /** Lifecycle event name → status, e.g. { BeforeAllowTraffic: 'Succeeded' }. */
  lifecycle?: Record<string, string>;
  /** Diagnostics of a failed lifecycle event (a hook that reported Failed). */
  diagnostics?: Record<string, { errorCode: string; message: string; logTail?: string }>;
  /** Percent of traffic on the new revision (ECS replacement task set, Lambda target version). */
  traffic?: number;
  error?: { code: string; message: string };
  /** CodeDeploy starts a rollback deployment, which succeeds after `rollbackMs`. */
  rollbackMs?: number;
}

/** The AppSpec resource of a Lambda deployment: which alias moves from which version to which. */
export interface LambdaAppSpecTarget {
  name: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
}

interface FakeDeployment {
  id: string;
  createdAt: number;
  stages: CodeDeployStage[];
  input: Record<string, unknown>;
  platform: 'ECS' | 'Lambda';
  lambda?: LambdaAppSpecTarget;
  /** Set on a rollback deployment: it restores the traffic of the deployment it rolls back. */
  rollsBack?: string;
  rollbackId?: string;
  lastTraffic?: number;
}

export interface FakeCodeDeployOptions {
  /**
   * Called when a Lambda deployment's traffic changes, as CodeDeploy updates the alias: `percent` of the alias's
   * traffic goes to `targetVersion` (100: the alias points at it; 0: back on `currentVersion` alone).
   */
  onLambdaTraffic?(target: LambdaAppSpecTarget, percent: number): void;
}

export interface FakeCodeDeploy {
  /** The fake's protocol side: give `transport.requestHandler` to a CodeDeployClient. */
  transport: AwsJsonFake;
  calls(operation?: string): { operation: string; input: Record<string, unknown>; at: number }[];
  /** Timelines of the next CreateDeployment calls, in order; without one a deployment succeeds as a canary. */
  script(...timelines: CodeDeployStage[][]): void;
}

export type ServedFakeCodeDeploy = FakeCodeDeploy & HttpEndpoint;

export const ALARM_MESSAGE_PREFIX =
  'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected ' +
  'deployments have been stopped. Activated alarms:';

/** A canary that shifts 10 %, waits, then shifts the rest and succeeds. */
export function canarySuccess(): CodeDeployStage[] {
  return [
    { at: 0, status: 'Created' },
    {
      at: 300,
      status: 'InProgress',
      lifecycle: { BeforeAllowTraffic: 'Succeeded', AllowTraffic: 'InProgress' },
      traffic: 0,
    },
    {
      at: 1200,
      status: 'InProgress',
      lifecycle: { BeforeAllowTraffic: 'Succeeded', AllowTraffic: 'InProgress' },
      traffic: 10,
    },
    {
      at: 2400,
      status: 'Succeeded',
      lifecycle: { BeforeAllowTraffic: 'Succeeded', AllowTraffic: 'Succeeded', AfterAllowTraffic: 'Succeeded' },
      traffic: 100,
    },
  ];
}

/** An alarm goes off while 10 % of the traffic is on the new revision; the group rolls back. */
export function alarmRollback(alarm = 'api-5xx-rate'): CodeDeployStage[] {
  return [
    { at: 0, status: 'Created' },
    {
      at: 300,
      status: 'InProgress',
      lifecycle: { BeforeAllowTraffic: 'Succeeded', AllowTraffic: 'InProgress' },
      traffic: 10,
    },
    {
      at: 1500,
      status: 'Stopped',
      lifecycle: { BeforeAllowTraffic: 'Succeeded', AllowTraffic: 'Failed' },
      traffic: 0,
      error: { code: 'ALARM_ACTIVE', message: `${ALARM_MESSAGE_PREFIX} <${alarm}>` },
      rollbackMs: 1200,
    },
  ];
}

/** The BeforeAllowTraffic hook reports Failed before any traffic moved; the group rolls back. */
export function failingHook(
  hook = 'BeforeAllowTraffic',
  message = 'smoke test: GET /health answered 503',
): CodeDeployStage[] {
  return [
    { at: 0, status: 'Created' },
    { at: 300, status: 'InProgress', lifecycle: { [hook]: 'InProgress' }, traffic: 0 },
    {
      at: 900,
      status: 'Failed',
      lifecycle: { [hook]: 'Failed', AllowTraffic: 'Skipped' },
      diagnostics: { [hook]: { errorCode: 'ScriptFailed', message } },
      traffic: 0,
      error: {
        code: 'HOOK_EXECUTION_FAILURE',
        message: `The deployment failed because the lifecycle hook ${hook} reported a failure.`,
      },
      rollbackMs: 600,
    },
  ];
}

/**
 * A CodeDeploy (JSON 1.1, target CodeDeploy_20141006) for ECS and Lambda deployments whose progress follows
 * scripted timelines by the clock (Date.now), so tests on fake timers play a canary in milliseconds.
 */
export function createFakeCodeDeploy(options: FakeCodeDeployOptions = {}): FakeCodeDeploy {
  const deployments = new Map<string, FakeDeployment>();
  const scripts: CodeDeployStage[][] = [];
  let counter = 0;
  const newId = (): string => `d-FAKE${String(++counter).padStart(5, '0')}`;

  const find = (id: unknown): FakeDeployment => {
    const d = deployments.get(String(id));
    if (!d) throw new AwsFault('DeploymentDoesNotExistException', `Deployment ${String(id)} does not exist`);
    return d;
  };

  /** The stage visible now; moves the Lambda alias when the traffic changed and starts a due rollback. */
  const advance = (d: FakeDeployment): CodeDeployStage => {
    const elapsed = Date.now() - d.createdAt;
    const stage = [...d.stages].reverse().find((s) => s.at <= elapsed) ?? d.stages[0]!;
    if (d.lambda && stage.traffic !== undefined && stage.traffic !== d.lastTraffic) {
      d.lastTraffic = stage.traffic;
      options.onLambdaTraffic?.(d.lambda, d.rollsBack ? 0 : stage.traffic);
    }
    if (stage.rollbackMs !== undefined && !d.rollbackId) {
      d.rollbackId = newId();
      deployments.set(d.rollbackId, {
        id: d.rollbackId,
        createdAt: Date.now(),
        input: d.input,
        platform: d.platform,
        lambda: d.lambda,
        rollsBack: d.id,
        stages: [
          { at: 0, status: 'InProgress', lifecycle: { AllowTraffic: 'InProgress' }, traffic: 0 },
          { at: stage.rollbackMs, status: 'Succeeded', lifecycle: { AllowTraffic: 'Succeeded' }, traffic: 0 },
        ],
      });
    }
    return stage;
  };

  const transport = createAwsJsonFake({
    CreateDeployment: (input) => {
      for (const name of ['applicationName', 'deploymentGroupName'] as const) {
        if (typeof input[name] !== 'string' || input[name] === '')
          throw new AwsFault('InvalidParameterException', `${name} is required`);
      }
      const revision = input.revision as { revisionType?: string; appSpecContent?: { content?: string } } | undefined;
      if (revision?.revisionType !== 'AppSpecContent' || typeof revision.appSpecContent?.content !== 'string') {
        throw new AwsFault('InvalidRevisionException', 'revision must be AppSpecContent with content');
      }
      const appspec = JSON.parse(revision.appSpecContent.content) as { Resources?: Record<string, unknown>[] };
      const lambda = lambdaTargetOf(appspec);
      const id = newId();
      deployments.set(id, {
        id,
        createdAt: Date.now(),
        stages: scripts.shift() ?? canarySuccess(),
        input,
        platform: lambda ? 'Lambda' : 'ECS',
        lambda,
      });
      return { deploymentId: id };
    },
    GetDeployment: (input) => {
      const d = find(input.deploymentId);
      const stage = advance(d);
      return {
        deploymentInfo: {
          deploymentId: d.id,
          applicationName: d.input.applicationName,
          deploymentGroupName: d.input.deploymentGroupName,
          deploymentConfigName: d.input.deploymentConfigName ?? 'CodeDeployDefault.AllAtOnce',
          status: stage.status,
          createTime: d.createdAt / 1000,
          computePlatform: d.platform,
          creator: d.rollsBack ? 'codeDeployRollback' : 'user',
          ...(stage.error ? { errorInformation: stage.error } : {}),
          ...(d.rollsBack ? { rollbackInfo: { rollbackTriggeringDeploymentId: d.rollsBack } } : {}),
          ...(d.rollbackId
            ? {
                rollbackInfo: {
                  rollbackDeploymentId: d.rollbackId,
                  rollbackMessage: `Deployment ${d.id} rolled back by ${d.rollbackId}`,
                },
              }
            : {}),
        },
      };
    },
    ListDeploymentTargets: (input) => {
      const d = find(input.deploymentId);
      if (advance(d).status === 'Created') return { targetIds: [] };
      return { targetIds: [targetIdOf(d)] };
    },
    GetDeploymentTarget: (input) => {
      const d = find(input.deploymentId);
      const stage = advance(d);
      if (stage.status === 'Created' || input.targetId !== targetIdOf(d))
        throw new AwsFault('DeploymentTargetDoesNotExistException', `No target ${String(input.targetId)}`);
      const lifecycleEvents = Object.entries(stage.lifecycle ?? {}).map(([name, status]) => ({
        lifecycleEventName: name,
        status,
        ...(stage.diagnostics?.[name] ? { diagnostics: stage.diagnostics[name] } : {}),
      }));
      if (d.lambda) {
        return {
          deploymentTarget: {
            deploymentTargetType: 'LambdaTarget',
            lambdaTarget: {
              deploymentId: d.id,
              targetId: input.targetId,
              status: stage.status,
              lifecycleEvents,
              lambdaFunctionInfo: {
                functionName: d.lambda.name,
                functionAlias: d.lambda.alias,
                currentVersion: d.lambda.currentVersion,
                targetVersion: d.lambda.targetVersion,
                ...(stage.traffic === undefined ? {} : { targetVersionWeight: stage.traffic / 100 }),
              },
            },
          },
        };
      }
      return {
        deploymentTarget: {
          deploymentTargetType: 'ECSTarget',
          ecsTarget: {
            deploymentId: d.id,
            targetId: input.targetId,
            status: stage.status,
            lifecycleEvents,
            taskSetsInfo:
              stage.traffic === undefined
                ? []
                : [
                    {
                      identifer: 'ecs-svc/blue',
                      taskSetLabel: 'Blue',
                      trafficWeight: 100 - stage.traffic,
                      status: 'PRIMARY',
                    },
                    {
                      identifer: 'ecs-svc/green',
                      taskSetLabel: 'Green',
                      trafficWeight: stage.traffic,
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

export async function startFakeCodeDeploy(options: FakeCodeDeployOptions = {}): Promise<ServedFakeCodeDeploy> {
  const fake = createFakeCodeDeploy(options);
  return Object.assign(fake, await serveAwsJsonFake(fake.transport));
}

/** ECS targets are `<cluster>:<service>` as CodeDeploy names them; Lambda targets `<function>:<alias>`. */
function targetIdOf(d: FakeDeployment): string {
  if (d.lambda) return `${d.lambda.name}:${d.lambda.alias}`;
  return `berth:${String((d.input.deploymentGroupName as string | undefined) ?? 'service')}`;
}

function lambdaTargetOf(appspec: { Resources?: Record<string, unknown>[] }): LambdaAppSpecTarget | undefined {
  for (const resource of appspec.Resources ?? []) {
    for (const value of Object.values(resource)) {
      const typed = value as { Type?: string; Properties?: Record<string, unknown> };
      if (typed.Type !== 'AWS::Lambda::Function') continue;
      const p = typed.Properties ?? {};
      for (const key of ['Name', 'Alias', 'CurrentVersion', 'TargetVersion']) {
        if (typeof p[key] !== 'string' || p[key] === '')
          throw new AwsFault('InvalidRevisionException', `AppSpec Lambda resource has no ${key}`);
      }
      return {
        name: p.Name as string,
        alias: p.Alias as string,
        currentVersion: p.CurrentVersion as string,
        targetVersion: p.TargetVersion as string,
      };
    }
  }
  return undefined;
}
