import type { EventBridgeEvent } from 'aws-lambda';
import { InvalidNotification, isPlainObject, type Notification } from './notification';

export const ECS_DEPLOYMENT_DETAIL_TYPE = 'ECS Deployment State Change';

/** The `detail` of an ECS deployment state change, as documented for EventBridge. */
export interface EcsDeploymentDetail {
  eventType: string;
  eventName: string;
  deploymentId: string;
  updatedAt?: string;
  reason?: string;
}

export type EcsDeploymentEvent = EventBridgeEvent<typeof ECS_DEPLOYMENT_DETAIL_TYPE, EcsDeploymentDetail>;

const OUTCOMES: Record<string, { event: string; status: string }> = {
  SERVICE_DEPLOYMENT_IN_PROGRESS: { event: 'ecs-deployment-in-progress', status: 'in-progress' },
  SERVICE_DEPLOYMENT_COMPLETED: { event: 'ecs-deployment-completed', status: 'success' },
  SERVICE_DEPLOYMENT_FAILED: { event: 'ecs-deployment-failed', status: 'failure' },
};

export function isEventBridgeEvent(event: unknown): event is EventBridgeEvent<string, unknown> {
  return isPlainObject(event) && typeof event['detail-type'] === 'string' && typeof event.source === 'string';
}

/** An ECS deployment state change from EventBridge, for the environment this Lambda serves. */
export function notificationFromEcsDeployment(
  event: EventBridgeEvent<string, unknown>,
  environment: string,
): Notification {
  if (event.source !== 'aws.ecs' || event['detail-type'] !== ECS_DEPLOYMENT_DETAIL_TYPE) {
    throw new InvalidNotification(
      `EventBridge event "${event['detail-type']}" from "${event.source}" is not an ECS deployment state change`,
    );
  }
  const detail = event.detail;
  if (!isPlainObject(detail) || typeof detail.eventName !== 'string' || typeof detail.deploymentId !== 'string') {
    throw new InvalidNotification('ECS deployment event has no detail.eventName or detail.deploymentId');
  }
  const outcome = OUTCOMES[detail.eventName];
  if (!outcome)
    throw new InvalidNotification(`ECS deployment event name "${detail.eventName}" is not one this notifier handles`);
  if (typeof event.id !== 'string' || event.id === '') throw new InvalidNotification('EventBridge event has no id');
  const serviceArn = event.resources?.[0] ?? '';
  // arn:aws:ecs:<region>:<account>:service/<cluster>/<service>
  const [, cluster, service] = /:service\/([^/]+)\/([^/]+)$/.exec(serviceArn) ?? [];
  const updatedAt =
    typeof detail.updatedAt === 'string' && !Number.isNaN(Date.parse(detail.updatedAt)) ? detail.updatedAt : event.time;
  return {
    idempotencyKey: `ecs:${event.id}`,
    source: 'ecs-deployment',
    environment,
    event: outcome.event,
    status: outcome.status,
    time: new Date(Date.parse(updatedAt)).toISOString(),
    subjectHint: service ? `${cluster}/${service}` : undefined,
    details: {
      cluster,
      service,
      serviceArn: serviceArn || undefined,
      deploymentId: detail.deploymentId,
      eventType: detail.eventType,
      reason: detail.reason,
      region: event.region,
      account: event.account,
    },
  };
}
