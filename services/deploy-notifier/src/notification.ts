/** Where a notification came from. */
export type NotificationSource = 'function-url' | 'ecs-deployment' | 'cloudwatch-alarm';

/** One announcement from any source, in the shape that is recorded and mailed. */
export interface Notification {
  /** Unique per announcement and prefixed by source, so a retried delivery is recognised. */
  idempotencyKey: string;
  source: NotificationSource;
  environment: string;
  event: string;
  status: string;
  /** When the announced thing happened (ISO 8601). */
  time: string;
  repository?: string;
  ref?: string;
  sha?: string;
  actor?: string;
  runUrl?: string;
  /** One line for the subject, e.g. an alarm's name or an ECS service. */
  subjectHint?: string;
  details: Record<string, unknown>;
}

/** A delivery that cannot become a notification; `reason` is safe to show to the sender. */
export class InvalidNotification extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidNotification';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
