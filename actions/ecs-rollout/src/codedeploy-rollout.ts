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
  const base: ServiceResult = {
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
    const failure = `${created.refusal} ${CREATE_DEPLOYMENT_HINT}`;
    options.log(`${tag} ${failure}`);
    return { ...base, failure, cause: 'CreateDeployment refused', times: { ...base.times, decided: now() } };
  }
  const { deploymentId } = created;
  const times = { ...base.times, started: now() };
  options.log(`${tag} CodeDeploy deployment ${deploymentId} created for ${taskDefinitionArn}`);
  if (!options.wait) return { ...base, status: 'succeeded', deploymentId, times };
  const verdict = await followCodeDeployRollout(deploymentId, {
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
  const followed: ServiceResult = {
    ...base,
    deploymentId,
    status: verdict.status,
    failure: verdict.failure,
    rollback: verdict.rollback,
    cause: verdict.cause,
    triggeredAlarms: verdict.triggeredAlarms,
    rollbackDeploymentId: verdict.rollbackDeploymentId,
    events: [...verdict.rollout.news, ...(verdict.rollbackFollow?.news ?? [])].map((n) => n.text),
    times: {
      ...times,
      trafficShifts: verdict.rollout.trafficShifts,
      decided: verdict.rollout.endedAt,
      rollbackStarted: verdict.rollbackFollow?.startedAt,
      rollbackEnded: verdict.rollbackFollow?.endedAt,
    },
  };
  if (followed.failure) options.log(`${tag} ${followed.failure}`);
  if (followed.rollback) options.log(`${tag} rollback: ${followed.rollback}`);
  if (verdict.status === 'succeeded')
    options.log(
      `${tag} CodeDeploy deployment ${followed.deploymentId} succeeded: ${shortTaskDefinition(taskDefinitionArn)} takes all traffic`,
    );
  return { ...followed, durationSeconds: Math.round((now() - started) / 1000) };
}
