import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { runBundledAction } from '@berth/kit/testing/run-action';
import { reply, startRecordingServer, type RecordingServer } from './recording-server';
import { recomputeSignature } from './sigv4-check';

// The one smoke test of the committed bundle, run as the GitHub runner runs it. Behaviour is tested from source
// (action.test.ts); this proves the bundle signs and posts with the run's context read by @actions/github.
const actionDir = join(import.meta.dirname, '..');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('notify-lambda-url bundle', () => {
  let receiver: RecordingServer;
  afterEach(() => receiver.close());

  it('posts the run notification signed with SigV4 through the runner protocol', async () => {
    receiver = await startRecordingServer((_, __, response) => reply(response, 202, { result: 'accepted' }));
    const run = await runBundledAction({
      entry: join(actionDir, 'dist', 'index.js'),
      inputs: {
        ...actionInputDefaults(actionDir),
        url: `${receiver.url}/hook`,
        event: 'deployed',
        environment: 'staging',
        details: '{"image":"repo:abc"}',
      },
      env: {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: 'eu-west-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toEqual({ 'status-code': '202', attempts: '1', response: '{"result":"accepted"}' });
    const request = receiver.requests[0]!;
    const check = await recomputeSignature(request, credentials);
    expect(check.recomputed).toBe(check.received);
    expect(JSON.parse(request.body.toString('utf8'))).toMatchObject({
      event: 'deployed',
      environment: 'staging',
      repository: 'octo-org/berth-demo',
      runId: '4242',
      sha: '0123456789abcdef0123456789abcdef01234567',
      details: { image: 'repo:abc' },
    });
    expect(request.headers['idempotency-key']).toBe('gh:octo-org/berth-demo:4242:1:staging:deployed');
    expect(run.summary).toContain('Notification delivered: deployed (staging)');
  });
});
