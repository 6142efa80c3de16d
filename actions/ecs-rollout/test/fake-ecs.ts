import { randomBytes } from 'node:crypto';
import {
  AwsFault,
  createAwsJsonFake,
  serveAwsJsonFake,
  type AwsJsonCall,
  type AwsJsonFake,
  type HttpEndpoint,
} from '@berth/kit/testing/aws-json-server';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

export interface FakeContainerStop {
  container?: string;
  exitCode?: number;
  containerReason?: string;
  stoppedReason: string;
  stopCode?: string;
}

interface FakeDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState?: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason?: string;
  createdAt: number;
  updatedAt: number;
  /** Scheduled steps, run lazily when a request arrives after their time or call count. */
  steps: { dueAt?: number; dueAfterDescribes?: number; run: () => void }[];
  describesSinceCreated: number;
  /** Set when a newer deployment supersedes this one: ECS stops working on it, so its script stops. */
  superseded: boolean;
  /** The service deployment this deployment belongs to (a rollback belongs to the one it rolls back). */
  serviceDeployment: FakeServiceDeployment;
}

/** What DescribeServiceDeployments reports: the update's state, its rollback and the alarms that went off. */
interface FakeServiceDeployment {
  arn: string;
  status:
    | 'PENDING'
    | 'IN_PROGRESS'
    | 'SUCCESSFUL'
    | 'STOPPED'
    | 'ROLLBACK_IN_PROGRESS'
    | 'ROLLBACK_SUCCESSFUL'
    | 'ROLLBACK_FAILED';
  statusReason?: string;
  /** The deployment alarms configured when the update started, and those that went off. */
  alarmNames: string[];
  triggeredAlarms: string[];
  rollbackReason?: string;
  createdAt: number;
  updatedAt: number;
}

interface FakeTask {
  taskArn: string;
  taskDefinitionArn: string;
  startedBy: string;
  group: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  stoppedReason?: string;
  stopCode?: string;
  containers: { name: string; exitCode?: number; reason?: string; lastStatus: string }[];
  createdAt: number;
}

interface FakeService {
  name: string;
  arn: string;
  desiredCount: number;
  controller: 'ECS' | 'CODE_DEPLOY';
  circuitBreaker?: { enable: boolean; rollback: boolean };
  /** The deployment alarms block: ECS fails (and with rollback, rolls back) a deployment when one goes off. */
  alarms?: { names: string[]; enable: boolean; rollback: boolean };
  /** Old ECS deployments report no rolloutState; the action then needs "only deployment, all running". */
  reportsRolloutState: boolean;
  loadBalancers: { targetGroupArn: string; containerName: string; containerPort: number }[];
  deployments: FakeDeployment[];
  events: { id: string; createdAt: number; message: string }[];
  scripts: RolloutScript[];
}

/** What a scripted timeline can do to the deployment it was attached to. */
export interface ScriptApi {
  /** Runs `step` once `ms` have passed since the deployment was created. */
  at(ms: number, step: () => void): void;
  /** Runs `step` once the action has made `count` DescribeServices calls since the deployment was created. */
  afterDescribes(count: number, step: () => void): void;
  startTasks(count?: number): void;
  runTasks(count?: number): void;
  stopTask(stop: FakeContainerStop): void;
  complete(): void;
  fail(reason: string): void;
  /** Deployment alarms go off: ECS fails the deployment and, if the alarms block says so, rolls back. */
  triggerAlarms(names: string[]): void;
  desiredCount: number;
  /** Records when a decisive state became visible: the step's scheduled time (for the benchmark). */
  mark(label: string): void;
}

export type RolloutScript = (api: ScriptApi) => void;

/** Starts the desired tasks, runs them and completes: the common happy path, stretched over `ms`. */
export function healthyRollout(ms = 2500): RolloutScript {
  return (api) => {
    api.at(ms * 0.2, () => api.startTasks());
    api.at(ms * 0.6, () => api.runTasks());
    api.at(ms, () => {
      api.complete();
      api.mark('completed');
    });
  };
}

