import { beforeEach, describe, expect, it } from 'vitest';
import {
  alarmRollback,
  createFakeCodeDeploy,
  failingHook,
  type FakeCodeDeploy,
} from '@berth/kit/testing/fake-codedeploy';
import { createFakeEcs, type FakeEcs } from './fake-ecs';
import { onVirtualTime } from '@berth/kit/testing/virtual-time';
import { rollout, webDefinition, writeDefinition } from './harness';

describe('ecs-rollout for CODE_DEPLOY services', () => {
  onVirtualTime();
  let ecs: FakeEcs;
  let codedeploy: FakeCodeDeploy;
  let goodArn: string;
  let path: string;
  const inputs = (): Record<string, string> => ({
    'task-definition': path,
    'codedeploy-application': 'berth-web',
    'codedeploy-deployment-group': 'berth-web-prod',
    'codedeploy-deployment-config': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  });

  beforeEach(() => {
    ecs = createFakeEcs();
    codedeploy = createFakeCodeDeploy();
    goodArn = ecs.addTaskDefinition(webDefinition('registry.example/web:1.0.0'));
    ecs.addService({
      name: 'web',
      taskDefinition: goodArn,
      controller: 'CODE_DEPLOY',
      loadBalancers: [
        {
          targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef',
          containerName: 'web',
          containerPort: 8080,
        },
      ],
    });
    path = writeDefinition(webDefinition('registry.example/web:1.1.0'));
  });

  it('creates a deployment with a generated AppSpec, follows traffic shifting and succeeds', async () => {
    const run = await rollout(ecs, inputs(), { codeDeploy: codedeploy });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(JSON.parse(run.outputs['deployment-ids']!)).toEqual({ web: 'd-FAKE00001' });
    const create = codedeploy.calls('CreateDeployment')[0]!.input as {
      deploymentConfigName: string;
      revision: { revisionType: string; appSpecContent: { content: string } };
    };
    expect(create.deploymentConfigName).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes');
    expect(JSON.parse(create.revision.appSpecContent.content)).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
              LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    expect(run.stdout).toContain('traffic on the new revision: 10%');
    expect(run.stdout).toContain('AllowTraffic: Succeeded');
    expect(ecs.calls('UpdateService')).toHaveLength(0);
    expect(run.summary).toMatch(/10% of traffic on web∶2 :milestone, \d+, \d+/);
    expect(run.summary).toMatch(/all traffic shifted :milestone, \d+, \d+/);
  });

  it('reports rolled-back with the alarm that stopped the deployment', async () => {
    codedeploy.script(alarmRollback('berth-prod-api-gateway-5xx'));
    const run = await rollout(ecs, inputs(), { codeDeploy: codedeploy });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const failure = run.errors.join('\n');
    expect(failure).toContain(
      'CodeDeploy deployment d-FAKE00001 stopped: CloudWatch alarm berth-prod-api-gateway-5xx went off (ALARM_ACTIVE: ',
    );
    expect(failure).toContain(`CodeDeploy rolled back to ${goodArn}: deployment d-FAKE00002 succeeded`);
    expect(codedeploy.calls('GetDeployment').some((c) => c.input.deploymentId === 'd-FAKE00002')).toBe(true);
    expect(run.stdout).toContain('::error title=ecs-rollout%3A web rolled-back (alarm berth-prod-api-gateway-5xx)::');
    expect(run.summary).toContain('Alarm: `berth-prod-api-gateway-5xx`');
    expect(run.summary).toMatch(/failed - alarm berth-prod-api-gateway-5xx :crit, \d+, \d+/);
    expect(run.summary).toMatch(/rollback to web∶1 :done/);
  });

  it('names a lifecycle hook that failed, with its diagnostics', async () => {
    codedeploy.script(
      failingHook('AfterAllowTestTraffic', 'smoke test on the test listener: GET /health answered 503'),
    );
    const run = await rollout(ecs, inputs(), { codeDeploy: codedeploy });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.errors.join('\n')).toContain(
      'lifecycle hook AfterAllowTestTraffic failed (ScriptFailed: smoke test on the test listener: GET /health answered 503)',
    );
    expect(run.summary).toMatch(/failed - AfterAllowTestTraffic failed :crit/);
  });

  it('uses a given AppSpec file, setting its TaskDefinition and keeping its hooks', async () => {
    const appspecPath = writeDefinition(
      {
        version: 0.0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: '<TASK_DEFINITION>',
                LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
              },
            },
          },
        ],
        Hooks: [{ BeforeAllowTraffic: 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test' }],
      },
      'appspec.json',
    );
    const run = await rollout(ecs, { ...inputs(), 'codedeploy-appspec': appspecPath }, { codeDeploy: codedeploy });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const create = codedeploy.calls('CreateDeployment')[0]!.input as {
      revision: { appSpecContent: { content: string; sha256: string } };
    };
    const appspec = JSON.parse(create.revision.appSpecContent.content) as {
      Resources: { TargetService: { Properties: { TaskDefinition: string } } }[];
      Hooks: unknown[];
    };
    expect(appspec.Resources[0]!.TargetService.Properties.TaskDefinition).toBe(
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
    );
    expect(appspec.Hooks).toEqual([
      { BeforeAllowTraffic: 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test' },
    ]);
    expect(create.revision.appSpecContent.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks for the CodeDeploy application and group when they are missing', async () => {
    const run = await rollout(ecs, { 'task-definition': path }, { codeDeploy: codedeploy });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain(
      'set the "codedeploy-application" and "codedeploy-deployment-group" inputs',
    );
    expect(codedeploy.calls()).toHaveLength(0);
  });
});
