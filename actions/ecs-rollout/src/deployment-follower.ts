import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import { ActionError, errorMessage, PollPacer } from '@berth/kit';
import { familyOf, type EcsGateway } from './ecs-gateway';
import { describeStoppedTask } from './stopped-task';
import type { LogLine, StoppedTask } from './types';

/** One ECS deployment being followed until it completes or fails. */
export interface Watch {
  service: string;
  deploymentId: string;
  /** The service deployment (DescribeServiceDeployments) of this ECS deployment, when ECS named it. */
  serviceDeploymentArn?: string;
  taskDefinitionArn: string;
  purpose: 'rollout' | 'rollback';
  /** Epoch ms after which the deployment has timed out. */
  deadline: number;
  timeoutText: string;
}

export type WatchOutcome =
  | { kind: 'completed'; tasksRunningAt?: number }
  | {
      kind: 'failed';
      reason: string;
      /** The cause in a few words, for the timeline's failed bar. */
      cause: string;
      /** CloudWatch alarms ECS reports as triggered for the deployment (its deployment alarms). */
      triggeredAlarms?: string[];
      tasksRunningAt?: number;
      /** ECS's circuit breaker already started a rollback deployment. */
      ecsRollback?: { deploymentId: string; taskDefinitionArn: string };
      /** Another update replaced the deployment: rolling back would undo someone else's change. */
      replaced?: boolean;
    };

/** What following one watch to its end saw: its outcome, and for the summary the events and stopped tasks. */
export interface FollowedWatch {
  outcome: WatchOutcome;
  /** The service's events that were new while the watch was followed. */
  events: string[];
  /** Tasks of the service that stopped while the watch was followed and were looked up. */
  stoppedTasks: StoppedTask[];
  /** Tasks the watched deployment started ("has started N tasks" events). */
  tasksStarted: number;
  /** Tasks of the watched deployment that stopped with errors. */
  tasksFailed: number;
}

/** What ECS already showed before the rollout: not news while following. */
export interface SeenBefore {
  /** Stopped task ARNs per task definition family. */
  stoppedTaskArns: ReadonlyMap<string, Iterable<string>>;
  /** Service event ids per service. */
  eventIds: ReadonlyMap<string, Iterable<string>>;
}

export interface FollowerOptions {
  gateway: EcsGateway;
  pollIntervalMs: number;
  maxFailedTasks: number;
  log: LogLine;
  seenBefore?: SeenBefore;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface WatchState {
  watch: Watch;
  settle: { resolve(followed: FollowedWatch): void; reject(error: unknown): void };
  events: string[];
  /** Tasks of the service looked up while following this watch, whether the deployment's or not. */
  stoppedTaskReports: StoppedTask[];
  startedTasks: number;
  /** Task ids named by the deployment's "has started N tasks: (task …)" events. */
  startedTaskIds: Set<string>;
  /** Stopped tasks of the deployment that were looked up (DescribeTasks), failed or not. */
  examinedStops: number;
  failed: StoppedTask[];
  lastAlive?: number;
  /** Drops of running + pending since the last look-up: stops the events may not show. */
  dropsSinceLookup: number;
  /** Tasks of the deployment that stopped and were not looked up yet (from counts, events and failedTasks). */
  unexamined: number;
  lastProgress: string;
  /** When the deployment first ran all its desired tasks. */
  tasksRunningAt?: number;
}

const STARTED_EVENT = /has started (\d+) tasks?/;
const TASK_ID = /\(task ([\w-]+)\)/g;
/** Polls in a row that may fail (after the SDK's own retries) and be tried again before the action stops following. */
const TOLERATED_FAILED_POLLS = 2;

/**
 * Follows ECS deployments by id: `follow(watch)` resolves with what happened to that deployment, and every watch
 * followed at the same time shares one batched DescribeServices per poll. The caller decides what comes next (a
 * rollback, say) and follows it with the same follower, whose pacer keeps the rhythm: the first poll comes one
 * interval after the updates (UpdateService's answer is the state at that moment), the next one interval after the
 * last. The counts and the "has started N tasks" events tell how many tasks of a followed deployment stopped; why
 * they stopped is looked up only when it matters: when those stops could decide the rollout (failed so far +
 * unexamined stops > max-failed-tasks), when no stop of the deployment was examined yet (a certain failure such as a
 * missing image decides at the first task), when ECS failed the deployment and its causes are unknown, or when the
 * watch ends with stops still unexamined (for the report). When ECS fails or rolls back a deployment, one
 * DescribeServiceDeployments tells which of its CloudWatch alarms went off. A look-up is one ListTasks (desiredStatus
 * STOPPED) per task definition family and one DescribeTasks for the newly stopped tasks of every service that needs
 * it, so a healthy rollout costs one call per poll per 10 services and a crash loop two more calls per decision.
 */
export class DeploymentFollower {
  private readonly active = new Map<string, WatchState>();
  /** Watches to follow from the next poll on (one joining during a poll would be missing from its answer). */
  private readonly joining: WatchState[] = [];
  private polling = false;
  /** Why following stopped for good: every later watch fails with it too. */
  private failure?: { error: unknown };
  private readonly pacer: PollPacer;
  private readonly now: () => number;
  /** Event ids already printed (or from before the rollout), per service. */
  private readonly seenEventIds = new Map<string, Set<string>>();
  /** Stopped tasks already looked up (or from before the rollout), per task definition family. */
  private readonly seenStoppedTaskArns = new Map<string, Set<string>>();