/** Each task starts, then its container exits with `exitCode` after `lifetimeMs`; ECS starts another. */
export function crashLoop(
  options: { exitCode?: number; lifetimeMs?: number; restarts?: number; stop?: FakeContainerStop } = {},
): RolloutScript {
  const lifetime = options.lifetimeMs ?? 800;
  const stop = options.stop ?? {
    container: 'web',
    exitCode: options.exitCode ?? 1,
    stoppedReason: 'Essential container in task exited',
  };
  return (api) => {
    for (let i = 0; i < (options.restarts ?? 20); i++) {
      const startAt = 200 + i * (lifetime + 200);
      api.at(startAt, () => api.startTasks(1));
      api.at(startAt + lifetime, () => {
        api.stopTask(stop);
        api.mark(`task-failed-${i + 1}`);
      });
    }
  };
}

/** Tasks fail to start; after `trips` failures ECS's circuit breaker marks the deployment FAILED (and rolls back if enabled). */
export function circuitBreakerTrips(trips = 2, stop?: FakeContainerStop): RolloutScript {
  return (api) => {
    for (let i = 0; i < trips; i++) {
      const startAt = 200 + i * 700;
      api.at(startAt, () => api.startTasks(1));
      api.at(startAt + 500, () =>
        api.stopTask(stop ?? { container: 'web', exitCode: 1, stoppedReason: 'Essential container in task exited' }),
      );
    }
    api.at(200 + trips * 700, () => {
      api.fail('tasks failed to start.');
      api.mark('failed');
    });
  };
}

/** Tasks start and run; then, during the bake time, deployment alarms go off (`alarms` at `atMs`). */
export function alarmTrips(alarms: string[], atMs = 2000): RolloutScript {
  return (api) => {
    api.at(300, () => api.startTasks());
    api.at(800, () => api.runTasks());
    api.at(atMs, () => {
      api.triggerAlarms(alarms);
      api.mark('alarm');
    });
  };
}

/** Never finishes: tasks stay pending. */
export function stuckRollout(): RolloutScript {
  return (api) => api.at(300, () => api.startTasks());
}

export interface FakeEcs {
  /** The fake's protocol side: give `transport.requestHandler` to an ECSClient. */
  transport: AwsJsonFake;
  /** Calls of one operation, or every call. */
  calls(operation?: string): AwsJsonCall[];
  marks: { service: string; label: string; at: number }[];
  addTaskDefinition(definition: Record<string, unknown>): string;
  addService(options: {
    name: string;
    taskDefinition: string;
    desiredCount?: number;
    controller?: 'ECS' | 'CODE_DEPLOY';
    circuitBreaker?: { enable: boolean; rollback: boolean };
    alarms?: { names: string[]; enable: boolean; rollback: boolean };
    reportsRolloutState?: boolean;
    loadBalancers?: FakeService['loadBalancers'];
  }): void;
  /** Timelines for the service's next deployments, in order; deployments without one roll out healthily. */
  script(service: string, ...scripts: RolloutScript[]): void;
  /** The next `count` calls of `operation` answer ThrottlingException. */
  throttle(operation: string, count: number): void;
  /** The next UpdateService calls of `service` answer this error. */
  failUpdates(service: string, code: string, message: string): void;
  service(name: string): { taskDefinition: string; deployments: FakeDeployment[] };
  registeredRevisions(): string[];
}

/** The same fake served over HTTP, for the bundled action (AWS_ENDPOINT_URL_ECS) and the benchmark. */
export type ServedFakeEcs = FakeEcs & HttpEndpoint;

/**
 * An ECS (JSON 1.1, target AmazonEC2ContainerServiceV20141113) with services, deployments, tasks and events, whose
 * deployments follow scripted timelines. State advances lazily when a request arrives, by the clock (Date.now),
 * so a test on fake timers plays minutes of a rollout in milliseconds.
 */
