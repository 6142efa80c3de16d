import { join } from 'node:path';
import * as github from '@actions/github';
import { ECRClient } from '@aws-sdk/client-ecr';
import { afterEach, describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { recordAwsCalls, type RecordedAwsCall } from '@berth/kit/testing/aws-call-recorder';
import { createAwsJsonFake, FAKE_CREDENTIALS } from '@berth/kit/testing/aws-json-server';
import { createFakeCodeDeploy } from '@berth/kit/testing/fake-codedeploy';
import type { ActionRun } from '@berth/kit/testing/run-action';
import { runActionFromSource } from '@berth/kit/testing/run-source';
import { onVirtualTime } from '@berth/kit/testing/virtual-time';
import { readActionPermissions } from '../checks/iam/action-permissions.ts';
import { createFakeEcr } from '../actions/ecr-secret-sync/test/fake-ecr';
import { startFakeGitHub } from '../actions/ecr-secret-sync/test/github-api-server';
import { runSync } from '../actions/ecr-secret-sync/test/run-sync';
import { alarmTrips, crashLoop, createFakeEcs, healthyRollout } from '../actions/ecs-rollout/test/fake-ecs';
import { rollout, webDefinition, writeDefinition } from '../actions/ecs-rollout/test/harness';
import { createFakeLambda } from '../actions/lambda-canary-deploy/test/fake-lambda';
import { deploy, FUNCTION, writePackage } from '../actions/lambda-canary-deploy/test/harness';
import { run as notify } from '../actions/notify-lambda-url/src/main';
import { reply, startRecordingServer, type RecordingServer } from '../actions/notify-lambda-url/test/recording-server';
import { run as render } from '../actions/render-task-definition/src/main';

// Each action's README lists the IAM permissions it needs; this runs the action's scenarios from source against the
// fakes, which record every AWS call they answer, and holds the two lists against each other both ways.

const REPO_ROOT = join(import.meta.dirname, '..');

/**
 * The IAM actions AWS authorizes for one call: the call's own `service:Operation`, and what it implies. Registering
 * a task definition that names roles passes them (iam:PassRole); CodeDeploy's CreateDeployment also checks
 * codedeploy:GetDeploymentConfig on the deployment configuration it uses; a Function URL with auth AWS_IAM checks
 * lambda:InvokeFunction as well as lambda:InvokeFunctionUrl.
 */
function iamActionsOf(call: RecordedAwsCall): string[] {
  const own = `${call.service}:${call.operation}`;
  if (own === 'ecs:RegisterTaskDefinition' && (call.input.taskRoleArn || call.input.executionRoleArn)) {
    return [own, 'iam:PassRole'];
  }
  if (own === 'codedeploy:CreateDeployment') return [own, 'codedeploy:GetDeploymentConfig'];
  if (own === 'lambda:InvokeFunctionUrl') return [own, 'lambda:InvokeFunction'];
  return [own];
}

/** What the README lists and the scenarios did not call, and what they called that the README does not list. */
function compareWithReadme(action: string, calls: RecordedAwsCall[]): { unlisted: string[]; unexercised: string[] } {
  const listed = new Set(readActionPermissions(REPO_ROOT, action).map((row) => row.action));
  const recorded = new Set(calls.flatMap(iamActionsOf));
  return {
    unlisted: [...recorded].filter((name) => !listed.has(name)).sort(),
    unexercised: [...listed].filter((name) => !recorded.has(name)).sort(),
  };
}

/** Runs the scenarios in turn, checks each ended as expected, and returns every AWS call they made. */
async function recordScenarios(
  scenarios: { name: string; exitCode: number; run: () => Promise<ActionRun> }[],
): Promise<RecordedAwsCall[]> {
  const calls: RecordedAwsCall[] = [];
  for (const scenario of scenarios) {
    const recorded = await recordAwsCalls(scenario.run);
    const { exitCode, stdout, stderr } = recorded.result;
    expect(exitCode, `${scenario.name}\n${stdout}${stderr}`).toBe(scenario.exitCode);
    calls.push(...recorded.calls);
  }
  return calls;
}

describe('ecs-rollout', () => {
  onVirtualTime();

  it('calls exactly what its README lists: rollout, rollback after failed tasks or alarms, CodeDeploy', async () => {
    const path = writeDefinition({
      ...webDefinition('registry.example/web:1.1.0'),
      taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
    });
    const ecsWithService = (options: Partial<Parameters<ReturnType<typeof createFakeEcs>['addService']>[0]> = {}) => {
      const ecs = createFakeEcs();
      const taskDefinition = ecs.addTaskDefinition(webDefinition('registry.example/web:1.0.0'));
      ecs.addService({ name: 'web', taskDefinition, ...options });
      return ecs;
    };
    const calls = await recordScenarios([
      {
        name: 'a healthy rollout',
        exitCode: 0,
        run: () => {
          const ecs = ecsWithService();
          ecs.script('web', healthyRollout());
          return rollout(ecs, { 'task-definition': path });
        },
      },
      {
        name: 'a crash loop, rolled back',
        exitCode: 1,
        run: () => {
          const ecs = ecsWithService();
          ecs.script('web', crashLoop({ exitCode: 3, lifetimeMs: 600 }), healthyRollout(1500));
          return rollout(ecs, { 'task-definition': path, 'max-failed-tasks': '1' });
        },
      },
      {
        name: 'alarms stop the deployment, rolled back by the action',
        exitCode: 1,
        run: () => {
          const ecs = ecsWithService({ alarms: { names: ['berth-prod-web-5xx'], enable: true, rollback: false } });
          ecs.script('web', alarmTrips(['berth-prod-web-5xx']), healthyRollout(1500));
          return rollout(ecs, { 'task-definition': path });
        },
      },
      {
        name: 'a CODE_DEPLOY service',
        exitCode: 0,
        run: () => {
          const ecs = ecsWithService({
            controller: 'CODE_DEPLOY',
            loadBalancers: [
              {
                targetGroupArn:
                  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef',
                containerName: 'web',
                containerPort: 8080,
              },
            ],
          });
          return rollout(
            ecs,
            {
              'task-definition': path,
              'codedeploy-application': 'berth-web',
              'codedeploy-deployment-group': 'berth-web-prod',
              'codedeploy-deployment-config': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
            },
            { codeDeploy: createFakeCodeDeploy() },
          );
        },
      },
    ]);
    expect(compareWithReadme('ecs-rollout', calls)).toEqual({ unlisted: [], unexercised: [] });
  });
});

describe('lambda-canary-deploy', () => {
  onVirtualTime();

  it('calls exactly what its README lists: a canary deployment of a new package', async () => {
    const calls = await recordScenarios([
      {
        name: 'a canary deployment',
        exitCode: 0,
        run: () => {
          const lambda = createFakeLambda();
          lambda.addFunction(FUNCTION, { code: Buffer.from('package v1') });
          const codeDeploy = createFakeCodeDeploy({
            onLambdaTraffic: (target, percent) =>
              lambda.shiftAlias(target.name, target.alias, target.currentVersion, target.targetVersion, percent),
          });
          return deploy(lambda, codeDeploy, {
            'zip-file': writePackage('package v2'),
            'codedeploy-deployment-config': 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          });
        },
      },
    ]);
    expect(compareWithReadme('lambda-canary-deploy', calls)).toEqual({ unlisted: [], unexercised: [] });
  });
});

describe('render-task-definition', () => {
  it('calls exactly what its README lists: nothing, or ECR when pinning image digests', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const ecr = createAwsJsonFake({
      DescribeImages: () => ({
        imageDetails: [{ repositoryName: 'berth/api-gateway', imageDigest: digest, imageTags: ['abc123'] }],
      }),
    });
    const renderWith = (pin: string) => () =>
      runActionFromSource(
        () =>
          render({
            ecrClient: (region) =>
              new ECRClient({ region, credentials: FAKE_CREDENTIALS, requestHandler: ecr.requestHandler }),
          }),
        {
          inputs: {
            ...actionInputDefaults(join(REPO_ROOT, 'actions', 'render-task-definition')),
            template: 'services/api-gateway/task-definition.json',
            environment: 'dev',
            tfvars: 'actions/render-task-definition/test/fixtures/unit.tfvars',
            'terraform-outputs': 'actions/render-task-definition/examples/terraform-outputs.dev.json',
            images: 'api-gateway=123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway:abc123',
            'pin-image-digests': pin,
          },
          cwd: REPO_ROOT,
        },
      );
    const unpinned = await recordScenarios([{ name: 'tags kept', exitCode: 0, run: renderWith('false') }]);
    expect(unpinned).toEqual([]);
    const calls = await recordScenarios([{ name: 'digests pinned', exitCode: 0, run: renderWith('true') }]);
    expect(compareWithReadme('render-task-definition', calls)).toEqual({ unlisted: [], unexercised: [] });
  });
});