  constructor(private readonly options: FollowerOptions) {
    this.now = options.now ?? Date.now;
    this.pacer = new PollPacer({
      intervalMs: options.pollIntervalMs,
      firstPoll: 'after-interval',
      service: 'ECS',
      log: options.log,
      toleratedFailures: TOLERATED_FAILED_POLLS,
      giveUp: (error, failedPolls) =>
        new ActionError(
          `Following the deployments failed ${failedPolls} polls in a row: ${errorMessage(error)}. The services keep ` +
            'deploying in ECS; check them in the console, then re-run the step (it picks up the task definition they run).',
        ),
      now: this.now,
      sleep: options.sleep,
    });
    for (const [family, arns] of options.seenBefore?.stoppedTaskArns ?? [])
      this.seenStoppedTaskArns.set(family, new Set(arns));
    for (const [service, ids] of options.seenBefore?.eventIds ?? []) this.seenEventIds.set(service, new Set(ids));
  }

  /** Follows one deployment until it completes or fails; rejects when polling ECS keeps failing. */
  follow(watch: Watch): Promise<FollowedWatch> {
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise((resolve, reject) => {
      this.joining.push({
        watch,
        settle: { resolve, reject },
        events: [],
        stoppedTaskReports: [],
        startedTasks: 0,
        startedTaskIds: new Set(),
        examinedStops: 0,
        failed: [],
        dropsSinceLookup: 0,
        unexamined: 0,
        lastProgress: '',
      });
      if (!this.polling) void this.pollWhileFollowing();
    });
  }

  /** The poll loop: runs while any watch is followed; a watch followed later starts it again. */
  private async pollWhileFollowing(): Promise<void> {
    this.polling = true;
    try {
      while (this.active.size > 0 || this.joining.length > 0) await this.pacer.poll(() => this.tick());
    } catch (error) {
      this.failure = { error };
      for (const state of [...this.active.values(), ...this.joining.splice(0)]) state.settle.reject(error);
      this.active.clear();
    } finally {
      this.polling = false;
    }
  }