export function createFakeEcs(): FakeEcs {
  const taskDefinitions = new Map<string, Record<string, unknown>>();
  const revisions = new Map<string, number>();
  const services = new Map<string, FakeService>();
  const serviceDeployments = new Map<string, FakeServiceDeployment>();
  const tasks = new Map<string, FakeTask>();
  const throttles = new Map<string, number>();
  const updateFaults = new Map<string, { code: string; message: string }>();
  const marks: FakeEcs['marks'] = [];
  const registered: string[] = [];
  let eventCounter = 0;
  /** The scheduled time of the step being run: when its state became visible to any request. */
  let stepDueAt: number | undefined;

  const now = (): number => Date.now();
  const hex = (n: number): string => randomBytes(n).toString('hex');
  const event = (service: FakeService, message: string, at = now()): void => {
    service.events.unshift({
      id: `evt-${++eventCounter}-${hex(4)}`,
      createdAt: at,
      message: `(service ${service.name}) ${message}`,
    });
  };

  const register = (input: Record<string, unknown>): string => {
    const family = String(input.family);
    const revision = (revisions.get(family) ?? 0) + 1;
    revisions.set(family, revision);
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
    // ECS fills in defaults and read-only fields; the action must see through them.
    const containers = (input.containerDefinitions as Record<string, unknown>[]).map((c) => ({
      cpu: 0,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      systemControls: [],
      essential: true,
      ...c,
      portMappings: ((c.portMappings as Record<string, unknown>[] | undefined) ?? []).map((m) => ({
        hostPort: m.containerPort,
        protocol: 'tcp',
        ...m,
      })),
    }));
    taskDefinitions.set(arn, {
      ...input,
      containerDefinitions: containers,
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      volumes: input.volumes ?? [],
      placementConstraints: [],
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      registeredAt: now() / 1000,
      registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/session`,
    });
    return arn;
  };

  const newTask = (service: FakeService, deployment: FakeDeployment, status: FakeTask['lastStatus']): FakeTask => {
    const definition = taskDefinitions.get(deployment.taskDefinition);
    const names = ((definition?.containerDefinitions as { name: string }[] | undefined) ?? [{ name: 'web' }]).map(
      (c) => c.name,
    );
    const task: FakeTask = {
      taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${service.name}-cluster/${hex(16)}`,
      taskDefinitionArn: deployment.taskDefinition,
      startedBy: deployment.id,
      group: `service:${service.name}`,
      lastStatus: status,
      desiredStatus: 'RUNNING',
      containers: names.map((name) => ({ name, lastStatus: status })),
      createdAt: now(),
    };
    tasks.set(task.taskArn, task);
    return task;
  };

  const liveTasks = (deployment: FakeDeployment, status?: FakeTask['lastStatus']): FakeTask[] =>
    [...tasks.values()].filter(
      (t) =>
        t.startedBy === deployment.id &&
        t.lastStatus !== 'STOPPED' &&
        (status === undefined || t.lastStatus === status),
    );

  const stop = (task: FakeTask, reason: FakeContainerStop): void => {
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = reason.stoppedReason;
    task.stopCode =
      reason.stopCode ?? (reason.exitCode !== undefined ? 'EssentialContainerExited' : 'ServiceSchedulerInitiated');
    for (const c of task.containers) {
      c.lastStatus = 'STOPPED';
      if (reason.container === undefined || c.name === reason.container) {
        c.exitCode = reason.exitCode;
        if (reason.containerReason) c.reason = reason.containerReason;
      }
    }
  };

  const recount = (deployment: FakeDeployment): void => {
    deployment.pendingCount = liveTasks(deployment, 'PENDING').length;
    deployment.runningCount = liveTasks(deployment, 'RUNNING').length;
    deployment.updatedAt = now();
  };

  const newServiceDeployment = (service: FakeService, created: number): FakeServiceDeployment => {
    const serviceDeployment: FakeServiceDeployment = {
      arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/berth/${service.name}/${hex(10)}`,
      status: 'IN_PROGRESS',
      alarmNames: service.alarms?.enable ? service.alarms.names : [],
      triggeredAlarms: [],
      createdAt: created,
      updatedAt: created,
    };
    serviceDeployments.set(serviceDeployment.arn, serviceDeployment);
    return serviceDeployment;
  };

  const startDeployment = (
    service: FakeService,
    taskDefinition: string,
    script: RolloutScript | undefined,
    rollbackOf?: FakeServiceDeployment,
  ): FakeDeployment => {
    const created = now();
    const deployment: FakeDeployment = {
      id: `ecs-svc/${String(created)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      status: 'PRIMARY',
      taskDefinition,
      desiredCount: service.desiredCount,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: service.reportsRolloutState ? 'IN_PROGRESS' : undefined,
      createdAt: created,
      updatedAt: created,
      steps: [],
      describesSinceCreated: 0,
      superseded: false,
      serviceDeployment: rollbackOf ?? newServiceDeployment(service, created),
    };
    for (const d of service.deployments) {
      d.status = 'ACTIVE';
      d.superseded = true;
    }
    service.deployments.unshift(deployment);
    const api: ScriptApi = {
      at: (ms, run) => deployment.steps.push({ dueAt: created + ms, run }),
      afterDescribes: (count, run) => deployment.steps.push({ dueAfterDescribes: count, run }),
      desiredCount: service.desiredCount,
      startTasks: (count = service.desiredCount) => {
        const started = Array.from({ length: count }, () => newTask(service, deployment, 'PENDING'));
        recount(deployment);
        event(
          service,
          `has started ${count} tasks: ${started.map((t) => `(task ${t.taskArn.split('/').pop()})`).join(' ')}.`,
        );
      },
      runTasks: (count = service.desiredCount) => {
        for (const task of liveTasks(deployment, 'PENDING').slice(0, count)) {
          task.lastStatus = 'RUNNING';
          for (const c of task.containers) c.lastStatus = 'RUNNING';
        }
        recount(deployment);
      },
      stopTask: (reason) => {
        const task = liveTasks(deployment)[0];
        if (!task) throw new Error(`script stops a task of ${deployment.id}, but none is running`);
        stop(task, reason);
        if (service.circuitBreaker?.enable) deployment.failedTasks += 1;
        recount(deployment);
      },
      complete: () => {
        for (const old of service.deployments.filter((d) => d !== deployment)) {
          const draining = liveTasks(old);
          for (const task of draining)
            stop(task, { stoppedReason: `Scaling activity initiated by (deployment ${deployment.id})` });
          if (draining.length > 0)
            event(
              service,
              `has stopped ${draining.length} running tasks: ${draining.map((t) => `(task ${t.taskArn.split('/').pop()})`).join(' ')}.`,
            );
        }
        service.deployments = [deployment];
        for (const task of liveTasks(deployment, 'PENDING')) task.lastStatus = 'RUNNING';
        recount(deployment);
        if (service.reportsRolloutState) deployment.rolloutState = 'COMPLETED';
        const sd = deployment.serviceDeployment;
        sd.status = rollbackOf ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
        sd.updatedAt = now();
        event(service, `(deployment ${deployment.id}) deployment completed.`);
        event(service, 'has reached a steady state.');
      },
      fail: (reason) => {
        deployment.rolloutState = 'FAILED';
        deployment.rolloutStateReason = reason;
        event(service, `(deployment ${deployment.id}) deployment failed: ${reason}`);
        if (service.circuitBreaker?.rollback)
          rollBack(
            'Deployment circuit breaker: rolling back',
            'circuit breaker',
            'Service deployment rolled back: tasks failed.',
          );
        else Object.assign(deployment.serviceDeployment, { status: 'STOPPED', statusReason: reason, updatedAt: now() });
      },
      triggerAlarms: (names) => {
        if (!service.alarms?.enable)
          throw new Error(`script triggers alarms of ${service.name}, which has none enabled`);
        const sd = deployment.serviceDeployment;
        sd.triggeredAlarms = names;
        const reason = `ECS deployment ${deployment.id} failed: alarm(s) detected.`;
        deployment.rolloutState = 'FAILED';
        deployment.rolloutStateReason = reason;
        event(service, `(deployment ${deployment.id}) deployment failed: alarm(s) detected.`);
        if (service.alarms.rollback) {
          rollBack(
            'Deployment alarms: rolling back',
            `CloudWatch alarm(s) in ALARM: ${names.join(', ')}`,
            'Service deployment rolled back because alarm(s) were triggered.',
          );
        } else {
          Object.assign(sd, { status: 'STOPPED', statusReason: reason, updatedAt: now() });
        }
      },
      mark: (label) => marks.push({ service: service.name, label, at: stepDueAt ?? now() }),
    };
    /** ECS rolls back to the previous deployment's task definition, within the same service deployment. */
    function rollBack(stoppedReason: string, why: string, statusReason: string): void {
      const previous = service.deployments.find((d) => d !== deployment);
      const target = previous?.taskDefinition ?? deployment.taskDefinition;
      for (const task of liveTasks(deployment)) stop(task, { stoppedReason });
      recount(deployment);
      Object.assign(deployment.serviceDeployment, {
        status: 'ROLLBACK_IN_PROGRESS',
        statusReason,
        rollbackReason: why,
        updatedAt: now(),
      });
      event(service, `(deployment ${deployment.id}) rolling back to ${target}.`);
      startDeployment(service, target, service.scripts.shift() ?? healthyRollout(1500), deployment.serviceDeployment);
      deployment.status = 'ACTIVE';
    }
    (script ?? healthyRollout())(api);
    return deployment;
  };

  /** Runs every step that is due: lazily, so the state a request sees is exactly what its timeline says. */
  const advance = (countDescribeOf?: Set<string>): void => {
    const t = now();
    for (const service of services.values()) {
      for (const deployment of [...service.deployments]) {
        if (countDescribeOf?.has(service.name)) deployment.describesSinceCreated += 1;
        const due = deployment.steps
          .filter(
            (s) =>
              (s.dueAt !== undefined && s.dueAt <= t) ||
              (s.dueAfterDescribes !== undefined && s.dueAfterDescribes <= deployment.describesSinceCreated),
          )
          .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
        deployment.steps = deployment.steps.filter((s) => !due.includes(s));
        for (const step of due) {
          if (deployment.superseded) continue;
          stepDueAt = step.dueAt;
          step.run();
          stepDueAt = undefined;
        }
      }
    }
  };

  const serviceJson = (s: FakeService): Record<string, unknown> => {
    const primary = s.deployments.find((d) => d.status === 'PRIMARY')!;
    return {
      serviceArn: s.arn,
      serviceName: s.name,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/berth`,
      status: 'ACTIVE',
      desiredCount: s.desiredCount,
      runningCount: s.deployments.reduce((n, d) => n + d.runningCount, 0),
      pendingCount: s.deployments.reduce((n, d) => n + d.pendingCount, 0),
      taskDefinition: primary.taskDefinition,
      currentServiceDeployment: primary.serviceDeployment.arn,
      deploymentController: { type: s.controller },
      loadBalancers: s.loadBalancers,
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        ...(s.circuitBreaker ? { deploymentCircuitBreaker: s.circuitBreaker } : {}),
        ...(s.alarms
          ? { alarms: { alarmNames: s.alarms.names, enable: s.alarms.enable, rollback: s.alarms.rollback } }
          : {}),
      },
      deployments: s.deployments.map((d) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.desiredCount,
        runningCount: d.runningCount,
        pendingCount: d.pendingCount,
        failedTasks: d.failedTasks,
        createdAt: d.createdAt / 1000,
        updatedAt: d.updatedAt / 1000,
        launchType: 'FARGATE',
        ...(d.rolloutState
          ? {
              rolloutState: d.rolloutState,
              rolloutStateReason: d.rolloutStateReason ?? `ECS deployment ${d.id} ${d.rolloutState.toLowerCase()}.`,
            }
          : {}),
      })),
      events: s.events.slice(0, 100).map((e) => ({ id: e.id, createdAt: e.createdAt / 1000, message: e.message })),
    };
  };

  const taskJson = (t: FakeTask): Record<string, unknown> => ({
    taskArn: t.taskArn,
    taskDefinitionArn: t.taskDefinitionArn,
    startedBy: t.startedBy,
    group: t.group,
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    stoppedReason: t.stoppedReason,
    stopCode: t.stopCode,
    createdAt: t.createdAt / 1000,
    containers: t.containers.map((c) => ({
      name: c.name,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
    })),
  });

  const throttled = (operation: string): void => {
    const left = throttles.get(operation) ?? 0;
    if (left > 0) {
      throttles.set(operation, left - 1);
      throw new AwsFault('ThrottlingException', 'Rate exceeded');
    }
  };

  const findService = (name: unknown): FakeService => {
    const service = services.get(String(name).split('/').pop() ?? '');
    if (!service) throw new AwsFault('ServiceNotFoundException', `Service not found: ${String(name)}`);
    return service;
  };

  const transport = createAwsJsonFake({
    DescribeServices: (input) => {
      throttled('DescribeServices');
      const names = (input.services as string[]).map((n) => n.split('/').pop() ?? n);
      if (names.length > 10) throw new AwsFault('InvalidParameterException', 'services can have at most 10 items');
      advance(new Set(names));
      return {
        services: names.filter((n) => services.has(n)).map((n) => serviceJson(services.get(n)!)),
        failures: names
          .filter((n) => !services.has(n))
          .map((n) => ({ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/berth/${n}`, reason: 'MISSING' })),
      };
    },
    DescribeTaskDefinition: (input) => {
      throttled('DescribeTaskDefinition');
      const definition = taskDefinitions.get(String(input.taskDefinition));
      if (!definition) throw new AwsFault('ClientException', 'Unable to describe task definition.');
      return { taskDefinition: definition };
    },
    RegisterTaskDefinition: (input) => {
      const arn = register(input);
      registered.push(arn);
      return { taskDefinition: taskDefinitions.get(arn) };
    },
    UpdateService: (input) => {
      throttled('UpdateService');
      advance();
      const service = findService(input.service);
      const fault = updateFaults.get(service.name);
      if (fault) throw new AwsFault(fault.code, fault.message);
      if (service.controller === 'CODE_DEPLOY' && input.taskDefinition) {
        throw new AwsFault(
          'InvalidParameterException',
          'Unable to update task definition on services with a CODE_DEPLOY deployment controller.',
        );
      }
      const taskDefinition = String(input.taskDefinition ?? service.deployments[0]!.taskDefinition);
      if (!taskDefinitions.has(taskDefinition)) throw new AwsFault('ClientException', 'TaskDefinition not found.');
      if (typeof input.desiredCount === 'number') service.desiredCount = input.desiredCount;
      startDeployment(service, taskDefinition, service.scripts.shift());
      return { service: serviceJson(service) };
    },
    ListTasks: (input) => {
      throttled('ListTasks');
      advance();
      const desired = String(input.desiredStatus ?? 'RUNNING');
      const family = (arn: string): string => (arn.split('/').pop() ?? '').replace(/:\d+$/, '');
      const matching = [...tasks.values()]
        .filter(
          (t) =>
            t.desiredStatus === desired &&
            (input.serviceName === undefined || t.group === `service:${String(input.serviceName)}`) &&
            (input.family === undefined || family(t.taskDefinitionArn) === String(input.family)),
        )
        .map((t) => t.taskArn);
      // Pages of maxResults (ECS's default and maximum: 100); nextToken is the offset of the next page.
      const pageSize = Math.min(Number(input.maxResults ?? 100), 100);
      const offset = Number(input.nextToken ?? 0);
      const next = offset + pageSize;
      return {
        taskArns: matching.slice(offset, next),
        ...(next < matching.length ? { nextToken: String(next) } : {}),
      };
    },
    DescribeServiceDeployments: (input) => {
      throttled('DescribeServiceDeployments');
      advance();
      const wanted = input.serviceDeploymentArns as string[];
      if (wanted.length > 20)
        throw new AwsFault('InvalidParameterException', 'serviceDeploymentArns can have at most 20 items');
      return {
        serviceDeployments: wanted
          .map((arn) => serviceDeployments.get(arn))
          .filter((d): d is FakeServiceDeployment => d !== undefined)
          .map((d) => ({
            serviceDeploymentArn: d.arn,
            clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/berth`,
            status: d.status,
            ...(d.statusReason ? { statusReason: d.statusReason } : {}),
            createdAt: d.createdAt / 1000,
            updatedAt: d.updatedAt / 1000,
            alarms: {
              status: d.triggeredAlarms.length > 0 ? 'TRIGGERED' : 'MONITORING',
              alarmNames: d.alarmNames,
              triggeredAlarmNames: d.triggeredAlarms,
            },
            ...(d.rollbackReason ? { rollback: { reason: d.rollbackReason, startedAt: d.updatedAt / 1000 } } : {}),
          })),
        failures: wanted.filter((arn) => !serviceDeployments.has(arn)).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },
    DescribeTasks: (input) => {
      throttled('DescribeTasks');
      advance();
      const wanted = input.tasks as string[];
      if (wanted.length > 100) throw new AwsFault('InvalidParameterException', 'tasks can have at most 100 items');
      return {
        tasks: wanted
          .map((arn) => tasks.get(arn))
          .filter((t): t is FakeTask => t !== undefined)
          .map(taskJson),
        failures: [],
      };
    },
  });

  return {
    transport,
    calls: (operation) => transport.calls.filter((c) => operation === undefined || c.operation === operation),
    marks,
    addTaskDefinition: (definition) => register(definition),
    addService: (options) => {
      const service: FakeService = {
        name: options.name,
        arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/berth/${options.name}`,
        desiredCount: options.desiredCount ?? 2,
        controller: options.controller ?? 'ECS',
        circuitBreaker: options.circuitBreaker,
        alarms: options.alarms,
        reportsRolloutState: options.reportsRolloutState ?? true,
        loadBalancers: options.loadBalancers ?? [],
        deployments: [],
        events: [],
        scripts: [],
      };
      services.set(options.name, service);
      const created = now() - 3_600_000;
      const deployment: FakeDeployment = {
        id: `ecs-svc/${String(created)}000001`,
        status: 'PRIMARY',
        taskDefinition: options.taskDefinition,
        desiredCount: service.desiredCount,
        runningCount: 0,
        pendingCount: 0,
        failedTasks: 0,
        rolloutState: service.reportsRolloutState ? 'COMPLETED' : undefined,
        createdAt: created,
        updatedAt: created,
        steps: [],
        describesSinceCreated: 0,
        superseded: false,
        serviceDeployment: { ...newServiceDeployment(service, created), status: 'SUCCESSFUL' },
      };
      serviceDeployments.set(deployment.serviceDeployment.arn, deployment.serviceDeployment);
      service.deployments.push(deployment);
      for (let i = 0; i < service.desiredCount; i++) newTask(service, deployment, 'RUNNING');
      // An old crash, stopped before the rollout: the action must not count it.
      const old = newTask(service, deployment, 'PENDING');
      stop(old, { container: 'web', exitCode: 137, stoppedReason: 'Essential container in task exited' });
      recount(deployment);
      event(service, 'has reached a steady state.', created + 60_000);
    },
    script: (name, ...scripts) => findService(name).scripts.push(...scripts),
    throttle: (operation, count) => throttles.set(operation, count),
    failUpdates: (name, code, message) => updateFaults.set(name, { code, message }),
    service: (name) => {
      const s = findService(name);
      return {
        taskDefinition: s.deployments.find((d) => d.status === 'PRIMARY')!.taskDefinition,
        deployments: s.deployments,
      };
    },
    registeredRevisions: () => [...registered],
  };
}

export async function startFakeEcs(): Promise<ServedFakeEcs> {
  const fake = createFakeEcs();
  return Object.assign(fake, await serveAwsJsonFake(fake.transport));
}
