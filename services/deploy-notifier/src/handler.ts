import type { EventBridgeEvent, LambdaFunctionURLEvent, LambdaFunctionURLResult, SNSEvent } from 'aws-lambda';
import { notificationFromAlarmRecord, isSnsEvent } from './cloudwatch-alarm-notification';
import type { NotifierConfig } from './config';
import type { DeploymentHistory } from './deployment-history';
import { isEventBridgeEvent, notificationFromEcsDeployment } from './ecs-deployment-event';
import { notificationFromFunctionUrl, RequestRejected } from './function-url-request';
import type { Mailer } from './mailer';
import { InvalidNotification, type Notification } from './notification';
import { processNotification, type Outcome } from './process-notification';
import { sourceOutsideEnvironment, type EventSource } from './source-filter';

export interface NotifierDependencies {
  config: NotifierConfig;
  history: DeploymentHistory;
  mailer: Mailer;
  /** The shared HMAC key when HMAC_SECRET_ARN is set; undefined otherwise. */
  hmacKey: () => Promise<string | undefined>;
  now: () => Date;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export type NotifierEvent = LambdaFunctionURLEvent | EventBridgeEvent<string, unknown> | SNSEvent;

/** What an EventBridge or SNS invocation did; their invokers ignore it, tests and logs read it. */
export interface BatchResult {
  accepted: number;
  duplicates: number;
  rejected: string[];
}

export type NotifierResult = LambdaFunctionURLResult | BatchResult;

/**
 * One handler for the three sources. Function URL callers get a JSON answer; an invalid EventBridge or SNS
 * event is logged and dropped (a retry would fail the same way), while a failure to record or mail is thrown
 * so Lambda's asynchronous retry delivers the event again.
 */
export function createHandler(dependencies: () => Promise<NotifierDependencies>, log: NotifierDependencies['log']) {
  return async (event: NotifierEvent): Promise<NotifierResult> => {
    if (isFunctionUrlEvent(event)) return answerFunctionUrl(event, dependencies, log);
    const deps = await dependencies();
    if (isEventBridgeEvent(event)) {
      return handleBatch(
        [
          {
            parse: () => notificationFromEcsDeployment(event, deps.config.environment),
            source: () => ({ kind: 'event', resources: event.resources }),
          },
        ],
        deps,
      );
    }
    if (isSnsEvent(event)) {
      return handleBatch(
        event.Records.map((record) => {
          let notification: Notification | undefined;
          const parse = () => (notification ??= notificationFromAlarmRecord(record, deps.config.environment));
          const source = (): EventSource => {
            const arn = parse().details.alarmArn;
            return { kind: 'alarm', alarmArn: typeof arn === 'string' ? arn : undefined };
          };
          return { parse, source };
        }),
        deps,
      );
    }
    log('error', 'unrecognised event: not a Function URL request, EventBridge event or SNS delivery', {
      keys: typeof event === 'object' && event !== null ? Object.keys(event) : typeof event,
    });
    return { accepted: 0, duplicates: 0, rejected: ['unrecognised event'] };
  };
}

function isFunctionUrlEvent(event: unknown): event is LambdaFunctionURLEvent {
  const context = (event as { requestContext?: { http?: unknown } } | null)?.requestContext;
  return typeof context === 'object' && context !== null && typeof context.http === 'object';
}

async function answerFunctionUrl(
  event: LambdaFunctionURLEvent,
  dependencies: () => Promise<NotifierDependencies>,
  log: NotifierDependencies['log'],
): Promise<LambdaFunctionURLResult> {
  const requestId = event.requestContext.requestId;
  try {
    const deps = await dependencies();
    const notification = await notificationFromFunctionUrl(event, deps.hmacKey, deps.now());
    const outcome = await processNotification(notification, deps.history, deps.mailer, deps.now);
    deps.log('info', `function-url notification ${outcome}`, {
      idempotencyKey: notification.idempotencyKey,
      requestId,
    });
    return json(outcome === 'accepted' ? 202 : 200, { result: outcome, idempotencyKey: notification.idempotencyKey });
  } catch (error) {
    if (error instanceof RequestRejected) {
      log('warn', 'function-url request rejected', { statusCode: error.statusCode, reason: error.reason, requestId });
      const title = error.statusCode === 401 ? 'bad signature' : 'request not accepted';
      return json(error.statusCode, { error: title, reason: error.reason });
    }
    if (error instanceof InvalidNotification) {
      log('warn', 'function-url payload invalid', { reason: error.reason, requestId });
      return json(400, { error: 'invalid payload', reason: error.reason });
    }
    // Configuration and AWS errors stay in the log: they can name tables, secrets and addresses.
    log('error', 'function-url notification failed', { error: describe(error), requestId });
    return json(500, { error: 'internal error: the notification was not recorded; retry later', requestId });
  }
}

/** One delivery of a batch: how to read it, and where it says it came from. */
interface BatchItem {
  parse: () => Notification;
  source: () => EventSource;
}

async function handleBatch(items: BatchItem[], deps: NotifierDependencies): Promise<BatchResult> {
  const result: BatchResult = { accepted: 0, duplicates: 0, rejected: [] };
  for (const { parse, source } of items) {
    let outcome: Outcome;
    try {
      const notification = parse();
      const outside = sourceOutsideEnvironment(source(), deps.config.allowedSourceArnPrefixes);
      if (outside) {
        deps.log('warn', 'event dropped: its source is outside this environment', {
          ...(outside.sourceArn && { sourceArn: outside.sourceArn }),
          environment: deps.config.environment,
        });
        result.rejected.push(outside.reason);
        continue;
      }
      outcome = await processNotification(notification, deps.history, deps.mailer, deps.now);
      deps.log('info', `${notification.source} notification ${outcome}`, {
        idempotencyKey: notification.idempotencyKey,
      });
    } catch (error) {
      if (!(error instanceof InvalidNotification)) throw error;
      deps.log('error', 'event dropped: it is not a valid notification', { reason: error.reason });
      result.rejected.push(error.reason);
      continue;
    }
    if (outcome === 'accepted') result.accepted++;
    else result.duplicates++;
  }
  return result;
}

function json(statusCode: number, body: unknown): LambdaFunctionURLResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