  private async tick(): Promise<void> {
    for (const state of this.joining.splice(0)) this.active.set(state.watch.service, state);
    const { services } = await this.options.gateway.describeServices([...this.active.keys()]);
    const decisions: [WatchState, Service | undefined][] = [];
    for (const state of this.active.values()) {
      const service = services.get(state.watch.service);
      if (service) this.observe(state, service);
      decisions.push([state, service]);
    }
    await this.examineStoppedTasks(
      decisions.filter(([state, service]) => service && this.needsLookup(state, service)).map(([state]) => state),
    );
    const finished: [WatchState, Service | undefined, WatchOutcome][] = [];
    for (const [state, service] of decisions) {
      const outcome: WatchOutcome | undefined = service
        ? this.decide(state, service)
        : {
            kind: 'failed',
            reason: 'the service is no longer active in the cluster',
            cause: 'service gone',
            replaced: true,
          };
      if (outcome) finished.push([state, service, { ...outcome, tasksRunningAt: state.tasksRunningAt }]);
    }
    await this.explainEcsFailures(finished);
    for (const [state, , outcome] of finished) {
      this.active.delete(state.watch.service);
      state.settle.resolve({
        outcome,
        events: state.events,
        stoppedTasks: state.stoppedTaskReports,
        tasksStarted: state.startedTasks,
        tasksFailed: state.failed.length,
      });
    }
  }

  /**
   * When ECS itself failed or replaced a followed deployment, its service deployment says why: the deployment
   * alarms that went off, and whether ECS is rolling back (then the newer primary deployment is that rollback, not
   * someone else's update). One DescribeServiceDeployments for every such deployment of the poll.
   */
  private async explainEcsFailures(finished: [WatchState, Service | undefined, WatchOutcome][]): Promise<void> {
    const candidates = finished.filter(
      ([state, service, outcome]) =>
        outcome.kind === 'failed' &&
        service &&
        state.watch.serviceDeploymentArn &&
        (outcome.ecsRollback ||
          outcome.replaced ||
          findDeployment(service, state.watch.deploymentId)?.rolloutState === 'FAILED'),
    );
    if (candidates.length === 0) return;
    let described: ServiceDeployment[];
    try {
      described = await this.options.gateway.describeServiceDeployments(
        candidates.map(([state]) => state.watch.serviceDeploymentArn!),
      );
    } catch (error) {
      // The verdict stands without the alarm names; say why they are missing.
      this.options.log(
        `Could not read the service deployments to name the alarms (${errorMessage(error)}); ` +
          'the role needs ecs:DescribeServiceDeployments',
      );
      return;
    }
    for (const [state, service, outcome] of candidates) {
      const serviceDeployment = described.find((d) => d.serviceDeploymentArn === state.watch.serviceDeploymentArn);
      if (!serviceDeployment || outcome.kind !== 'failed') continue;
      const alarms = serviceDeployment.alarms?.triggeredAlarmNames ?? [];
      const rollingBack = /^ROLLBACK_/.test(serviceDeployment.status ?? '');
      const detail = [
        `service deployment ${serviceDeployment.status ?? 'status unknown'}`,
        serviceDeployment.statusReason,
        serviceDeployment.rollback?.reason && serviceDeployment.rollback.reason !== serviceDeployment.statusReason
          ? `rollback: ${serviceDeployment.rollback.reason}`
          : undefined,
      ]
        .filter(Boolean)
        .join('; ');
      if (alarms.length > 0) {
        outcome.triggeredAlarms = alarms;
        outcome.cause = `alarm ${alarms.join(', ')}`;
        outcome.reason =
          `CloudWatch alarm${alarms.length === 1 ? '' : 's'} ${alarms.join(', ')} went off during deployment ` +
          `${state.watch.deploymentId}, and ECS stopped it (${detail}). Before that: ${outcome.reason}`;
      } else {
        outcome.reason = `${outcome.reason} (${detail})`;
      }
      if (outcome.replaced && rollingBack && service) {
        // Not someone else's update: ECS rolls back, and its rollback deployment is the newer primary.
        const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
        if (primary?.id && primary.taskDefinition) {
          outcome.replaced = false;
          outcome.ecsRollback = { deploymentId: primary.id, taskDefinitionArn: primary.taskDefinition };
        }
      }
    }
  }

