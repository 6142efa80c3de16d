import { errorMessage } from '@berth/kit';
import { DeploymentFollower, type Watch, type WatchOutcome } from './deployment-follower';
import { familyOf, type EcsGateway } from './ecs-gateway';
import type { ServicePlan } from './rollout-plan';
import type { LogLine, ServiceResult } from './types';

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

/**
 * Updates ECS-controlled services in parallel, follows every deployment by id, and rolls failed ones back to the
 * task definition they ran before (unless ECS's circuit breaker already does, in which case that rollback is followed).
 */
export async function rollOutEcsServices(
  plans: readonly ServicePlan[],
  arns: ReadonlyMap<string, string>,
  options: EcsRolloutOptions,
): Promise<ServiceResult[]> {
  const { gateway, log } = options;
  const now = options.now ?? Date.now;
  const results = new Map<string, ServiceResult>();
  const startedAt = new Map<string, number>();
  const knownStoppedTaskArns = new Map<string, Set<string>>();
  const knownEventIds = new Map<string, Set<string>>();
  for (const plan of plans)
    knownEventIds.set(plan.service, new Set((plan.current.events ?? []).map((e) => e.id ?? '')));
  if (options.wait) {
    // Stopped tasks from before the rollout are not news: one ListTasks per task definition family (of the new
    // definitions and of the rollback targets), not per service.
    const families = new Set(
      plans.flatMap((plan) => [familyOf(arns.get(plan.service)!), familyOf(plan.oldTaskDefinitionArn)]),
    );
    await Promise.all(
      [...families].map(async (family) =>
        knownStoppedTaskArns.set(family, new Set(await gateway.listStoppedTasks(family))),
      ),
    );
  }
  const watches: Watch[] = [];
  await Promise.all(
    plans.map(async (plan) => {
      const arn = arns.get(plan.service)!;
      const result: ServiceResult = {
        service: plan.service,
        status: 'succeeded',
        oldTaskDefinitionArn: plan.oldTaskDefinitionArn,
        newTaskDefinitionArn: arn,
        controller: 'ECS',
        durationSeconds: 0,
        tasksStarted: 0,
        tasksFailed: 0,
        triggeredAlarms: [],
        times: { registered: options.registeredAt },
        stoppedTasks: [],
        events: [],
      };
      results.set(plan.service, result);
      startedAt.set(plan.service, now());
      try {
        const service = await gateway.updateService({
          service: plan.service,
          taskDefinition: arn,
          desiredCount: options.desiredCount,
          forceNewDeployment: options.forceNewDeployment,
        });
        const deploymentId = service.deployments?.find((d) => d.status === 'PRIMARY')?.id;
        if (!deploymentId) throw new Error('UpdateService returned no PRIMARY deployment');
        result.deploymentId = deploymentId;
        result.times.started = now();
        log(`[${plan.service}] updated to ${arn} (${plan.reason}); deployment ${deploymentId}`);
        watches.push({
          service: plan.service,
          deploymentId,
          serviceDeploymentArn: service.currentServiceDeployment,
          taskDefinitionArn: arn,
          purpose: 'rollout',
          deadline: now() + options.timeoutMs,
          timeoutText: options.timeoutText,
        });
      } catch (error) {
        result.status = 'failed';
        result.cause = 'UpdateService refused';
        result.times.decided = now();
        result.failure = `UpdateService to ${arn} failed: ${errorMessage(error)}. The service still runs ${plan.oldTaskDefinitionArn}`;
        log(`[${plan.service}] ${result.failure}`);
      }
    }),
  );
  if (options.wait && watches.length > 0) {
    const follower = new DeploymentFollower({
      gateway,
      pollIntervalMs: options.pollIntervalMs,
      maxFailedTasks: options.maxFailedTasks,
      log,
      knownStoppedTaskArns,
      knownEventIds,
      now,
      onFinished: (watch, outcome) => finish(watch, outcome),
    });
    const finish = async (watch: Watch, outcome: WatchOutcome): Promise<Watch | undefined> => {
      const result = results.get(watch.service)!;
      const next = await nextStep(result, watch, outcome, options, now);
      if (!next) result.durationSeconds = Math.round((now() - startedAt.get(watch.service)!) / 1000);
      return next;
    };
    await follower.follow(watches);
    for (const [service, record] of follower.records) {
      const result = results.get(service)!;
      Object.assign(result, {
        events: record.events,
        stoppedTasks: record.stoppedTasks,
        tasksStarted: record.tasksStarted,
        tasksFailed: record.tasksFailed,
      });
    }
  } else {
    for (const result of results.values())
      result.durationSeconds = Math.round((now() - startedAt.get(result.service)!) / 1000);
  }
  return plans.map((plan) => results.get(plan.service)!);
}

