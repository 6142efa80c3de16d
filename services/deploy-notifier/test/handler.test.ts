import type { LambdaFunctionURLResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { createHandler, type BatchResult } from '../src/handler';
import {
  alarmEvent,
  alarmMessage,
  DEFAULT_IDEMPOTENCY_KEY,
  deployPayload,
  ecsEvent,
  functionUrlEvent,
  harness,
  IAM_CALLER,
  iamAuthorized,
  NOW,
  signedHeaders,
} from './fakes';

type UrlAnswer = { statusCode: number; body: Record<string, unknown> };

function answer(result: unknown): UrlAnswer {
  const { statusCode, body } = result as Exclude<LambdaFunctionURLResult, string> & {
    statusCode: number;
    body: string;
  };
  return { statusCode, body: JSON.parse(body) as Record<string, unknown> };
}

describe('Function URL requests', () => {
  it('records a valid notification and mails a readable summary (202)', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    const result = answer(await handler(functionUrlEvent(JSON.stringify(deployPayload()))));

    expect(result).toEqual({
      statusCode: 202,
      body: { result: 'accepted', idempotencyKey: 'url:gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied' },
    });
    const record = h.history.records.get('url:gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied');
    expect(record).toMatchObject({
      source: 'function-url',
      environment: 'staging',
      event: 'infrastructure-applied',
      status: 'success',
      sha: '0123456789abcdef0123456789abcdef01234567',
      actor: 'octocat',
      time: NOW.toISOString(),
      emailStatus: 'sent',
      emailMessageId: 'message-1',
    });
    expect(h.mailer.sent).toHaveLength(1);
    const mail = h.mailer.sent[0]!;
    expect(mail.subject).toBe('[Berth] staging: infrastructure-applied success (octo-org/berth-demo)');
    for (const line of [
      'Environment:  staging',
      'Status:       success',
      'Commit:       0123456789abcdef0123456789abcdef01234567',
      'Actor:        octocat',
      'Run:          https://github.com/octo-org/berth-demo/actions/runs/4242/attempts/1',
      '"cluster_name": "berth-staging"',
    ]) {
      expect(mail.text).toContain(line);
    }
  });

  it('answers a repeated delivery 200 duplicate, recording and mailing it once', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    const event = functionUrlEvent(JSON.stringify(deployPayload()));
    const first = answer(await handler(event));
    const second = answer(await handler(event));

    expect([first.statusCode, second.statusCode]).toEqual([202, 200]);
    expect(second.body.result).toBe('duplicate');
    expect(h.history.records.size).toBe(1);
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('answers 400 with the reason for an invalid payload and records nothing', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    const bad = answer(
      await handler(functionUrlEvent(JSON.stringify(deployPayload({ status: 'done', sha: 'xyz', details: [1] })))),
    );

    expect(bad.statusCode).toBe(400);
    expect(bad.body.error).toBe('invalid payload');
    expect(bad.body.reason).toContain('"status" must be one of success, failure, cancelled');
    expect(bad.body.reason).toContain('"sha" must be a commit hash');
    expect(bad.body.reason).toContain('"details" must be a JSON object');

    const notJson = answer(await handler(functionUrlEvent('{"event":')));
    expect(notJson).toEqual({ statusCode: 400, body: { error: 'invalid payload', reason: 'body is not valid JSON' } });
    const noKey = answer(await handler(functionUrlEvent(JSON.stringify(deployPayload()), { 'idempotency-key': '' })));
    expect(noKey.statusCode).toBe(400);
    expect(noKey.body.reason).toContain('Idempotency-Key');
    const get = answer(await handler(functionUrlEvent('', {}, 'GET')));
    expect(get.statusCode).toBe(405);
    expect(h.history.records.size).toBe(0);
    expect(h.mailer.sent).toHaveLength(0);
  });

  it('accepts a base64-encoded body as Function URLs deliver it', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    const event = functionUrlEvent(Buffer.from(JSON.stringify(deployPayload())).toString('base64'));
    event.isBase64Encoded = true;
    expect(answer(await handler(event)).statusCode).toBe(202);
  });

  describe('with an HMAC key configured', () => {
    const key = 'shared-key-for-tests';

    it('accepts a correctly signed request', async () => {
      const h = harness({ hmacKey: key });
      const body = JSON.stringify(deployPayload());
      const result = answer(
        await createHandler(h.dependencies, h.log)(functionUrlEvent(body, signedHeaders(body, key))),
      );
      expect(result.statusCode).toBe(202);
    });

    it.each([
      [
        'no signature',
        (body: string) => ({ 'x-berth-timestamp': signedHeaders(body, key)['x-berth-timestamp']! }),
        'missing or malformed X-Berth-Signature',
      ],
      [
        'a signature made with another key',
        (body: string) => signedHeaders(body, 'another-key'),
        'signature does not match',
      ],
      [
        'a stale timestamp',
        (body: string) => signedHeaders(body, key, Math.floor(NOW.getTime() / 1000) - 301),
        'stale timestamp',
      ],
      [
        'a timestamp that is not the body one',
        (body: string) => signedHeaders(body, key, Math.floor(NOW.getTime() / 1000) + 60),
        'does not match the signed body timestamp',
      ],
    ])('answers 401 to %s', async (_, headersFor, reason) => {
      const h = harness({ hmacKey: key });
      const body = JSON.stringify(deployPayload());
      const result = answer(await createHandler(h.dependencies, h.log)(functionUrlEvent(body, headersFor(body))));
      expect(result.statusCode).toBe(401);
      expect(result.body.error).toBe('bad signature');
      expect(String(result.body.reason)).toContain(reason);
      expect(h.history.records.size).toBe(0);
    });

    it('refuses a captured signed request replayed with a new Idempotency-Key (401, nothing recorded)', async () => {
      const h = harness({ hmacKey: key });
      const handler = createHandler(h.dependencies, h.log);
      const body = JSON.stringify(deployPayload());
      const captured = signedHeaders(body, key);
      expect(answer(await handler(functionUrlEvent(body, captured))).statusCode).toBe(202);
      const replayed = answer(await handler(functionUrlEvent(body, { ...captured, 'idempotency-key': 'replay-1' })));
      expect(replayed.statusCode).toBe(401);
      expect(String(replayed.body.reason)).toContain('signature does not match');
      expect([...h.history.records.keys()]).toEqual([
        'url:gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied',
      ]);
      expect(h.mailer.sent).toHaveLength(1);
    });

    it("accepts the requests Berth's workflows send (auth iam: AWS checked the SigV4 signature), unsigned by HMAC", async () => {
      const h = harness({ hmacKey: key });
      const body = JSON.stringify(deployPayload());
      const result = answer(await createHandler(h.dependencies, h.log)(iamAuthorized(functionUrlEvent(body))));
      expect(result.statusCode, JSON.stringify(result.body)).toBe(202);
      expect(h.history.records.get(`url:${DEFAULT_IDEMPOTENCY_KEY}`)?.details).toMatchObject({ caller: IAM_CALLER });
    });

    it('still checks an HMAC signature that an IAM-authorized request carries', async () => {
      const h = harness({ hmacKey: key });
      const body = JSON.stringify(deployPayload());
      const event = iamAuthorized(functionUrlEvent(body, signedHeaders(body, 'another-key')));
      expect(answer(await createHandler(h.dependencies, h.log)(event)).statusCode).toBe(401);
    });

    it('keeps delivering ECS deployment events and alarms (EventBridge, SNS)', async () => {
      const h = harness({ hmacKey: key });
      const handler = createHandler(h.dependencies, h.log);
      expect(await handler(ecsEvent('SERVICE_DEPLOYMENT_COMPLETED'))).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [],
      });
      expect(await handler(alarmEvent('ALARM'))).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect(h.mailer.sent).toHaveLength(2);
    });

    it('rejects a body changed after signing', async () => {
      const h = harness({ hmacKey: key });
      const body = JSON.stringify(deployPayload());
      const changed = JSON.stringify(deployPayload({ status: 'failure' }));
      const result = answer(
        await createHandler(h.dependencies, h.log)(functionUrlEvent(changed, signedHeaders(body, key))),
      );
      expect(result.statusCode).toBe(401);
    });
  });

  it('answers 500 without configuration when mailing fails, and mails on the retry', async () => {
    const h = harness();
    h.mailer.failures = 1;
    const handler = createHandler(h.dependencies, h.log);
    const event = functionUrlEvent(JSON.stringify(deployPayload()));

    const failed = answer(await handler(event));
    expect(failed.statusCode).toBe(500);
    expect(JSON.stringify(failed.body)).not.toMatch(/example\.com|deployment-history|MessageRejected/);
    const key = 'url:gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied';
    expect(h.history.records.get(key)?.emailStatus).toBe('failed');
    expect(h.logs.some((l) => l.level === 'error' && String(l.fields?.error).includes('MessageRejected'))).toBe(true);

    const retried = answer(await handler(event));
    expect(retried.statusCode).toBe(202);
    expect(h.history.records.size).toBe(1);
    expect(h.history.records.get(key)?.emailStatus).toBe('sent');
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('answers 500 without details when the configuration is invalid', async () => {
    const h = harness();
    const handler = createHandler(async () => {
      throw new ConfigError(['HISTORY_TABLE_NAME is not set (the DynamoDB deployment history table)']);
    }, h.log);
    const result = answer(await handler(functionUrlEvent(JSON.stringify(deployPayload()))));
    expect(result.statusCode).toBe(500);
    expect(JSON.stringify(result.body)).not.toContain('HISTORY_TABLE_NAME');
    expect(h.logs[0]?.fields?.error).toContain('HISTORY_TABLE_NAME');
  });
});

