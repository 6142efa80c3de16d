import { errorMessage } from '@berth/kit';
import { DeploymentFollower, type FollowedWatch, type Watch, type WatchOutcome } from './deployment-follower';
import { familyOf, type EcsGateway } from './ecs-gateway';
import type { ServicePlan } from './rollout-plan';
import type { LogLine, RolloutTimes, ServiceResult } from './types';

export interface EcsRolloutOptions {
  gateway: EcsGateway;
  wait: boolean;
  timeoutMs: number;
  timeoutText: string;
  pollIntervalMs: number;
  rollback: 'auto' | 'off';
  maxFailedTasks: number;
  desiredCount?: number;
  forceNewDeployment: boolean;
  /** When the task definitions were registered (or equal ones chosen), for the timeline. */
  registeredAt: number;
  log: LogLine;
  now?: () => number;
}

/** A service's UpdateService to its new task definition: the deployment ECS started, or why it refused. */
type Update = { plan: ServicePlan; arn: string; startedAt: number } & (
  { deploymentId: string; serviceDeploymentArn?: string; updatedAt: number } | { refusal: string; refusedAt: number }
);

/** The rollback that follows a failed deployment: a deployment to follow, or why there is none. */
type RollbackStart = { watch: Watch; startedAt: number } | { none: string };

/**
 * Updates ECS-controlled services in parallel, follows every deployment by id, and rolls failed ones back to the
 * task definition they ran before (unless ECS's circuit breaker already does, in which case that rollback is followed).
 */
export async function rollOutEcsServices(
  plans: readonly ServicePlan[],
  arns: ReadonlyMap<string, string>,
  options: EcsRolloutOptions,
): Promise<ServiceResult[]> {
  const now = options.now ?? Date.now;
  const stoppedTaskArns = options.wait ? await stoppedTasksBefore(plans, arns, options.gateway) : new Map();
  const updates = await Promise.all(plans.map((plan) => updateService(plan, arns.get(plan.service)!, options, now)));
  if (!options.wait) return updates.map((update) => notFollowed(update, options, now));
  const follower = new DeploymentFollower({
    gateway: options.gateway,
    pollIntervalMs: options.pollIntervalMs,
    maxFailedTasks: options.maxFailedTasks,
    log: options.log,
    seenBefore: {
      stoppedTaskArns,
      eventIds: new Map(plans.map((plan) => [plan.service, (plan.current.events ?? []).map((e) => e.id ?? '')])),
    },
    now,
  });
  return Promise.all(
    updates.map((update) =>
      'refusal' in update ? notFollowed(update, options, now) : followService(update, follower, options, now),
    ),
  );
}

/**
 * Stopped tasks from before the rollout are not news: one ListTasks per task definition family (of the new
 * definitions and of the rollback targets), not per service.
 */
async function stoppedTasksBefore(
  plans: readonly ServicePlan[],
  arns: ReadonlyMap<string, string>,
  gateway: EcsGateway,
): Promise<Map<string, string[]>> {
  const families = new Set(
    plans.flatMap((plan) => [familyOf(arns.get(plan.service)!), familyOf(plan.oldTaskDefinitionArn)]),
  );
  return new Map(
    await Promise.all([...families].map(async (family) => [family, await gateway.listStoppedTasks(family)] as const)),
  );
}

async function updateService(
  plan: ServicePlan,
  arn: string,
  options: EcsRolloutOptions,
  now: () => number,
): Promise<Update> {
  const startedAt = now();
  try {
    const service = await options.gateway.updateService({
      service: plan.service,
      taskDefinition: arn,
      desiredCount: options.desiredCount,
      forceNewDeployment: options.forceNewDeployment,
    });
    const deploymentId = service.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    if (!deploymentId) throw new Error('UpdateService returned no PRIMARY deployment');
    options.log(`[${plan.service}] updated to ${arn} (${plan.reason}); deployment ${deploymentId}`);
    return {
      plan,
      arn,
      startedAt,
      deploymentId,
      serviceDeploymentArn: service.currentServiceDeployment,
      updatedAt: now(),
    };
  } catch (error) {
    const refusal = `UpdateService to ${arn} failed: ${errorMessage(error)}. The service still runs ${plan.oldTaskDefinitionArn}`;
    options.log(`[${plan.service}] ${refusal}`);
    return { plan, arn, startedAt, refusal, refusedAt: now() };
  }
}

/** The result of an update that is not followed: refused, or accepted with `wait` off. */
function notFollowed(update: Update, options: EcsRolloutOptions, now: () => number): ServiceResult {
  if ('refusal' in update) {
    return serviceResult(update, now, {
      status: 'failed',
      cause: 'UpdateService refused',
      failure: update.refusal,
      times: { registered: options.registeredAt, decided: update.refusedAt },
    });
  }
  return serviceResult(update, now, {
    status: 'succeeded',
    deploymentId: update.deploymentId,
    times: { registered: options.registeredAt, started: update.updatedAt },
  });
}