  /** Prints new events and count changes, and counts the deployment's stops not looked up yet. */
  private observe(state: WatchState, service: Service): void {
    const { watch } = state;
    const deployment = findDeployment(service, watch.deploymentId);
    const since = deployment?.createdAt?.getTime() ?? 0;
    const known = this.knownEvents(watch.service);
    const events = [...(service.events ?? [])].sort(byCreatedAt);
    for (const event of events) {
      if (!event.id || known.has(event.id)) continue;
      known.add(event.id);
      const message = event.message ?? '';
      state.events.push(message);
      this.options.log(`[${watch.service}] event: ${message}`);
      const started = STARTED_EVENT.exec(message);
      if (started && (event.createdAt?.getTime() ?? 0) >= since) {
        state.startedTasks += Number(started[1]);
        for (const [, id] of message.matchAll(TASK_ID)) state.startedTaskIds.add(id!);
      }
    }
    if (!deployment) return;
    const running = deployment.runningCount ?? 0;
    if (state.tasksRunningAt === undefined && running > 0 && running >= (deployment.desiredCount ?? 0))
      state.tasksRunningAt = this.now();
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
    if (state.lastAlive !== undefined && alive < state.lastAlive) state.dropsSinceLookup += state.lastAlive - alive;
    state.lastAlive = alive;
    const unexamined = Math.max(
      state.startedTasks - alive - state.examinedStops,
      state.dropsSinceLookup,
      failedTasks - state.failed.length,
      0,
    );
    if (unexamined > state.unexamined) {
      const n = unexamined;
      this.options.log(
        `[${watch.service}] ${n} stopped task${n === 1 ? '' : 's'} of ${watch.deploymentId} not examined yet ` +
          `(${state.failed.length} failed so far; reasons are fetched once they can decide the rollout)`,
      );
    }
    state.unexamined = unexamined;
  }

  /** Whether this poll must learn why the deployment's tasks stopped: to decide, or to report before finishing. */
  private needsLookup(state: WatchState, service: Service): boolean {
    // The first stop of a deployment is examined at once: a certain failure decides there, whatever max-failed-tasks.
    if (state.unexamined > 0 && state.examinedStops === 0) return true;
    if (state.unexamined > 0 && state.failed.length + state.unexamined > this.options.maxFailedTasks) return true;
    const deployment = findDeployment(service, state.watch.deploymentId);
    if (deployment?.rolloutState === 'FAILED' && state.failed.length === 0 && (deployment.failedTasks ?? 0) > 0)
      return true;
    return state.unexamined > 0 && this.decide(state, service) !== undefined;
  }

