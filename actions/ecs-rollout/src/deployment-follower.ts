import type { Deployment, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { ActionError, errorMessage, isThrottlingError, sleep as realSleep } from '@berth/kit';
import type { EcsGateway } from './ecs-gateway';
import { describeStoppedTask } from './stopped-task';
import type { LogLine, StoppedTask } from './types';

/** One ECS deployment being followed until it completes or fails. */
export interface Watch {
  service: string;
  deploymentId: string;
  taskDefinitionArn: string;
  purpose: 'rollout' | 'rollback';
  /** Epoch ms after which the deployment has timed out. */
  deadline: number;
  timeoutText: string;
}

export type WatchOutcome =
  | { kind: 'completed' }
  | {
      kind: 'failed';
      reason: string;
      /** ECS's circuit breaker already started a rollback deployment. */
      ecsRollback?: { deploymentId: string; taskDefinitionArn: string };
      /** Another update replaced the deployment: rolling back would undo someone else's change. */
      replaced?: boolean;
    };

/** What was seen of one service across all its watches, for the summary. */
export interface ServiceRecord {
  events: string[];
  stoppedTasks: StoppedTask[];
  tasksStarted: number;
  tasksFailed: number;
}

export interface FollowerOptions {
  gateway: EcsGateway;
  pollIntervalMs: number;
  maxFailedTasks: number;
  log: LogLine;
  /** Stopped tasks and event ids that existed before the rollout, per service: not news. */
  knownStoppedTaskArns: Map<string, Set<string>>;
  knownEventIds: Map<string, Set<string>>;
  /** Called once per finished watch; may return the next watch for the same service (a rollback). */
  onFinished(watch: Watch, outcome: WatchOutcome): Promise<Watch | undefined>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface WatchState {
  watch: Watch;
  startedTasks: number;
  stoppedTasks: number;
  failed: StoppedTask[];
  lastAlive?: number;
  lastFailedTasks: number;
  lastProgress: string;
  /** Set when a stop check should run this tick. */
  checkStopped: boolean;
}

const STARTED_EVENT = /has started (\d+) tasks?/;
const MAX_THROTTLED_INTERVAL_MS = 60_000;
/** Polls in a row that may fail (after the SDK's own retries) before the action stops following. */
const MAX_FAILED_POLLS = 3;

/**
 * Follows ECS deployments by id with one batched DescribeServices per poll for all services. Stopped tasks are
 * looked up (ListTasks, then DescribeTasks for new ones only) just when the counts or events show that a task
 * of a followed deployment went away, so a healthy rollout costs one call per poll per 10 services.
 */
export class DeploymentFollower {
  readonly records = new Map<string, ServiceRecord>();
  private readonly active = new Map<string, WatchState>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: FollowerOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  record(service: string): ServiceRecord {
    let record = this.records.get(service);
    if (!record) {
      record = { events: [], stoppedTasks: [], tasksStarted: 0, tasksFailed: 0 };
      this.records.set(service, record);
    }
    return record;
  }

  async follow(watches: readonly Watch[]): Promise<void> {
    for (const watch of watches) this.add(watch);
    let interval = this.options.pollIntervalMs;
    let failedPolls = 0;
    while (this.active.size > 0) {
      const tickStarted = this.now();
      try {
        await this.tick();
        interval = this.options.pollIntervalMs;
        failedPolls = 0;
      } catch (error) {
        if (isThrottlingError(error)) {
          interval = Math.min(Math.max(interval * 2, this.options.pollIntervalMs), MAX_THROTTLED_INTERVAL_MS);
          this.options.log(
            `ECS is throttling the status calls (${errorMessage(error)}); next poll in ${interval / 1000} s`,
          );
        } else if (++failedPolls < MAX_FAILED_POLLS) {
          this.options.log(`Polling ECS failed (${errorMessage(error)}); trying again at the next poll`);
        } else {
          throw new ActionError(
            `Following the deployments failed ${failedPolls} polls in a row: ${errorMessage(error)}. The services keep ` +
              'deploying in ECS; check them in the console, then re-run the step (it picks up the task definition they run).',
          );
        }
      }
      if (this.active.size > 0) await this.sleep(Math.max(0, tickStarted + interval - this.now()));
    }
  }

  private add(watch: Watch): void {
    this.record(watch.service);
    this.active.set(watch.service, {
      watch,
      startedTasks: 0,
      stoppedTasks: 0,
      failed: [],
      lastFailedTasks: 0,
      lastProgress: '',
      checkStopped: false,
    });
  }

  private async tick(): Promise<void> {
    const { services } = await this.options.gateway.describeServices([...this.active.keys()]);
    const decisions: [WatchState, Service | undefined][] = [];
    for (const state of this.active.values()) {
      const service = services.get(state.watch.service);
      if (service) this.observe(state, service);
      decisions.push([state, service]);
    }
    await this.checkStoppedTasks();
    for (const [state, service] of decisions) {
      const outcome = service
        ? this.decide(state, service)
        : ({ kind: 'failed', reason: 'the service is no longer active in the cluster', replaced: true } as const);
      if (!outcome) continue;
      this.active.delete(state.watch.service);
      const next = await this.options.onFinished(state.watch, outcome);
      if (next) this.add(next);
    }
  }

  /** Prints new events and count changes, and flags services whose tasks may have stopped. */
  private observe(state: WatchState, service: Service): void {
    const { watch } = state;
    const record = this.record(watch.service);
    const deployment = findDeployment(service, watch.deploymentId);
    const since = deployment?.createdAt?.getTime() ?? 0;
    const known = this.knownEvents(watch.service);
    const events = [...(service.events ?? [])].sort(byCreatedAt);
    for (const event of events) {
      if (!event.id || known.has(event.id)) continue;
      known.add(event.id);
      const message = event.message ?? '';
      record.events.push(message);
      this.options.log(`[${watch.service}] event: ${message}`);
      const started = STARTED_EVENT.exec(message);
      if (started && (event.createdAt?.getTime() ?? 0) >= since) {
        state.startedTasks += Number(started[1]);
        record.tasksStarted += Number(started[1]);
      }
    }
    if (!deployment) return;
    const running = deployment.runningCount ?? 0;
    const pending = deployment.pendingCount ?? 0;
    const failedTasks = deployment.failedTasks ?? 0;
    const progress =
      `running ${running}/${deployment.desiredCount ?? 0}, pending ${pending}` +
      (failedTasks > 0 ? `, failed ${failedTasks}` : '') +
      (deployment.rolloutState ? `, ${deployment.rolloutState}` : '');
    if (progress !== state.lastProgress) {
      this.options.log(`[${watch.service}] ${watch.purpose} ${watch.deploymentId}: ${progress}`);
      state.lastProgress = progress;
    }
    const alive = running + pending;
    const unexplained = state.startedTasks - alive - state.stoppedTasks;
    state.checkStopped =
      failedTasks > state.lastFailedTasks ||
      (state.lastAlive !== undefined && alive < state.lastAlive) ||
      unexplained > 0 ||
      (deployment.rolloutState === 'FAILED' && state.failed.length === 0 && failedTasks > 0);
    state.lastAlive = alive;
    state.lastFailedTasks = failedTasks;
  }

  private async checkStoppedTasks(): Promise<void> {
    const flagged = [...this.active.values()].filter((s) => s.checkStopped);
    if (flagged.length === 0) return;
    const fresh: string[] = [];
    for (const state of flagged) {
      state.checkStopped = false;
      const known = this.knownStopped(state.watch.service);
      for (const arn of await this.options.gateway.listStoppedTasks(state.watch.service)) {
        if (!known.has(arn)) fresh.push(arn);
      }
    }
    if (fresh.length === 0) return;
    for (const task of await this.options.gateway.describeTasks(fresh)) {
      if (task.lastStatus !== 'STOPPED' || !task.taskArn) continue; // still stopping: exit codes not known yet
      const state = flagged.find((s) => belongsTo(task.startedBy, task.taskDefinitionArn, s.watch));
      const service =
        state?.watch.service ?? flagged.find((s) => task.group === `service:${s.watch.service}`)?.watch.service;
      if (!service) continue;
      this.knownStopped(service).add(task.taskArn);
      const stopped = describeStoppedTask(task);
      const record = this.record(service);
      record.stoppedTasks.push(stopped);
      if (!state) continue;
      state.stoppedTasks += 1;
      if (stopped.failed) {
        state.failed.push(stopped);
        record.tasksFailed += 1;
        this.options.log(`[${service}] task failed: ${stopped.cause}`);
      } else {
        this.options.log(`[${service}] task stopped: ${stopped.cause}`);
      }
    }
  }

  private decide(state: WatchState, service: Service): WatchOutcome | undefined {
    const { watch } = state;
    const deployment = findDeployment(service, watch.deploymentId);
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    if (!deployment) {
      return {
        kind: 'failed',
        replaced: true,
        reason:
          `deployment ${watch.deploymentId} is no longer listed by ECS; the service's primary deployment is ` +
          `${primary?.id ?? 'unknown'} running ${primary?.taskDefinition ?? 'unknown'}. Another update replaced it`,
      };
    }
    const causes = state.failed.length > 0 ? `: ${state.failed.map((t) => t.cause).join('; ')}` : '';
    const failedCount = Math.max(deployment.failedTasks ?? 0, state.failed.length);
    if (failedCount > this.options.maxFailedTasks) {
      return {
        kind: 'failed',
        reason:
          `${failedCount} task${failedCount === 1 ? '' : 's'} of ${watch.taskDefinitionArn} stopped with errors ` +
          `(max-failed-tasks is ${this.options.maxFailedTasks})${causes}`,
        ecsRollback: ecsRollbackOf(service, deployment),
      };
    }
    if (deployment.rolloutState === 'FAILED') {
      const ecsRollback = ecsRollbackOf(service, deployment);
      const breakerRollsBack = service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback === true;
      // ECS creates its rollback deployment right after marking ours FAILED; wait a poll for it to show.
      if (breakerRollsBack && !ecsRollback && this.now() < watch.deadline) return undefined;
      return {
        kind: 'failed',
        reason: `ECS marked deployment ${watch.deploymentId} FAILED (${deployment.rolloutStateReason ?? 'no reason given'})${causes}`,
        ecsRollback,
      };
    }
    if (
      primary &&
      primary.id === deployment.id &&
      primary.taskDefinition === watch.taskDefinitionArn &&
      isComplete(service, deployment)
    ) {
      return { kind: 'completed' };
    }
    if (this.now() >= watch.deadline) {
      return {
        kind: 'failed',
        reason: `deployment ${watch.deploymentId} did not complete within ${watch.timeoutText} (${state.lastProgress})${causes}`,
      };
    }
    return undefined;
  }

  private knownEvents(service: string): Set<string> {
    let set = this.options.knownEventIds.get(service);
    if (!set) this.options.knownEventIds.set(service, (set = new Set()));
    return set;
  }

  private knownStopped(service: string): Set<string> {
    let set = this.options.knownStoppedTaskArns.get(service);
    if (!set) this.options.knownStoppedTaskArns.set(service, (set = new Set()));
    return set;
  }
}

function findDeployment(service: Service, id: string): Deployment | undefined {
  return service.deployments?.find((d) => d.id === id);
}

/** COMPLETED, or — where ECS reports no rolloutState — the only deployment with every task running. */
function isComplete(service: Service, deployment: Deployment): boolean {
  if (deployment.rolloutState) return deployment.rolloutState === 'COMPLETED';
  return (
    (service.deployments?.length ?? 0) === 1 &&
    (deployment.runningCount ?? 0) === (deployment.desiredCount ?? 0) &&
    (deployment.pendingCount ?? 0) === 0
  );
}

/** A newer primary deployment after ours failed: the circuit breaker rolling back. */
function ecsRollbackOf(
  service: Service,
  failed: Deployment,
): { deploymentId: string; taskDefinitionArn: string } | undefined {
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary || !primary.id || primary.id === failed.id || !primary.taskDefinition) return undefined;
  if ((primary.createdAt?.getTime() ?? 0) < (failed.createdAt?.getTime() ?? 0)) return undefined;
  return { deploymentId: primary.id, taskDefinitionArn: primary.taskDefinition };
}

function belongsTo(startedBy: string | undefined, taskDefinitionArn: string | undefined, watch: Watch): boolean {
  if (startedBy) return startedBy === watch.deploymentId;
  return taskDefinitionArn === watch.taskDefinitionArn;
}

function byCreatedAt(a: ServiceEvent, b: ServiceEvent): number {
  return (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0);
}