/** Follows a service's deployment; when it fails, decides on the rollback and follows that with the same follower. */
async function followService(
  update: Extract<Update, { deploymentId: string }>,
  follower: DeploymentFollower,
  options: EcsRolloutOptions,
  now: () => number,
): Promise<ServiceResult> {
  const { plan, arn, deploymentId } = update;
  const tag = `[${plan.service}]`;
  const rollout = await follower.follow({
    service: plan.service,
    deploymentId,
    serviceDeploymentArn: update.serviceDeploymentArn,
    taskDefinitionArn: arn,
    purpose: 'rollout',
    deadline: update.updatedAt + options.timeoutMs,
    timeoutText: options.timeoutText,
  });
  const { outcome } = rollout;
  const times: RolloutTimes = {
    registered: options.registeredAt,
    started: update.updatedAt,
    decided: now(),
    tasksRunning: outcome.tasksRunningAt,
  };
  if (outcome.kind === 'completed') {
    options.log(`${tag} deployment ${deploymentId} completed: the service runs ${arn}`);
    return serviceResult(update, now, { status: 'succeeded', deploymentId, times, seen: [rollout] });
  }
  const failure = `deployment ${deploymentId} failed: ${outcome.reason}`;
  options.log(`${tag} ${failure}`);
  const failed = {
    deploymentId,
    failure,
    cause: outcome.cause,
    triggeredAlarms: outcome.triggeredAlarms ?? [],
  };
  const rollbackStart = await startRollback(update, outcome, options, now);
  if ('none' in rollbackStart) {
    return serviceResult(update, now, {
      ...failed,
      status: 'failed',
      rollback: rollbackStart.none,
      times,
      seen: [rollout],
    });
  }
  const { watch } = rollbackStart;
  const rollback = await follower.follow(watch);
  const rolledBack = rollback.outcome.kind === 'completed';
  const rollbackText =
    rollback.outcome.kind === 'completed'
      ? `rolled back to ${watch.taskDefinitionArn}: deployment ${watch.deploymentId} completed`
      : `the rollback to ${watch.taskDefinitionArn} failed too: ${rollback.outcome.reason}`;
  const rollbackEnded = now();
  options.log(`${tag} ${rollbackText}`);
  return serviceResult(update, now, {
    ...failed,
    status: rolledBack ? 'rolled-back' : 'failed',
    rollback: rollbackText,
    rollbackDeploymentId: watch.deploymentId,
    times: { ...times, rollbackStarted: rollbackStart.startedAt, rollbackEnded },
    seen: [rollout, rollback],
  });
}

/**
 * After a failed deployment: follows ECS's own rollback when its circuit breaker (or its deployment alarms) started
 * one; otherwise rolls back to the task definition the service ran before, unless another update replaced the
 * deployment or the `rollback` input is off.
 */
async function startRollback(
  { plan, arn }: Update,
  outcome: Extract<WatchOutcome, { kind: 'failed' }>,
  options: EcsRolloutOptions,
  now: () => number,
): Promise<RollbackStart> {
  const tag = `[${plan.service}]`;
  const rollbackWatch = (deploymentId: string, taskDefinitionArn: string, serviceDeploymentArn?: string): Watch => ({
    service: plan.service,
    deploymentId,
    serviceDeploymentArn,
    taskDefinitionArn,
    purpose: 'rollback',
    deadline: now() + options.timeoutMs,
    timeoutText: options.timeoutText,
  });
  if (outcome.ecsRollback) {
    const startedAt = now();
    const breaker = (outcome.triggeredAlarms?.length ?? 0) > 0 ? 'ECS (deployment alarms)' : "ECS's circuit breaker";
    options.log(
      `${tag} ${breaker} is rolling back to ${outcome.ecsRollback.taskDefinitionArn}; following deployment ${outcome.ecsRollback.deploymentId}`,
    );
    return {
      watch: rollbackWatch(outcome.ecsRollback.deploymentId, outcome.ecsRollback.taskDefinitionArn),
      startedAt,
    };
  }
  if (outcome.replaced) {
    return { none: 'not attempted: another update replaced the deployment, and rolling back would undo it' };
  }
  if (options.rollback === 'off') {
    return { none: `off (input "rollback" is off); the service stays on ${arn}` };
  }
  try {
    const service = await options.gateway.updateService({
      service: plan.service,
      taskDefinition: plan.oldTaskDefinitionArn,
      forceNewDeployment: false,
    });
    const deploymentId = service.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    if (!deploymentId) throw new Error('UpdateService returned no PRIMARY deployment');
    const startedAt = now();
    options.log(`${tag} rolling back to ${plan.oldTaskDefinitionArn}: deployment ${deploymentId}`);
    return {
      watch: rollbackWatch(deploymentId, plan.oldTaskDefinitionArn, service.currentServiceDeployment),
      startedAt,
    };
  } catch (error) {
    const none = `the rollback to ${plan.oldTaskDefinitionArn} could not start: UpdateService failed (${errorMessage(error)})`;
    options.log(`${tag} ${none}`);
    return { none };
  }
}

/** A ServiceResult of an update, with what following it saw (events, stopped tasks, task counts) when it was followed. */
function serviceResult(
  update: Update,
  now: () => number,
  fields: Pick<ServiceResult, 'status' | 'times'> &
    Partial<
      Pick<
        ServiceResult,
        'deploymentId' | 'rollbackDeploymentId' | 'failure' | 'rollback' | 'cause' | 'triggeredAlarms'
      >
    > & {
      seen?: readonly FollowedWatch[];
    },
): ServiceResult {
  const { seen = [], ...result } = fields;
  return {
    service: update.plan.service,
    oldTaskDefinitionArn: update.plan.oldTaskDefinitionArn,
    newTaskDefinitionArn: update.arn,
    controller: 'ECS',
    durationSeconds: Math.round((now() - update.startedAt) / 1000),
    triggeredAlarms: [],
    ...result,
    tasksStarted: seen.reduce((sum, followed) => sum + followed.tasksStarted, 0),
    tasksFailed: seen.reduce((sum, followed) => sum + followed.tasksFailed, 0),
    stoppedTasks: seen.flatMap((followed) => followed.stoppedTasks),
    events: seen.flatMap((followed) => followed.events),
  };
}
