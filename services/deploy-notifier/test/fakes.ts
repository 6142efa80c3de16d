import { createHmac } from 'node:crypto';
import type { LambdaFunctionURLEvent, LambdaFunctionURLEventWithIAMAuthorizer, SNSEvent } from 'aws-lambda';
import type { NotifierConfig } from '../src/config';
import { ABANDONED_CLAIM_MS, type DeploymentHistory } from '../src/deployment-history';
import type { EcsDeploymentEvent } from '../src/ecs-deployment-event';
import type { EmailMessage } from '../src/email-message';
import type { NotifierDependencies } from '../src/handler';
import type { Mailer } from '../src/mailer';
import type { Notification } from '../src/notification';

export type HistoryRecord = Notification & {
  recordedAt: string;
  emailStatus: 'sending' | 'sent' | 'failed';
  emailClaimedAt: string;
  emailedAt?: string;
  emailMessageId?: string;
  emailError?: string;
};

/** The history's semantics in memory: one record per key, and the email claim rules of the DynamoDB one. */
export class InMemoryHistory implements DeploymentHistory {
  readonly records = new Map<string, HistoryRecord>();

  async recordNew(notification: Notification, now: Date): Promise<boolean> {
    if (this.records.has(notification.idempotencyKey)) return false;
    const at = now.toISOString();
    this.records.set(notification.idempotencyKey, {
      ...notification,
      recordedAt: at,
      emailStatus: 'sending',
      emailClaimedAt: at,
    });
    return true;
  }

  async claimEmailRetry(key: string, now: Date): Promise<boolean> {
    const record = this.records.get(key);
    if (!record) return false;
    const abandoned =
      record.emailStatus === 'sending' && Date.parse(record.emailClaimedAt) < now.getTime() - ABANDONED_CLAIM_MS;
    if (record.emailStatus !== 'failed' && !abandoned) return false;
    record.emailStatus = 'sending';
    record.emailClaimedAt = now.toISOString();
    return true;
  }

  async markEmailSent(key: string, messageId: string, now: Date): Promise<void> {
    const record = this.records.get(key)!;
    record.emailStatus = 'sent';
    record.emailedAt = now.toISOString();
    record.emailMessageId = messageId;
    delete record.emailError;
  }

  async markEmailFailed(key: string, error: string): Promise<void> {
    const record = this.records.get(key)!;
    record.emailStatus = 'failed';
    record.emailError = error;
  }
}

/** Keeps every message; `failures` makes the next sends throw. */
export class RecordingMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  failures = 0;

  async send(message: EmailMessage): Promise<string> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('MessageRejected: Email address is not verified. sender@example.com');
    }
    this.sent.push(message);
    return `message-${this.sent.length}`;
  }
}

export const NOW = new Date('2026-11-24T10:00:00.000Z');

export const CONFIG: NotifierConfig = {
  historyTableName: 'berth-staging-deployment-history',
  senderEmail: 'berth@example.com',
  recipientEmails: ['team@example.com'],
  transport: 'ses',
  environment: 'staging',
};

export interface Harness {
  history: InMemoryHistory;
  mailer: RecordingMailer;
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  dependencies: () => Promise<NotifierDependencies>;
  log: NotifierDependencies['log'];
}

export function harness(
  options: { hmacKey?: string; now?: () => Date; config?: Partial<NotifierConfig> } = {},
): Harness {
  const history = new InMemoryHistory();
  const mailer = new RecordingMailer();
  const logs: Harness['logs'] = [];
  const log: NotifierDependencies['log'] = (level, message, fields) => logs.push({ level, message, fields });
  const deps: NotifierDependencies = {
    config: {
      ...CONFIG,
      hmacSecretArn: options.hmacKey ? 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hmac' : undefined,
      ...options.config,
    },
    history,
    mailer,
    hmacKey: async () => options.hmacKey,
    now: options.now ?? (() => NOW),
    log,
  };
  return { history, mailer, logs, dependencies: async () => deps, log };
}

