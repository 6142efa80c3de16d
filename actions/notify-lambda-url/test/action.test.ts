import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as github from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import type { ActionRun } from '@berth/kit/testing/run-action';
import { runActionFromSource } from '@berth/kit/testing/run-source';
import { requireTerraform } from '@berth/kit/testing/required-tool';
import { applyOutputsOnlyConfiguration } from '@berth/kit/testing/terraform-state';
import { run } from '../src/main';
import { runContextFrom } from '../src/payload';
import { reply, startRecordingServer, type RecordingServer } from './recording-server';
import { recomputeSignature } from './sigv4-check';

const actionDir = join(import.meta.dirname, '..');
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const awsEnv = {
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_SESSION_TOKEN: credentials.sessionToken,
  AWS_REGION: 'eu-west-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(...args: Parameters<typeof startRecordingServer>): Promise<RecordingServer> {
  const started = await startRecordingServer(...args);
  servers.push(started);
  return started;
}

/**
 * @actions/github reads the run's context once, when the step's process starts; a run from source builds it from the
 * environment the test runner set up, as that process would.
 */
function contextOfThisRun(): typeof github.context {
  const Context = github.context.constructor as new () => typeof github.context;
  return new Context();
}

/** run() from source, in the runner's environment, with the credentials and endpoints the AWS SDK finds there. */
function notify(inputs: Record<string, string>, env: Record<string, string> = awsEnv): Promise<ActionRun> {
  return runActionFromSource(() => run({ context: contextOfThisRun() }), {
    inputs: {
      ...actionInputDefaults(actionDir),
      event: 'infrastructure-applied',
      environment: 'staging',
      ...inputs,
    },
    env,
  });
}