describe('ECS deployment state changes from EventBridge', () => {
  it.each([
    ['SERVICE_DEPLOYMENT_IN_PROGRESS', 'ecs-deployment-in-progress', 'in-progress'],
    ['SERVICE_DEPLOYMENT_COMPLETED', 'ecs-deployment-completed', 'success'],
    ['SERVICE_DEPLOYMENT_FAILED', 'ecs-deployment-failed', 'failure'],
  ])('records and mails %s', async (eventName, event, status) => {
    const h = harness();
    const result = (await createHandler(h.dependencies, h.log)(ecsEvent(eventName))) as BatchResult;

    expect(result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const record = h.history.records.get('ecs:f1b6e3e0-0000-4000-8000-000000000001');
    expect(record).toMatchObject({
      source: 'ecs-deployment',
      environment: 'staging',
      event,
      status,
      time: '2026-11-24T09:59:30.000Z',
    });
    expect(record?.details).toMatchObject({
      cluster: 'berth-staging',
      service: 'product-service',
      deploymentId: 'ecs-svc/1234567890123456789',
    });
    expect(h.mailer.sent[0]?.subject).toBe(`[Berth] staging: ${event} ${status} (berth-staging/product-service)`);
  });

  it('records a redelivered event once', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    await handler(ecsEvent('SERVICE_DEPLOYMENT_COMPLETED'));
    const again = (await handler(ecsEvent('SERVICE_DEPLOYMENT_COMPLETED'))) as BatchResult;
    expect(again).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('drops events that are not ECS deployment state changes, with the reason logged', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    const other = { ...ecsEvent('SERVICE_DEPLOYMENT_COMPLETED'), 'detail-type': 'ECS Task State Change' };
    const unknownName = ecsEvent('SERVICE_TASK_PLACEMENT_FAILURE');

    expect(((await handler(other)) as BatchResult).rejected[0]).toContain('is not an ECS deployment state change');
    expect(((await handler(unknownName)) as BatchResult).rejected[0]).toContain(
      '"SERVICE_TASK_PLACEMENT_FAILURE" is not one',
    );
    expect(h.history.records.size).toBe(0);
    expect(h.logs.filter((l) => l.level === 'error')).toHaveLength(2);
  });

  it('throws when mailing fails, so Lambda retries the event', async () => {
    const h = harness();
    h.mailer.failures = 1;
    const handler = createHandler(h.dependencies, h.log);
    await expect(handler(ecsEvent('SERVICE_DEPLOYMENT_FAILED'))).rejects.toThrow('MessageRejected');
    expect(((await handler(ecsEvent('SERVICE_DEPLOYMENT_FAILED'))) as BatchResult).accepted).toBe(1);
    expect(h.mailer.sent).toHaveLength(1);
  });
});

describe('CloudWatch alarm notifications from SNS', () => {
  it('records and mails an alarm state change', async () => {
    const h = harness();
    const result = (await createHandler(h.dependencies, h.log)(alarmEvent('ALARM'))) as BatchResult;

    expect(result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const record = h.history.records.get('sns:b8e5c3d2-0000-4000-8000-000000000002');
    expect(record).toMatchObject({
      source: 'cloudwatch-alarm',
      event: 'alarm-state-change',
      status: 'alarm',
      environment: 'staging',
      time: '2026-11-24T09:58:00.000Z',
    });
    expect(record?.details).toMatchObject({
      oldState: 'OK',
      newState: 'ALARM',
      metric: 'AWS/ApplicationELB HTTPCode_Target_5XX_Count',
    });
    expect(h.mailer.sent[0]?.subject).toBe(
      '[Berth] staging: alarm-state-change alarm (berth-staging-product-service-5xx)',
    );
    expect(h.mailer.sent[0]?.text).toContain('Threshold Crossed');
  });

  it('records a redelivered message once', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    await handler(alarmEvent('OK'));
    expect(((await handler(alarmEvent('OK'))) as BatchResult).duplicates).toBe(1);
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('drops messages that are not alarm notifications', async () => {
    const h = harness();
    const handler = createHandler(h.dependencies, h.log);
    expect(((await handler(alarmEvent('ALARM', 'm-1', 'plain text'))) as BatchResult).rejected[0]).toContain(
      'is not JSON',
    );
    expect(((await handler(alarmEvent('ALARM', 'm-2', '{"hello":1}'))) as BatchResult).rejected[0]).toContain(
      'no AlarmName',
    );
    expect(((await handler(alarmEvent('BROKEN'))) as BatchResult).rejected[0]).toContain('"BROKEN" is not ALARM');
    expect(h.history.records.size).toBe(0);
  });
});

// Contract C6: any alarm or rule in the account can publish to an environment's alarm topic, so the notifier itself
// drops what does not come from its own environment's alarms and rules (ALLOWED_SOURCE_ARN_PREFIXES).
describe('alarms and events from outside the environment (ALLOWED_SOURCE_ARN_PREFIXES)', () => {
  const ACCOUNT = 'arn:aws:cloudwatch:us-east-1:123456789012';
  const prod = (): ReturnType<typeof harness> =>
    harness({
      config: {
        environment: 'prod',
        recipientEmails: ['prod-oncall@example.com'],
        allowedSourceArnPrefixes: [
          `${ACCOUNT}:alarm:berth-prod-`,
          'arn:aws:events:us-east-1:123456789012:rule/berth-prod-',
        ],
      },
    });
  const snsAlarm = (alarmName: string, messageId: string) =>
    alarmEvent(
      'ALARM',
      messageId,
      JSON.stringify(alarmMessage({ AlarmName: alarmName, AlarmArn: `${ACCOUNT}:alarm:${alarmName}` })),
    );

  it("an alarm from dev's account-wide rule does not mail prod's recipients", async () => {
    const h = prod();
    const handler = createHandler(h.dependencies, h.log);
    // dev's alarm, named like prod's, pointed at prod's alarm topic: the topic accepts it (same account).
    const result = (await handler(snsAlarm('berth-dev-prod-database-down', 'm-dev'))) as BatchResult;
    expect(result.accepted).toBe(0);
    expect(result.rejected).toEqual([
      `alarm ${ACCOUNT}:alarm:berth-dev-prod-database-down is not one of this environment's (ALLOWED_SOURCE_ARN_PREFIXES)`,
    ]);
    expect(h.mailer.sent).toEqual([]);
    expect(h.history.records.size).toBe(0);
    expect(h.logs).toContainEqual({
      level: 'warn',
      message: 'event dropped: its source is outside this environment',
      fields: { sourceArn: `${ACCOUNT}:alarm:berth-dev-prod-database-down`, environment: 'prod' },
    });
  });

  it("an EventBridge event from dev's rule (its ARN in resources) is dropped the same way", async () => {
    const h = prod();
    const devRule = 'arn:aws:events:us-east-1:123456789012:rule/berth-dev-every-minute';
    const event = { ...ecsEvent('SERVICE_DEPLOYMENT_FAILED'), resources: [devRule] };
    const result = (await createHandler(h.dependencies, h.log)(event)) as BatchResult;
    expect(result.rejected).toEqual([`rule ${devRule} is not one of this environment's (ALLOWED_SOURCE_ARN_PREFIXES)`]);
    expect(h.mailer.sent).toEqual([]);
  });

  it("prod's own alarms and ECS deployment events are still mailed", async () => {
    const h = prod();
    const handler = createHandler(h.dependencies, h.log);
    expect(await handler(snsAlarm('berth-prod-product-service-5xx', 'm-prod'))).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    // ECS events name the service, not the rule; only the notifier's own rule may invoke it (its Lambda permission).
    expect(await handler(ecsEvent('SERVICE_DEPLOYMENT_COMPLETED'))).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    expect(h.mailer.sent).toHaveLength(2);
  });

  it('an alarm message without an AlarmArn is dropped while the filter is on', async () => {
    const h = prod();
    const message = JSON.stringify(alarmMessage({ AlarmArn: undefined }));
    const result = (await createHandler(h.dependencies, h.log)(alarmEvent('ALARM', 'm-x', message))) as BatchResult;
    expect(result.rejected).toEqual([
      "alarm notification has no AlarmArn, so it cannot be shown to be one of this environment's",
    ]);
    expect(h.mailer.sent).toEqual([]);
  });

  it('without the variable nothing is filtered (the documented default)', async () => {
    const h = harness();
    expect(
      ((await createHandler(h.dependencies, h.log)(snsAlarm('berth-dev-x', 'm-any'))) as BatchResult).accepted,
    ).toBe(1);
  });
});

it('logs and ignores an event from no known source', async () => {
  const h = harness();
  const result = (await createHandler(h.dependencies, h.log)({ hello: 'world' } as never)) as BatchResult;
  expect(result.rejected).toEqual(['unrecognised event']);
  expect(h.logs[0]?.message).toContain('unrecognised event');
});
