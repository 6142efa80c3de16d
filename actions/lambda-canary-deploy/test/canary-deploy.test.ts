import { beforeEach, describe, expect, it } from 'vitest';
import {
  alarmRollback,
  createFakeCodeDeploy,
  failingHook,
  type CodeDeployStage,
  type FakeCodeDeploy,
} from '@berth/kit/testing/fake-codedeploy';
import { codeSha256, createFakeLambda, type FakeLambda } from './fake-lambda';
import { onVirtualTime } from '@berth/kit/testing/virtual-time';
import { deploy, FUNCTION, writePackage } from './harness';

describe('lambda-canary-deploy against fakes of Lambda and CodeDeploy', () => {
  onVirtualTime();
  let lambda: FakeLambda;
  let codeDeploy: FakeCodeDeploy;
  let zip: string;

  beforeEach(() => {
    lambda = createFakeLambda();
    lambda.addFunction(FUNCTION, { code: Buffer.from('package v1') });
    // CodeDeploy moves the alias in the fake Lambda as it shifts traffic, as the real one does.
    codeDeploy = createFakeCodeDeploy({
      onLambdaTraffic: (target, percent) =>
        lambda.shiftAlias(target.name, target.alias, target.currentVersion, target.targetVersion, percent),
    });
    zip = writePackage('package v2');
  });

  it('uploads, waits for the update, publishes a version and shifts live to it through a canary', async () => {
    const run = await deploy(lambda, codeDeploy, { 'zip-file': zip });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'succeeded',
      version: '2',
      'previous-version': '1',
      'published-version': '2',
      'deployment-id': 'd-FAKE00001',
    });
    expect(lambda.alias(FUNCTION, 'live')).toEqual({ version: '2', weights: {} });
    const upload = lambda.calls('UpdateFunctionCode')[0]!;
    expect(Buffer.from(String(upload.body.ZipFile), 'base64').toString()).toBe('package v2');
    expect(upload.body.Publish).toBe(false);
    // The version is published only once Lambda finished the update, and only from the code just uploaded.
    const publish = lambda.calls('PublishVersion')[0]!;
    expect(publish.body.CodeSha256).toBe(codeSha256(Buffer.from('package v2')));
    const polls = lambda.calls('GetFunctionConfiguration').filter((c) => c.at > upload.at && c.at <= publish.at);
    expect(polls.length).toBeGreaterThan(1);
    const create = codeDeploy.calls('CreateDeployment')[0]!.input as {
      applicationName: string;
      deploymentGroupName: string;
      deploymentConfigName?: string;
      revision: { revisionType: string; appSpecContent: { content: string; sha256: string } };
    };
    expect(create.applicationName).toBe('berth-prod-deploy-notifier');
    expect(create.deploymentGroupName).toBe('berth-prod-deploy-notifier-live');
    expect(create.deploymentConfigName).toBeUndefined();
    expect(JSON.parse(create.revision.appSpecContent.content)).toEqual({
      version: 0,
      Resources: [
        {
          berthproddeploynotifier: {
            Type: 'AWS::Lambda::Function',
            Properties: { Name: FUNCTION, Alias: 'live', CurrentVersion: '1', TargetVersion: '2' },
          },
        },
      ],
    });
    expect(run.stdout).toContain('traffic on the new revision: 10%');
    expect(run.stdout).toContain('traffic on the new revision: 100%');
    expect(run.summary).toContain('| berth-prod-deploy-notifier:live | 1 → 2 | succeeded | d-FAKE00001 |');
    expect(run.summary).toMatch(/```mermaid\ngantt\n/);
    expect(run.summary).toMatch(/version 2 published :milestone, \d+, \d+/);
    expect(run.summary).toMatch(/10% on version 2 :milestone, \d+, \d+/);
    expect(run.summary).toMatch(/deployment d-FAKE00001 succeeded :done, \d+, \d+/);
  });

  it('names the alarm that stopped the canary and reports the rollback CodeDeploy made', async () => {
    codeDeploy.script(alarmRollback('berth-prod-notifier-live-errors'));
    const run = await deploy(lambda, codeDeploy, {
      'zip-file': zip,
      'codedeploy-deployment-config': 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'rolled-back', version: '1', 'published-version': '2' });
    const failure = run.errors.join('\n');
    expect(failure).toContain(
      'CodeDeploy deployment d-FAKE00001 stopped: CloudWatch alarm berth-prod-notifier-live-errors went off',
    );
    expect(failure).toContain('CodeDeploy rolled back to version 1: deployment d-FAKE00002 succeeded');
    expect(lambda.alias(FUNCTION, 'live')).toEqual({ version: '1', weights: {} });
    expect(codeDeploy.calls('CreateDeployment')[0]!.input.deploymentConfigName).toBe(
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    );
    expect(run.summary).toContain('- Alarm: `berth-prod-notifier-live-errors`');
    expect(run.summary).toMatch(
      /deployment d-FAKE00001 failed - alarm berth-prod-notifier-live-errors :crit, \d+, \d+/,
    );
    expect(run.summary).toMatch(/rollback d-FAKE00002 to version 1 :done, \d+, \d+/);
    expect(run.summary).toMatch(/rollback done :milestone/);
  });

  it('names a failing lifecycle hook with its diagnostics', async () => {
    codeDeploy.script(failingHook('BeforeAllowTraffic', 'smoke test: POST / answered 500'));
    const run = await deploy(lambda, codeDeploy, {
      'zip-file': zip,
      'before-allow-traffic-hook': 'berth-prod-notifier-smoke-test',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toContain(
      'lifecycle hook BeforeAllowTraffic failed (ScriptFailed: smoke test: POST / answered 500)',
    );
    const appspec = JSON.parse(
      (codeDeploy.calls('CreateDeployment')[0]!.input.revision as { appSpecContent: { content: string } })
        .appSpecContent.content,
    ) as { Hooks: unknown[] };
    expect(appspec.Hooks).toEqual([{ BeforeAllowTraffic: 'berth-prod-notifier-smoke-test' }]);
    expect(lambda.alias(FUNCTION, 'live').version).toBe('1');
    expect(run.summary).toContain('- Lifecycle hook: `BeforeAllowTraffic`');
  });

  it('changes nothing when live already runs the package with the current configuration', async () => {
    const same = writePackage('package v1');
    const run = await deploy(lambda, codeDeploy, { 'zip-file': same });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'unchanged', version: '1', 'deployment-id': '' });
    expect(lambda.calls('UpdateFunctionCode')).toHaveLength(0);
    expect(codeDeploy.calls()).toHaveLength(0);
    expect(run.stdout).toContain('nothing to deploy: version 1 already runs this package');
  });

  it('deploys a configuration change Terraform made to $LATEST even when the code is the same', async () => {
    lambda.setEnvironment(FUNCTION, { ENVIRONMENT: 'prod', RECIPIENT_EMAILS: 'team@example.com' });
    const run = await deploy(lambda, codeDeploy, { 'zip-file': writePackage('package v1') });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2' });
    expect(run.stdout).toContain('configuration changed since version 1 (Environment)');
  });

  it('stops before publishing when Lambda fails to apply the code', async () => {
    lambda.failNextUpdate('InvalidImage', 'The package is not a valid zip file');
    const run = await deploy(lambda, codeDeploy, { 'zip-file': zip });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.errors.join('\n')).toContain(
      'LastUpdateStatus Failed (InvalidImage: The package is not a valid zip file). The alias live still serves version 1',
    );
    expect(lambda.calls('PublishVersion')).toHaveLength(0);
    expect(codeDeploy.calls()).toHaveLength(0);
  });

  it('times out with the command that stops the deployment, which keeps running in CodeDeploy', async () => {
    const stuck: CodeDeployStage[] = [{ at: 0, status: 'InProgress', traffic: 10 }];
    codeDeploy.script(stuck);
    const run = await deploy(lambda, codeDeploy, { 'zip-file': zip, 'timeout-minutes': '0.05' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.errors.join('\n')).toContain(
      'did not finish within 0.05 minutes (timeout-minutes); it keeps running in CodeDeploy. Stop it (and roll back) with: ' +
        'aws deploy stop-deployment --deployment-id d-FAKE00001 --auto-rollback-enabled',
    );
  });

  it('refuses to start while another deployment is shifting the alias', async () => {
    lambda.shiftAlias(FUNCTION, 'live', '1', '7', 10);
    const run = await deploy(lambda, codeDeploy, { 'zip-file': zip });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain(
      'The alias "live" of berth-prod-deploy-notifier already sends 10% to version 7 besides version 1',
    );
    expect(lambda.calls('UpdateFunctionCode')).toHaveLength(0);
  });

  it('says how to fix a missing alias', async () => {
    const run = await deploy(lambda, codeDeploy, { 'zip-file': zip, alias: 'canary' });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain('Function berth-prod-deploy-notifier has no alias "canary"');
  });

  it('reports every bad input at once, naming each', async () => {
    const run = await deploy(lambda, codeDeploy, {
      'zip-file': '/nowhere/deploy-notifier.zip',
      alias: '42',
      'codedeploy-application': '',
      'poll-interval-seconds': '0',
      'timeout-minte': '5',
    });

    expect(run.exitCode).toBe(1);
    const failure = run.errors.join('\n');
    expect(failure).toContain(
      'input "zip-file" is "/nowhere/deploy-notifier.zip": must be the path of an existing file',
    );
    expect(failure).toContain('input "alias" is "42": an alias name has letters, digits, - and _ and is not a number');
    expect(failure).toContain('input "codedeploy-application" is required');
    expect(failure).toContain('input "poll-interval-seconds" is "0"');
    expect(failure).toContain('input "timeout-minte" is not an input of this action; did you mean "timeout-minutes"?');
    expect(lambda.calls()).toHaveLength(0);
  });
});