describe('notify-lambda-url run()', () => {
  it('signs the exact body, host and query with SigV4 for service lambda, and the server recomputes the same signature', async () => {
    const receiver = await server((_, __, response) => reply(response, 202, { result: 'accepted' }));
    const result = await notify({
      url: `${receiver.url}/hook?team=platform&x=1%202`,
      details: '{"image":"repo:abc","outputs":{"cluster":"berth"}}',
    });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    const check = await recomputeSignature(request, credentials);
    expect(check.service).toBe('lambda');
    expect(check.region).toBe('eu-west-1');
    // The Idempotency-Key is signed too: AWS refuses a captured request replayed under another key.
    expect(check.signedHeaders).toEqual(
      expect.arrayContaining(['host', 'idempotency-key', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']),
    );
    expect(check.recomputed).toBe(check.received);
    const tampered = await recomputeSignature(request, credentials, Buffer.concat([request.body, Buffer.from(' ')]));
    expect(tampered.recomputed).not.toBe(check.received);

    const payload = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({
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
      details: { image: 'repo:abc', outputs: { cluster: 'berth' } },
    });
    expect(Number.isNaN(Date.parse(String(payload.timestamp)))).toBe(false);
    expect(request.headers['idempotency-key']).toBe('gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied');
    expect(result.outputs).toMatchObject({ 'status-code': '202', attempts: '1', response: '{"result":"accepted"}' });
    expect(result.summary).toContain('Notification delivered: infrastructure-applied (staging)');
  });

  it('signs timestamp, Idempotency-Key and body with the HMAC key; X-Berth-Timestamp repeats the body timestamp', async () => {
    const receiver = await server((_, __, response) => reply(response, 202, { result: 'accepted' }));
    const result = await notify({ url: receiver.url, auth: 'hmac', 'hmac-secret': 'shared-key-for-tests' }, {});

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const request = receiver.requests[0]!;
    const payload = JSON.parse(request.body.toString('utf8')) as { timestamp: string };
    const timestamp = String(Math.floor(Date.parse(payload.timestamp) / 1000));
    expect(request.headers['x-berth-timestamp']).toBe(timestamp);
    const key = 'gh:octo-org/berth-demo:4242:1:staging:infrastructure-applied';
    expect(request.headers['idempotency-key']).toBe(key);
    const expected = createHmac('sha256', 'shared-key-for-tests')
      .update(`${timestamp}\n${key}\n`)
      .update(request.body)
      .digest('hex');
    expect(request.headers['x-berth-signature']).toBe(`sha256=${expected}`);
    expect(request.headers.authorization).toBeUndefined();
    // The key is registered for masking and appears nowhere else in the log.
    expect(result.stdout).toContain('::add-mask::shared-key-for-tests');
    expect(result.stdout.split('shared-key-for-tests')).toHaveLength(2);
  });

  it('retries 503, 503, 200 with the same idempotency key and body, honouring Retry-After', async () => {
    const receiver = await server((_, index, response) =>
      index < 2
        ? reply(response, 503, { error: 'busy' }, { 'retry-after': '0' })
        : reply(response, 200, { result: 'duplicate' }),
    );
    const result = await notify({ url: receiver.url, event: 'deployed' });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ 'status-code': '200', attempts: '3' });
    expect(receiver.requests).toHaveLength(3);
    const keys = new Set(receiver.requests.map((r) => r.headers['idempotency-key']));
    expect([...keys]).toEqual(['gh:octo-org/berth-demo:4242:1:staging:deployed']);
    expect(new Set(receiver.requests.map((r) => r.body.toString('utf8'))).size).toBe(1);
    for (const request of receiver.requests) {
      const check = await recomputeSignature(request, credentials);
      expect(check.recomputed).toBe(check.received);
    }
    expect(result.stdout).toContain('attempt 2 of 4 failed (HTTP 503');
  });

  it('does not retry a 400 and shows its body; required=true fails the step', async () => {
    const receiver = await server((_, __, response) =>
      reply(response, 400, { error: 'invalid payload', reason: 'status is wrong' }),
    );
    const result = await notify({ url: receiver.url, required: 'true' });

    expect(result.exitCode).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(result.outputs).toMatchObject({ 'status-code': '400', attempts: '1' });
    expect(result.errors.join('\n')).toContain('status is wrong');
    expect(result.errors.join('\n')).toContain('not retried');
  });

  it('gives up on an attempt after timeout-seconds and retries', async () => {
    const receiver = await server((_, index, response) => {
      if (index > 0) reply(response, 202, { result: 'accepted' });
    });
    const result = await notify({ url: receiver.url, 'timeout-seconds': '1', 'max-attempts': '2' });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(receiver.requests).toHaveLength(2);
    expect(result.outputs).toMatchObject({ 'status-code': '202', attempts: '2' });
    expect(result.stdout).toContain('no complete answer within 1 s');
  });

  it('with required=false turns the final failure into a warning and succeeds', async () => {
    const receiver = await server((_, __, response) =>
      reply(response, 500, { error: 'internal error' }, { 'retry-after': '0' }),
    );
    const result = await notify({ url: receiver.url, 'max-attempts': '2' });

    expect(result.exitCode).toBe(0);
    expect(receiver.requests).toHaveLength(2);
    expect(result.errors).toEqual([]);
    expect(result.warnings.join('\n')).toContain('attempt 2 of 2 failed (HTTP 500');
    expect(result.warnings.join('\n')).toContain('"required" is false');
    expect(result.outputs).toMatchObject({ 'status-code': '500', attempts: '2' });
    expect(result.summary).toContain('Notification not delivered');
  });

  it('looks the URL up by function name from the Lambda endpoint', async () => {
    const receiver = await server((_, __, response) => reply(response, 202, { result: 'accepted' }));
    const lambda = await server((request, _, response) =>
      request.url === '/2021-10-31/functions/berth-deploy-notifier/url?Qualifier=live'
        ? reply(response, 200, {
            FunctionUrl: `${receiver.url}/`,
            FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:berth-deploy-notifier:live',
            AuthType: 'AWS_IAM',
            CreationTime: '2026-01-01T00:00:00Z',
            LastModifiedTime: '2026-01-01T00:00:00Z',
          })
        : reply(
            response,
            404,
            { Type: 'User', message: 'Function not found' },
            { 'x-amzn-errortype': 'ResourceNotFoundException' },
          ),
    );
    const result = await notify(
      { 'function-name': 'berth-deploy-notifier:live' },
      { ...awsEnv, AWS_ENDPOINT_URL_LAMBDA: lambda.url },
    );

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(lambda.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /2021-10-31/functions/berth-deploy-notifier/url?Qualifier=live',
    ]);
    expect(receiver.requests).toHaveLength(1);
    const check = await recomputeSignature(receiver.requests[0]!, credentials);
    expect(check.recomputed).toBe(check.received);

    const missing = await notify(
      { 'function-name': 'no-such-function', required: 'true' },
      { ...awsEnv, AWS_ENDPOINT_URL_LAMBDA: lambda.url },
    );
    expect(missing.exitCode).toBe(1);
    expect(missing.errors.join('\n')).toContain('Function "no-such-function" has no Function URL');
  });

  it('reads the URL from terraform output -json', async () => {
    const receiver = await server((_, __, response) => reply(response, 202, { result: 'accepted' }));
    const dir = mkdtempSync(join(tmpdir(), 'notify-outputs-'));
    try {
      const file = join(dir, 'outputs.json');
      writeFileSync(
        file,
        JSON.stringify({ notifier_url: { value: `${receiver.url}/`, type: 'string', sensitive: false } }),
      );
      const result = await notify({ 'terraform-outputs': file, 'output-name': 'notifier_url', auth: 'none' }, {});
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]!.headers.authorization).toBeUndefined();

      const wrongName = await notify({ 'terraform-outputs': file, auth: 'none', required: 'true' }, {});
      expect(wrongName.exitCode).toBe(1);
      expect(wrongName.errors.join('\n')).toContain('Terraform outputs have no "lambda_url"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the URL with terraform output -json in terraform-dir (real terraform)', async (context) => {
    requireTerraform(context);
    const receiver = await server((_, __, response) => reply(response, 202, { result: 'accepted' }));
    const directory = await applyOutputsOnlyConfiguration({
      endpoints: { value: { notifier: `${receiver.url}/hook` } },
    });
    const result = await notify({ 'terraform-dir': directory, 'output-name': 'endpoints.notifier', auth: 'none' }, {});

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(receiver.requests.map((r) => r.url)).toEqual(['/hook']);
    expect(result.stdout).toContain(`Reading Terraform outputs: terraform output -json in ${directory}`);
  });

  it('fails with advice when there are no AWS credentials to sign with', async () => {
    const receiver = await server((_, __, response) => reply(response, 202, {}));
    const result = await runActionFromSource(
      () =>
        run({
          context: contextOfThisRun(),
          credentials: () => Promise.reject(new Error('Could not load credentials from any providers')),
        }),
      {
        inputs: {
          ...actionInputDefaults(actionDir),
          event: 'deployed',
          environment: 'dev',
          url: receiver.url,
          required: 'true',
        },
      },
    );

    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toContain(
      'No AWS credentials to sign the request with (Could not load credentials from any providers)',
    );
    expect(receiver.requests).toEqual([]);
  });

  it('reports every bad input at once, naming the sources that were given', async () => {
    const result = await notify({
      url: 'http://example.com/hook',
      'function-name': 'berth-deploy-notifier',
      status: 'done',
      details: '[1,2]',
      auth: 'hmac',
      'max-atempts': '3',
    });

    expect(result.exitCode).toBe(1);
    const text = result.errors.join('\n');
    expect(text).toContain(
      'give exactly one of "url", "function-name", "terraform-outputs" or "terraform-dir" to say where to send the notification; "url" and "function-name" were given',
    );
    expect(text).toContain('input "status" is "done"');
    expect(text).toContain('input "details" must be a JSON object');
    expect(text).toContain('"hmac-secret" is empty');
    expect(text).toContain('did you mean "max-attempts"?');
  });
});

describe('runContextFrom', () => {
  it('names every run variable missing outside a runner', () => {
    const outside = {
      get repo(): { owner: string; repo: string } {
        throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'");
      },
      ref: '',
      sha: '',
      actor: '',
      runId: Number.NaN,
      runAttempt: Number.NaN,
      serverUrl: 'https://github.com',
    };
    expect(() => runContextFrom(outside)).toThrow(
      'GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_SHA not set: this action reads the workflow run',
    );
  });

  it('takes the first attempt when the runner does not say', () => {
    const context = {
      repo: { owner: 'octo-org', repo: 'berth' },
      ref: 'refs/heads/main',
      sha: 'abc',
      actor: 'octocat',
      runId: 7,
      runAttempt: Number.NaN,
      serverUrl: '',
    };
    expect(runContextFrom(context)).toEqual({
      repository: 'octo-org/berth',
      ref: 'refs/heads/main',
      sha: 'abc',
      actor: 'octocat',
      runId: '7',
      runAttempt: 1,
      serverUrl: 'https://github.com',
    });
  });
});