  /**
   * One ListTasks (desiredStatus STOPPED) per task definition family of the given watches, then one DescribeTasks
   * (up to 100 tasks a call) for the tasks that stopped since the last look-up, across all services.
   */
  private async examineStoppedTasks(flagged: readonly WatchState[]): Promise<void> {
    if (flagged.length === 0) return;
    const families = new Set(flagged.map((s) => familyOf(s.watch.taskDefinitionArn)));
    const listed = await Promise.all(
      [...families].map(async (family) => [family, await this.options.gateway.listStoppedTasks(family)] as const),
    );
    const fresh = new Set<string>();
    for (const [family, arns] of listed) {
      const known = this.knownStopped(family);
      for (const arn of arns) if (!known.has(arn) && flagged.some((s) => mayBelongTo(arn, s))) fresh.add(arn);
    }
    for (const state of flagged) state.dropsSinceLookup = 0;
    if (fresh.size === 0) return;
    for (const task of await this.options.gateway.describeTasks([...fresh])) {
      if (task.lastStatus !== 'STOPPED' || !task.taskArn) continue; // still stopping: exit codes not known yet
      this.knownStopped(familyOf(task.taskDefinitionArn ?? '')).add(task.taskArn);
      const state = flagged.find((s) => belongsTo(task.startedBy, task.taskDefinitionArn, s.watch));
      // A task of the service but not of the watched deployment (an old one being replaced) is reported, not counted.
      const reportedBy = state ?? flagged.find((s) => task.group === `service:${s.watch.service}`);
      if (!reportedBy) continue;
      const { service } = reportedBy.watch;
      const stopped = describeStoppedTask(task);
      reportedBy.stoppedTaskReports.push(stopped);
      if (!state) continue;
      state.examinedStops += 1;
      state.unexamined = Math.max(0, state.unexamined - 1);
      if (stopped.failed) {
        state.failed.push(stopped);
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
        cause: 'replaced',
        reason:
          `deployment ${watch.deploymentId} is no longer listed by ECS; the service's primary deployment is ` +
          `${primary?.id ?? 'unknown'} running ${primary?.taskDefinition ?? 'unknown'}. Another update replaced it`,
      };
    }
    const certain = state.failed.find((t) => t.certainFailure);
    if (certain) {
      return {
        kind: 'failed',
        cause: certain.certainFailure!,
        reason:
          `task ${certain.taskId} of ${watch.taskDefinitionArn} could not start and no task of this definition will: ` +
          `${certain.certainFailure} (${certain.cause}). Decided at the first such task; max-failed-tasks ` +
          `(${this.options.maxFailedTasks}) applies to crashes`,
        ecsRollback: ecsRollbackOf(service, deployment),
      };
    }
    const causes = state.failed.length > 0 ? `: ${state.failed.map((t) => t.cause).join('; ')}` : '';
    const failedCount = Math.max(deployment.failedTasks ?? 0, state.failed.length);
    if (failedCount > this.options.maxFailedTasks) {
      return {
        kind: 'failed',
        cause: `${failedCount} tasks failed${shortCause(state.failed[0])}`,
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
      if (breakerRollsBack && !ecsRollback && !this.pacer.isPast(watch.deadline)) return undefined;
      return {
        kind: 'failed',
        cause: 'ECS failed it',
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
    if (this.pacer.isPast(watch.deadline)) {
      return {
        kind: 'failed',
        cause: 'timed out',
        reason: `deployment ${watch.deploymentId} did not complete within ${watch.timeoutText} (${state.lastProgress})${causes}`,
      };
    }
    return undefined;
  }

  private knownEvents(service: string): Set<string> {
    let set = this.seenEventIds.get(service);
    if (!set) this.seenEventIds.set(service, (set = new Set()));
    return set;
  }

  private knownStopped(family: string): Set<string> {
    let set = this.seenStoppedTaskArns.get(family);
    if (!set) this.seenStoppedTaskArns.set(family, (set = new Set()));
    return set;
  }
}

/** " - exit code 3" or " - OutOfMemoryError" for the timeline's failed bar. */
function shortCause(task: StoppedTask | undefined): string {
  if (!task) return '';
  if (task.exitCode !== undefined) return ` - exit code ${task.exitCode}`;
  const reason = task.stoppedReason.split(':')[0]?.trim();
  return reason ? ` - ${reason}` : '';
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

/**
 * A listed stopped task may be the deployment's unless the deployment's start events named every task it started
 * and this one is not among them (another service or a standalone task of the same family): not described then.
 */
function mayBelongTo(arn: string, state: WatchState): boolean {
  if (state.startedTaskIds.size === 0 || state.startedTaskIds.size < state.startedTasks) return true;
  return state.startedTaskIds.has(arn.split('/').pop() ?? '');
}

function belongsTo(startedBy: string | undefined, taskDefinitionArn: string | undefined, watch: Watch): boolean {
  if (startedBy) return startedBy === watch.deploymentId;
  return taskDefinitionArn === watch.taskDefinitionArn;
}

function byCreatedAt(a: ServiceEvent, b: ServiceEvent): number {
  return (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0);
}