describe('ecr-secret-sync', () => {
  it('calls exactly what its README lists: ECR repositories given by name', async () => {
    const fakeGitHub = await startFakeGitHub();
    try {
      fakeGitHub.addRepository('octo-org/berth-demo', 1001);
      const ecr = createFakeEcr(['berth/api-gateway', 'berth/product-service']);
      const calls = await recordScenarios([
        {
          name: 'repository URLs looked up in ECR',
          exitCode: 0,
          run: () =>
            runSync(
              { github: fakeGitHub, ecr },
              { repositories: 'berth/api-gateway=ECR_API_URL\nberth/product-service=ECR_PRODUCT_URL' },
            ),
        },
      ]);
      expect(compareWithReadme('ecr-secret-sync', calls)).toEqual({ unlisted: [], unexercised: [] });
    } finally {
      await fakeGitHub.close();
    }
  });
});

describe('notify-lambda-url', () => {
  const servers: RecordingServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('calls exactly what its README lists: the Function URL looked up by name and invoked with IAM auth', async () => {
    const receiver = await startRecordingServer((_, __, response) => reply(response, 202, { result: 'accepted' }));
    const lambdaApi = await startRecordingServer((_, __, response) =>
      reply(response, 200, {
        FunctionUrl: `${receiver.url}/`,
        FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:berth-deploy-notifier:live',
        AuthType: 'AWS_IAM',
      }),
    );
    servers.push(receiver, lambdaApi);
    // @actions/github reads the run's context when its module loads; build it from the environment of this run.
    const Context = github.context.constructor as new () => typeof github.context;
    const notifyWith = (inputs: Record<string, string>) => () =>
      runActionFromSource(() => notify({ context: new Context() }), {
        inputs: {
          ...actionInputDefaults(join(REPO_ROOT, 'actions', 'notify-lambda-url')),
          event: 'deployed',
          environment: 'staging',
          ...inputs,
        },
        env: {
          AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
          AWS_REGION: 'eu-west-1',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL_LAMBDA: lambdaApi.url,
        },
      });
    const unsigned = await recordScenarios([
      { name: 'auth none', exitCode: 0, run: notifyWith({ url: `${receiver.url}/`, auth: 'none' }) },
    ]);
    expect(unsigned).toEqual([]);
    const calls = await recordScenarios([
      {
        name: 'function-name, auth iam',
        exitCode: 0,
        run: notifyWith({ 'function-name': 'berth-deploy-notifier:live' }),
      },
    ]);
    expect(receiver.requests).toHaveLength(2);
    expect(compareWithReadme('notify-lambda-url', calls)).toEqual({ unlisted: [], unexercised: [] });
  });
});
