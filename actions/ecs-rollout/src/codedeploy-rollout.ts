import {
  createAppSpecDeployment,
  CREATE_DEPLOYMENT_HINT,
  followCodeDeployRollout,
  type CodeDeployClientLike,
} from '@berth/kit/codedeploy';
import { buildAppSpec } from './appspec';
import type { ServicePlan } from './rollout-plan';
import { shortTaskDefinition } from './rollout-summary';
import type { LogLine, ServiceResult } from './types';

export interface CodeDeployRolloutOptions {
  client: CodeDeployClientLike;
  application: string;
  deploymentGroup: string;
  deploymentConfig?: string;
  appspecPath?: string;
  wait: boolean;
  pollIntervalMs: number;
  timeoutMs: number;
  timeoutText: string;
  description: string;
  /** When the task definition was registered (or an equal one chosen), for the timeline. */
  registeredAt: number;
  log: LogLine;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Deploys a CODE_DEPLOY-controlled service through a CodeDeploy deployment and follows it with the kit's CodeDeploy
 * follower: status, lifecycle events, traffic on the replacement task set. Rollback is the deployment group's own
 * (on failure or on an alarm); a rollback deployment is followed and reported as rolled-back, naming the alarm or
 * the lifecycle hook that stopped the rollout.
 */
export async function rollOutCodeDeployService(
  plan: ServicePlan,
  taskDefinitionArn: string,
  options: CodeDeployRolloutOptions,
): Promise<ServiceResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const tag = `[${plan.service}]`;
  const result: ServiceResult = {
    service: plan.service,
    status: 'failed',
    oldTaskDefinitionArn: plan.oldTaskDefinitionArn,
    newTaskDefinitionArn: taskDefinitionArn,
    controller: 'CODE_DEPLOY',
    durationSeconds: 0,
    tasksStarted: 0,
    tasksFailed: 0,
    triggeredAlarms: [],
    times: { registered: options.registeredAt },
    stoppedTasks: [],
    events: [],
  };
  const appspec = buildAppSpec(plan.current, taskDefinitionArn, options.appspecPath);
  const created = await createAppSpecDeployment(options.client, {
    application: options.application,
    deploymentGroup: options.deploymentGroup,
    deploymentConfig: options.deploymentConfig,
    description: options.description,
    appspec,
  });
  if ('refusal' in created) {
    result.failure = `${created.refusal} ${CREATE_DEPLOYMENT_HINT}`;
    result.cause = 'CreateDeployment refused';
    result.times.decided = now();
    options.log(`${tag} ${result.failure}`);
    return result;
  }
  result.deploymentId = created.deploymentId;
  result.times.started = now();
  options.log(`${tag} CodeDeploy deployment ${result.deploymentId} created for ${taskDefinitionArn}`);
  if (!options.wait) {
    result.status = 'succeeded';
    return result;
  }
  const verdict = await followCodeDeployRollout(created.deploymentId, {
    client: options.client,
    pollIntervalMs: options.pollIntervalMs,
    timeoutMs: options.timeoutMs,
    timeoutText: options.timeoutText,
    previousRevision: plan.oldTaskDefinitionArn,
    tag,
    log: options.log,
    now,
    sleep: options.sleep,
  });
  Object.assign(result, {
    status: verdict.status,
    failure: verdict.failure,
    rollback: verdict.rollback,
    cause: verdict.cause,
    triggeredAlarms: verdict.triggeredAlarms,
    rollbackDeploymentId: verdict.rollbackDeploymentId,
    events: [...verdict.rollout.news, ...(verdict.rollbackFollow?.news ?? [])].map((n) => n.text),
  });
  result.times.trafficShifts = verdict.rollout.trafficShifts;
  result.times.decided = verdict.rollout.endedAt;
  result.times.rollbackStarted = verdict.rollbackFollow?.startedAt;
  result.times.rollbackEnded = verdict.rollbackFollow?.endedAt;
  if (result.failure) options.log(`${tag} ${result.failure}`);
  if (result.rollback) options.log(`${tag} rollback: ${result.rollback}`);
  if (verdict.status === 'succeeded')
    options.log(
      `${tag} CodeDeploy deployment ${result.deploymentId} succeeded: ${shortTaskDefinition(taskDefinitionArn)} takes all traffic`,
    );
  result.durationSeconds = Math.round((now() - started) / 1000);
  return result;
}
