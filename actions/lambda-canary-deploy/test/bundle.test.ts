import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAwsEnv } from '@berth/kit/testing/aws-json-server';
import { startFakeCodeDeploy, type ServedFakeCodeDeploy } from '@berth/kit/testing/fake-codedeploy';
import { runBundledAction } from '@berth/kit/testing/run-action';
import { startFakeLambda, type ServedFakeLambda } from './fake-lambda';
import { canaryInputs, ENTRY, FUNCTION, writePackage } from './harness';

// The one smoke test of the committed bundle, run as the GitHub runner runs it against the fakes over HTTP.
// Behaviour is tested from source on fake timers; this proves the bundle wires it up end to end.
describe('lambda-canary-deploy bundle', () => {
  let lambda: ServedFakeLambda;
  let codeDeploy: ServedFakeCodeDeploy;
  beforeEach(async () => {
    lambda = await startFakeLambda();
    lambda.updateTakes(300);
    codeDeploy = await startFakeCodeDeploy({
      onLambdaTraffic: (target, percent) =>
        lambda.shiftAlias(target.name, target.alias, target.currentVersion, target.targetVersion, percent),
    });
  });
  afterEach(() => Promise.all([lambda.close(), codeDeploy.close()]));

  it('deploys a package through CodeDeploy and reports it through the runner protocol', async () => {
    lambda.addFunction(FUNCTION, { code: Buffer.from('package v1') });
    const run = await runBundledAction({
      entry: ENTRY,
      inputs: canaryInputs({ 'zip-file': writePackage('package v2') }),
      env: {
        ...fakeAwsEnv('Lambda', lambda.url),
        AWS_ENDPOINT_URL_CODEDEPLOY: codeDeploy.url,
      },
      timeoutMs: 60_000,
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1' });
    expect(lambda.alias(FUNCTION, 'live').version).toBe('2');
    expect(run.summary).toContain('| berth-prod-deploy-notifier:live | 1 → 2 | succeeded |');
    const agent = String(lambda.calls('UpdateFunctionCode')[0]!.headers['user-agent'] ?? '');
    expect(agent).toMatch(/berth-lambda-canary-deploy\/\d+\.\d+\.\d+/);
  });
});
