import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { fakeAwsEnv, startFakeAwsJsonServer, type FakeAwsJsonServer } from '@berth/kit/testing/aws-json-server';
import { buildDependencies } from '../src/index';
import { SecretCache } from '../src/secret-cache';
import { startFakeSmtpServer, type FakeSmtpServer } from './fake-smtp-server';

/** Sets variables for this file through vitest, which puts the previous values back (vi.unstubAllEnvs). */
function stubEnvironment(variables: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}

const SMTP_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:berth-smtp';
let secrets: FakeAwsJsonServer;
let smtp: FakeSmtpServer;

beforeAll(async () => {
  smtp = await startFakeSmtpServer();
  secrets = await startFakeAwsJsonServer({
    GetSecretValue: () => ({
      ARN: SMTP_SECRET_ARN,
      SecretString: JSON.stringify({ host: '127.0.0.1', port: smtp.port, username: 'berth', password: 's3cret-pass' }),
    }),
  });
  stubEnvironment(fakeAwsEnv('secrets manager', secrets.url));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await secrets.close();
  await smtp.close();
});

it('with EMAIL_TRANSPORT=smtp reads the account from Secrets Manager and never logs in without TLS', async () => {
  const deps = await buildDependencies({
    HISTORY_TABLE_NAME: 'berth-history',
    SENDER_EMAIL: 'berth@example.com',
    RECIPIENT_EMAILS: 'team@example.com',
    EMAIL_TRANSPORT: 'smtp',
    SMTP_SECRET_ARN,
    ENVIRONMENT: 'staging',
  });

  // The fake offers no STARTTLS, so the password must not be sent.
  await expect(deps.mailer.send({ subject: 'test', text: 'test' })).rejects.toThrow(/STARTTLS/i);
  expect(secrets.calls.map((c) => [c.operation, c.input.SecretId])).toEqual([['GetSecretValue', SMTP_SECRET_ARN]]);
  expect(smtp.sessions).toHaveLength(1);
  expect(smtp.sessions[0]!.login).toBeUndefined();
});

it('keeps a secret for five minutes, then reads it again', async () => {
  let now = 0;
  const calls: string[] = [];
  const client = {
    send: async (command: { input: { SecretId?: string } }) => {
      calls.push(String(command.input.SecretId));
      return { SecretString: `v${calls.length}` };
    },
  };
  const cache = new SecretCache(client as never, () => now);
  expect(await cache.get('hmac')).toBe('v1');
  now = 4 * 60 * 1000;
  expect(await cache.get('hmac')).toBe('v1');
  now = 5 * 60 * 1000;
  expect(await cache.get('hmac')).toBe('v2');
  expect(calls).toEqual(['hmac', 'hmac']);
});