export function deployPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'infrastructure-applied',
    environment: 'staging',
    status: 'success',
    repository: 'octo-org/berth-demo',
    ref: 'refs/heads/main',
    sha: '0123456789abcdef0123456789abcdef01234567',
    actor: 'octocat',
    runId: '4242',
    runAttempt: 1,
    runUrl: 'https://github.com/octo-org/berth-demo/actions/runs/4242/attempts/1',
    timestamp: NOW.toISOString(),
    details: { outputs: { cluster_name: 'berth-staging' } },
    ...overrides,
  };
}

export const DEFAULT_IDEMPOTENCY_KEY = 'gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied';
export const IAM_CALLER = 'arn:aws:sts::123456789012:assumed-role/berth-staging-deploy/GitHubActions';

/** The event as a Function URL with auth type AWS_IAM delivers it: AWS verified the SigV4 signature and says whose. */
export function iamAuthorized(event: LambdaFunctionURLEvent): LambdaFunctionURLEventWithIAMAuthorizer {
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLE',
          accountId: '123456789012',
          callerId: 'AROAEXAMPLE:GitHubActions',
          cognitoIdentity: null,
          principalOrgId: 'o-exampleorgid',
          userArn: IAM_CALLER,
          userId: 'AROAEXAMPLE:GitHubActions',
        },
      },
    },
  };
}

export function functionUrlEvent(
  body: string,
  headers: Record<string, string> = {},
  method = 'POST',
): LambdaFunctionURLEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': DEFAULT_IDEMPOTENCY_KEY,
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdefghijklmnop',
      domainName: 'abcdefghijklmnop.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghijklmnop',
      http: {
        method,
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'berth-notify-lambda-url/1.0.0',
      },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '24/Nov/2026:10:00:00 +0000',
      timeEpoch: NOW.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** The HMAC headers notify-lambda-url sends: timestamp, Idempotency-Key and body signed. */
export function signedHeaders(
  body: string,
  key: string,
  timestampSeconds = Math.floor(NOW.getTime() / 1000),
  idempotencyKey = DEFAULT_IDEMPOTENCY_KEY,
): Record<string, string> {
  const digest = createHmac('sha256', key).update(`${timestampSeconds}\n${idempotencyKey}\n${body}`).digest('hex');
  return { 'x-berth-signature': `sha256=${digest}`, 'x-berth-timestamp': String(timestampSeconds) };
}

export function ecsEvent(eventName: string, id = 'f1b6e3e0-0000-4000-8000-000000000001'): EcsDeploymentEvent {
  return {
    version: '0',
    id,
    'detail-type': 'ECS Deployment State Change',
    source: 'aws.ecs',
    account: '123456789012',
    time: '2026-11-24T09:59:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:ecs:us-east-1:123456789012:service/berth-staging/product-service'],
    detail: {
      eventType: eventName.endsWith('FAILED') ? 'ERROR' : 'INFO',
      eventName,
      deploymentId: 'ecs-svc/1234567890123456789',
      updatedAt: '2026-11-24T09:59:30.000Z',
      reason: `ECS deployment ecs-svc/1234567890123456789 ${eventName.slice('SERVICE_DEPLOYMENT_'.length).toLowerCase()}.`,
    },
  };
}

/** CloudWatch's alarm JSON as SNS carries it (staging's 5xx alarm unless overridden). */
export function alarmMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AlarmName: 'berth-staging-product-service-5xx',
    AlarmDescription: 'Target 5xx responses above 5 per minute',
    AWSAccountId: '123456789012',
    NewStateValue: 'ALARM',
    NewStateReason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
    StateChangeTime: '2026-11-24T09:58:00.000+0000',
    Region: 'US East (N. Virginia)',
    AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:berth-staging-product-service-5xx',
    OldStateValue: 'OK',
    Trigger: { MetricName: 'HTTPCode_Target_5XX_Count', Namespace: 'AWS/ApplicationELB' },
    ...overrides,
  };
}

export function alarmEvent(
  state: string,
  messageId = 'b8e5c3d2-0000-4000-8000-000000000002',
  message?: string,
): SNSEvent {
  const alarm = alarmMessage({ NewStateValue: state });
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:berth-alarms:0b1f',
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:berth-alarms',
          Subject: `ALARM: "${String(alarm.AlarmName)}"`,
          Message: message ?? JSON.stringify(alarm),
          Timestamp: '2026-11-24T09:58:01.000Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/cert.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}
