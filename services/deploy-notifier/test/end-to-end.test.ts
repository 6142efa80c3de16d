import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  AwsFault,
  fakeAwsEnv,
  startFakeAwsJsonServer,
  type FakeAwsJsonServer,
} from '@berth/kit/testing/aws-json-server';
import { runBundledAction } from '@berth/kit/testing/run-action';
import { buildLambda } from '../scripts/build.mjs';
import { serveAsFunctionUrl } from './function-url-adapter';
import { readZip } from './read-zip';

/** Sets variables for this file through vitest, which puts the previous values back (vi.unstubAllEnvs). */
function stubEnvironment(variables: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}

const actionEntry = fileURLToPath(new URL('../../../actions/notify-lambda-url/dist/index.js', import.meta.url));
const HMAC_KEY = 'end-to-end-shared-key';
const HMAC_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:berth-notify-hmac';

const dir = mkdtempSync(join(tmpdir(), 'deploy-notifier-e2e-'));
const table = new Map<string, Record<string, unknown>>();
const emails: { path: string; body: Record<string, unknown> }[] = [];
let aws: FakeAwsJsonServer;
let sesServer: ReturnType<typeof createServer>;
let functionUrl: Awaited<ReturnType<typeof serveAsFunctionUrl>>;
/** The same handler behind a Function URL of auth type AWS_IAM, as Terraform creates it. */
let iamFunctionUrl: Awaited<ReturnType<typeof serveAsFunctionUrl>>;
const IAM_CALLER = 'arn:aws:sts::123456789012:assumed-role/berth-staging-deploy/GitHubActions';

