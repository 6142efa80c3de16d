import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../checks/iam/policy-document.ts';
import type { OfflinePlan } from '../../checks/terraform/offline-plan.ts';
import { resourceAt, resourcesOfType, type PlanJson } from '../../checks/terraform/plan-json.ts';
import { platformPlanOptions, repositoryPlanStore, TEST_TARGET } from '../../checks/terraform/repository-plans.ts';
import { prepareTerraform } from '../../checks/terraform/setup.ts';
import { skipWithoutTerraform } from '../../checks/terraform/require-terraform.ts';

/**
 * Who may publish to an environment's alarm topic, decided by the IAM policy simulator on the topic policy the real
 * provider renders for prod: CloudWatch for prod's own alarms and EventBridge for prod's own rules, nothing that
 * another environment (dev, in the same account) can create.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const setup = prepareTerraform();
const TIMEOUT = 300_000;
const { accountId: ACCOUNT, region: REGION } = TEST_TARGET;
const PROD_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:berth-prod-alarms`;
const alarmArn = (name: string, account = ACCOUNT) => `arn:aws:cloudwatch:${REGION}:${account}:alarm:${name}`;
const ruleArn = (name: string, account = ACCOUNT) => `arn:aws:events:${REGION}:${account}:rule/${name}`;

interface Publish {
  /** The service principal that delivers: cloudwatch.amazonaws.com for alarms, events.amazonaws.com for rules. */
  service: string;
  /** The alarm or rule on whose behalf it publishes (aws:SourceArn). */
  sourceArn: string;
  /** The account of that alarm or rule (aws:SourceAccount). */
  sourceAccount?: string;
}

/** Whether the topic policy lets `service` publish to prod's topic for `sourceArn`, as SNS authorises it. */
async function mayPublish(topicPolicy: PolicyDocument, publish: Publish): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: publish.service,
        action: 'sns:Publish',
        resource: { resource: PROD_TOPIC, accountId: ACCOUNT },
        contextVariables: {
          'aws:SourceArn': publish.sourceArn,
          'aws:SourceAccount': publish.sourceAccount ?? publish.sourceArn.split(':')[4] ?? '',
        },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: topicPolicy,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') {
    throw new Error(
      `the simulator cannot evaluate sns:Publish for ${publish.sourceArn}: ${JSON.stringify(result.errors)}`,
    );
  }
  return result.overallResult === 'Allowed';
}

function topicPolicyOf(plan: PlanJson): PolicyDocument {
  const policy = resourceAt(plan, 'module.notifier.aws_sns_topic_policy.alarms').values.policy;
  if (typeof policy !== 'string') throw new Error("the alarm topic's policy is not known while planning");
  return JSON.parse(policy) as PolicyDocument;
}

describe("prod's alarm topic, planned by the real provider", () => {
  if ('missing' in setup) {
    it('needs terraform and a provider mirror', (context) => skipWithoutTerraform(context, setup));
    return;
  }

  // The same prod plan as the other real-provider tests: the plan store makes it once per run.
  const prod: Promise<OfflinePlan> = repositoryPlanStore(setup, repoRoot).plan(
    platformPlanOptions(repoRoot, 'prod', TEST_TARGET),
  );
  prod.catch(() => undefined);

  afterAll(async () => {
    await prod.catch(() => undefined);
    rmSync(setup.workDir, { recursive: true, force: true });
  }, TIMEOUT);

  it(
    "refuses a dev alarm or rule, and another account's, publishing to prod's topic",
    async () => {
      const policy = topicPolicyOf((await prod).plan);
      const attacks: Array<[string, Publish]> = [
        ['a dev alarm', { service: 'cloudwatch.amazonaws.com', sourceArn: alarmArn('berth-dev-api-gateway-5xx') }],
        ['a dev rule', { service: 'events.amazonaws.com', sourceArn: ruleArn('berth-dev-ecs-deployment-failures') }],
        ['an alarm named like no environment', { service: 'cloudwatch.amazonaws.com', sourceArn: alarmArn('fake') }],
        ['a rule delivered as an alarm', { service: 'cloudwatch.amazonaws.com', sourceArn: ruleArn('berth-prod-x') }],
        ['an alarm delivered as a rule', { service: 'events.amazonaws.com', sourceArn: alarmArn('berth-prod-x') }],
        [
          "another account's alarm named like prod's",
          { service: 'cloudwatch.amazonaws.com', sourceArn: alarmArn('berth-prod-api-gateway-5xx', '444455556666') },
        ],
        [
          "prod's alarm name claimed from another account",
          {
            service: 'cloudwatch.amazonaws.com',
            sourceArn: alarmArn('berth-prod-api-gateway-5xx'),
            sourceAccount: '444455556666',
          },
        ],
      ];
      const allowed: string[] = [];
      for (const [name, publish] of attacks) if (await mayPublish(policy, publish)) allowed.push(name);
      expect(allowed).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "lets every alarm and rule of prod's plan publish to its topic",
    async () => {
      const { plan } = await prod;
      const policy = topicPolicyOf(plan);
      const alarms = resourcesOfType(plan, 'aws_cloudwatch_metric_alarm').map((alarm) =>
        String(alarm.values.alarm_name),
      );
      const rules = resourcesOfType(plan, 'aws_cloudwatch_event_rule').map((rule) => String(rule.values.name));
      expect(alarms.length).toBeGreaterThan(10);
      expect(rules).toContain('berth-prod-ecs-deployment-failures');
      const refused: string[] = [];
      for (const name of alarms) {
        const publish = { service: 'cloudwatch.amazonaws.com', sourceArn: alarmArn(name) };
        if (!(await mayPublish(policy, publish))) refused.push(publish.sourceArn);
      }
      for (const name of rules) {
        const publish = { service: 'events.amazonaws.com', sourceArn: ruleArn(name) };
        if (!(await mayPublish(policy, publish))) refused.push(publish.sourceArn);
      }
      expect(refused).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'tells the notifier the same ARN prefixes, one a line (ALLOWED_SOURCE_ARN_PREFIXES)',
    async () => {
      const { plan } = await prod;
      const environment = resourceAt(plan, 'module.notifier.aws_lambda_function.this').values.environment as Array<{
        variables: Record<string, string>;
      }>;
      expect(environment[0]?.variables.ALLOWED_SOURCE_ARN_PREFIXES).toBe(
        [alarmArn('berth-prod-'), ruleArn('berth-prod-')].join('\n'),
      );
    },
    TIMEOUT,
  );
});
