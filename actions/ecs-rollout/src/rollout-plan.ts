import type { RegisterTaskDefinitionCommandInput, Service } from '@aws-sdk/client-ecs';
import { ActionError } from '@berth/kit';
import type { EcsGateway } from './ecs-gateway';
import { normaliseTaskDefinition, sameTaskDefinition, type JsonObject } from './normalise-task-definition';
import { diffTaskDefinitions } from './task-definition-diff';

export interface RolloutTarget {
  service: string;
  taskDefinitionPath: string;
}

/** What the action will do to one service, decided before anything changes. */
export interface ServicePlan {
  service: string;
  /** The service as it was before the rollout (its events are not news). */
  current: Service;
  controller: 'ECS' | 'CODE_DEPLOY';
  /** The task definition the service runs now: the last known good one. */
  oldTaskDefinitionArn: string;
  taskDefinitionPath: string;
  rendered: RegisterTaskDefinitionCommandInput;
  /** Readable changes from the running definition to the rendered one; empty when equal. */
  diff: string[];
  /** An already registered revision equal to the rendered definition, reused instead of registering. */
  reuseArn?: string;
  needsUpdate: boolean;
  /** Why the service is or is not updated, for the log and the summary. */
  reason: string;
}

export interface PlanOptions {
  cluster: string;
  desiredCount?: number;
  forceNewDeployment: boolean;
  readDefinition(path: string): RegisterTaskDefinitionCommandInput;
}

/** Describes every service and its running task definition, and decides per service: reuse or register, update or not. */
export async function planRollout(
  gateway: EcsGateway,
  targets: readonly RolloutTarget[],
  options: PlanOptions,
): Promise<ServicePlan[]> {
  const { services, missing } = await gateway.describeServices(targets.map((t) => t.service));
  if (missing.length > 0) {
    throw new ActionError(
      `Service${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not found (or inactive) in cluster ${options.cluster}: ` +
        'check the "services" and "cluster" inputs; this action updates existing services and does not create them.',
    );
  }
  const currentArns = [...new Set(targets.map((t) => services.get(t.service)!.taskDefinition ?? ''))];
  const registered = new Map<string, JsonObject>();
  await Promise.all(
    currentArns.map(async (arn) => {
      registered.set(arn, normaliseTaskDefinition(await gateway.describeTaskDefinition(arn)));
    }),
  );
  const renderedByPath = new Map<string, { input: RegisterTaskDefinitionCommandInput; normal: JsonObject }>();
  return targets.map((target) => {
    let rendered = renderedByPath.get(target.taskDefinitionPath);
    if (!rendered) {
      const input = options.readDefinition(target.taskDefinitionPath);
      rendered = { input, normal: normaliseTaskDefinition(input) };
      renderedByPath.set(target.taskDefinitionPath, rendered);
    }
    const current = services.get(target.service)!;
    const oldArn = current.taskDefinition ?? '';
    const running = registered.get(oldArn)!;
    const diff = diffTaskDefinitions(running, rendered.normal);
    const normal = rendered.normal;
    const reuseArn = sameTaskDefinition(running, normal)
      ? oldArn
      : currentArns.find((arn) => sameTaskDefinition(registered.get(arn)!, normal));
    const controller = current.deploymentController?.type === 'CODE_DEPLOY' ? 'CODE_DEPLOY' : 'ECS';
    const countChanges = options.desiredCount !== undefined && options.desiredCount !== current.desiredCount;
    let reason: string;
    if (reuseArn !== oldArn)
      reason = `task definition changed (${diff.length} difference${diff.length === 1 ? '' : 's'})`;
    else if (countChanges) reason = `desired count ${current.desiredCount ?? 0} → ${options.desiredCount}`;
    else if (options.forceNewDeployment) reason = 'force-new-deployment is true';
    else reason = 'task definition unchanged';
    return {
      service: target.service,
      current,
      controller,
      oldTaskDefinitionArn: oldArn,
      taskDefinitionPath: target.taskDefinitionPath,
      rendered: rendered.input,
      diff,
      reuseArn,
      needsUpdate: reuseArn !== oldArn || countChanges || options.forceNewDeployment,
      reason,
    };
  });
}

/** Registers each rendered file that no running revision matches, once, and returns service → ARN to deploy. */
export async function resolveTaskDefinitionArns(
  gateway: EcsGateway,
  plans: readonly ServicePlan[],
  log: (line: string) => void,
): Promise<Map<string, string>> {
  const registeredByPath = new Map<string, Promise<string>>();
  const arns = new Map<string, string>();
  for (const plan of plans) {
    if (plan.reuseArn) {
      arns.set(plan.service, plan.reuseArn);
      continue;
    }
    let pending = registeredByPath.get(plan.taskDefinitionPath);
    if (!pending) {
      pending = gateway.registerTaskDefinition(plan.rendered).then((arn) => {
        log(`Registered ${arn} from ${plan.taskDefinitionPath}`);
        return arn;
      });
      registeredByPath.set(plan.taskDefinitionPath, pending);
    }
    arns.set(plan.service, await pending);
  }
  return arns;
}