beforeAll(async () => {
  // One fake for the AWS JSON services the Lambda calls (DynamoDB, Secrets Manager), one for SES v2 (REST).
  aws = await startFakeAwsJsonServer({
    PutItem: (input) => {
      const item = input.Item as Record<string, { S?: string }>;
      const key = String(item.idempotencyKey?.S);
      if (table.has(key)) throw new AwsFault('ConditionalCheckFailedException', 'The conditional request failed');
      table.set(key, item);
      return {};
    },
    UpdateItem: (input) => {
      const key = String((input.Key as Record<string, { S?: string }>).idempotencyKey?.S);
      const values = input.ExpressionAttributeValues as Record<string, { S?: string }>;
      const record = table.get(key)!;
      // The one conditional update is the email claim: it succeeds only for a failed or abandoned email.
      if (input.ConditionExpression) {
        const status = (record.emailStatus as { S: string }).S;
        const claimedAt = (record.emailClaimedAt as { S: string }).S;
        const claimable = status === 'failed' || (status === 'sending' && claimedAt < values[':abandonedBefore']!.S!);
        if (!claimable) throw new AwsFault('ConditionalCheckFailedException', 'The conditional request failed');
        Object.assign(record, { emailStatus: values[':sending'], emailClaimedAt: values[':now'] });
      }
      if (String(input.UpdateExpression).includes(':sent')) {
        Object.assign(record, { emailStatus: values[':sent'], emailMessageId: values[':id'] });
      }
      return {};
    },
    GetSecretValue: (input) => {
      if (input.SecretId !== HMAC_SECRET_ARN) throw new AwsFault('ResourceNotFoundException', 'no such secret');
      return { ARN: HMAC_SECRET_ARN, Name: 'berth-notify-hmac', SecretString: HMAC_KEY };
    },
  });
  sesServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      emails.push({
        path: `${request.method} ${request.url}`,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ MessageId: `ses-${emails.length}` }));
    });
  });
  await new Promise<void>((resolve) => sesServer.listen(0, '127.0.0.1', resolve));

  stubEnvironment({
    ...fakeAwsEnv('dynamodb', aws.url),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${(sesServer.address() as AddressInfo).port}`,
    HISTORY_TABLE_NAME: 'berth-staging-deployment-history',
    SENDER_EMAIL: 'berth@example.com',
    RECIPIENT_EMAILS: 'team@example.com,oncall@example.com',
    HMAC_SECRET_ARN,
    ENVIRONMENT: 'staging',
  });

  // The handler exactly as deployed: the built zip's index.js, loaded outside the repository.
  const { zipPath } = await buildLambda({ out: join(dir, 'deploy-notifier.zip') });
  const code = readZip(readFileSync(zipPath)).get('index.js')!;
  writeFileSync(join(dir, 'index.js'), code);
  const { handler } = createRequire(join(dir, 'index.js'))(join(dir, 'index.js')) as {
    handler: (event: LambdaFunctionURLEvent) => Promise<unknown>;
  };
  functionUrl = await serveAsFunctionUrl(handler);
  iamFunctionUrl = await serveAsFunctionUrl(handler, { iamCaller: IAM_CALLER });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await functionUrl?.close();
  await iamFunctionUrl?.close();
  await new Promise((resolve) => sesServer?.close(resolve));
  await aws?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('the action posts to the deployed handler, which records the notification once and mails it once', async () => {
  const notify = () =>
    runBundledAction({
      entry: actionEntry,
      inputs: {
        url: functionUrl.url,
        'output-name': 'lambda_url',
        event: 'infrastructure-applied',
        environment: 'staging',
        status: 'success',
        details: '{"outputs":{"cluster_name":"berth-staging"}}',
        auth: 'hmac',
        'hmac-secret': HMAC_KEY,
        'timeout-seconds': '10',
        'max-attempts': '2',
        required: 'true',
      },
    });

  const first = await notify();
  expect(first.exitCode, first.stdout + first.stderr).toBe(0);
  expect(first.outputs['status-code']).toBe('202');
  const key = 'url:gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied';
  expect(JSON.parse(first.outputs.response!)).toEqual({ result: 'accepted', idempotencyKey: key });

  expect([...table.keys()]).toEqual([key]);
  const record = table.get(key)!;
  expect(record).toMatchObject({
    source: { S: 'function-url' },
    environment: { S: 'staging' },
    event: { S: 'infrastructure-applied' },
    status: { S: 'success' },
    sha: { S: '0123456789abcdef0123456789abcdef01234567' },
    actor: { S: 'octocat' },
    emailStatus: { S: 'sent' },
    emailMessageId: { S: 'ses-1' },
  });
  expect(aws.calls.find((c) => c.operation === 'PutItem')?.input).toMatchObject({
    TableName: 'berth-staging-deployment-history',
    ConditionExpression: 'attribute_not_exists(idempotencyKey)',
  });

  expect(emails).toHaveLength(1);
  const email = emails[0]!;
  expect(email.path).toBe('POST /v2/email/outbound-emails');
  expect(email.body).toMatchObject({
    FromEmailAddress: 'berth@example.com',
    Destination: { ToAddresses: ['team@example.com', 'oncall@example.com'] },
    Content: { Simple: { Subject: { Data: '[Berth] staging: infrastructure-applied success (octo-org/berth-demo)' } } },
  });
  const text = String(
    (email.body as { Content: { Simple: { Body: { Text: { Data: string } } } } }).Content.Simple.Body.Text.Data,
  );
  expect(text).toContain('Run:          https://github.com/octo-org/berth-demo/actions/runs/4242/attempts/1');
  expect(text).toContain('"cluster_name": "berth-staging"');

  // The same step run again (a retry) is a duplicate: no second record, no second email.
  const second = await notify();
  expect(second.exitCode, second.stdout + second.stderr).toBe(0);
  expect(second.outputs['status-code']).toBe('200');
  expect(table.size).toBe(1);
  expect(emails).toHaveLength(1);

  // A wrong key is refused with 401 and not retried.
  const forged = await runBundledAction({
    entry: actionEntry,
    inputs: {
      url: functionUrl.url,
      'output-name': 'lambda_url',
      event: 'deployed',
      environment: 'staging',
      status: 'success',
      details: '{}',
      auth: 'hmac',
      'hmac-secret': 'wrong-key',
      'timeout-seconds': '10',
      'max-attempts': '3',
      required: 'true',
    },
  });
  expect(forged.exitCode).toBe(1);
  expect(forged.outputs).toMatchObject({ 'status-code': '401', attempts: '1' });
  expect(table.size).toBe(1);
});

it('with HMAC_SECRET_ARN set, the built-in auth iam notifications still arrive (no HMAC needed after IAM)', async () => {
  const result = await runBundledAction({
    entry: actionEntry,
    inputs: {
      url: iamFunctionUrl.url,
      'output-name': 'lambda_url',
      event: 'deployed',
      environment: 'staging',
      status: 'success',
      details: '{}',
      auth: 'iam',
      'hmac-secret': '',
      'aws-region': 'us-east-1',
      'timeout-seconds': '10',
      'max-attempts': '1',
      required: 'true',
    },
    env: {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(result.outputs['status-code']).toBe('202');
  const record = table.get('url:gh:octo-org/berth-demo:4242:1:staging:deployed');
  expect(record?.emailStatus).toEqual({ S: 'sent' });
  expect(JSON.stringify(record?.details)).toContain(IAM_CALLER);
});