/** Records a finished deployment in the result and returns the rollback to follow, if one is due. */
async function nextStep(
  result: ServiceResult,
  watch: Watch,
  outcome: WatchOutcome,
  options: EcsRolloutOptions,
  now: () => number,
): Promise<Watch | undefined> {
  const { log } = options;
  const tag = `[${watch.service}]`;
  if (watch.purpose === 'rollback') {
    result.times.rollbackEnded = now();
    if (outcome.kind === 'completed') {
      result.status = 'rolled-back';
      result.rollback = `rolled back to ${watch.taskDefinitionArn}: deployment ${watch.deploymentId} completed`;
    } else {
      result.status = 'failed';
      result.rollback = `the rollback to ${watch.taskDefinitionArn} failed too: ${outcome.reason}`;
    }
    log(`${tag} ${result.rollback}`);
    return undefined;
  }
  result.times.decided = now();
  result.times.tasksRunning = outcome.tasksRunningAt;
  if (outcome.kind === 'completed') {
    result.status = 'succeeded';
    log(`${tag} deployment ${watch.deploymentId} completed: the service runs ${watch.taskDefinitionArn}`);
    return undefined;
  }
  result.status = 'failed';
  result.cause = outcome.cause;
  result.triggeredAlarms = outcome.triggeredAlarms ?? [];
  result.failure = `deployment ${watch.deploymentId} failed: ${outcome.reason}`;
  log(`${tag} ${result.failure}`);
  const rollbackWatch = (deploymentId: string, taskDefinitionArn: string, serviceDeploymentArn?: string): Watch => ({
    service: watch.service,
    deploymentId,
    serviceDeploymentArn,
    taskDefinitionArn,
    purpose: 'rollback',
    deadline: now() + options.timeoutMs,
    timeoutText: options.timeoutText,
  });
  if (outcome.ecsRollback) {
    result.rollbackDeploymentId = outcome.ecsRollback.deploymentId;
    result.times.rollbackStarted = now();
    const breaker = (outcome.triggeredAlarms?.length ?? 0) > 0 ? 'ECS (deployment alarms)' : "ECS's circuit breaker";
    log(
      `${tag} ${breaker} is rolling back to ${outcome.ecsRollback.taskDefinitionArn}; following deployment ${outcome.ecsRollback.deploymentId}`,
    );
    return rollbackWatch(outcome.ecsRollback.deploymentId, outcome.ecsRollback.taskDefinitionArn);
  }
  if (outcome.replaced) {
    result.rollback = 'not attempted: another update replaced the deployment, and rolling back would undo it';
    return undefined;
  }
  if (options.rollback === 'off') {
    result.rollback = `off (input "rollback" is off); the service stays on ${watch.taskDefinitionArn}`;
    return undefined;
  }
  try {
    const service = await options.gateway.updateService({
      service: watch.service,
      taskDefinition: result.oldTaskDefinitionArn,
      forceNewDeployment: false,
    });
    const deploymentId = service.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    if (!deploymentId) throw new Error('UpdateService returned no PRIMARY deployment');
    result.rollbackDeploymentId = deploymentId;
    result.times.rollbackStarted = now();
    log(`${tag} rolling back to ${result.oldTaskDefinitionArn}: deployment ${deploymentId}`);
    return rollbackWatch(deploymentId, result.oldTaskDefinitionArn, service.currentServiceDeployment);
  } catch (error) {
    result.rollback = `the rollback to ${result.oldTaskDefinitionArn} could not start: UpdateService failed (${errorMessage(error)})`;
    log(`${tag} ${result.rollback}`);
    return undefined;
  }
}
