import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate, type RolePermissions } from '../../checks/iam/simulator.ts';
import type { PolicyDocument } from '../../checks/iam/policy-document.ts';
import type { OfflinePlan } from '../../checks/terraform/offline-plan.ts';
import { resourceAt, type PlanJson, type ResourceChange } from '../../checks/terraform/plan-json.ts';
import { platformPlanOptions, repositoryPlanStore, TEST_TARGET } from '../../checks/terraform/repository-plans.ts';
import { prepareTerraform } from '../../checks/terraform/setup.ts';

/**
 * What mocked `terraform test` suites cannot show, planned by the real AWS provider without an account: the secret
 * policies of the task roles (evaluated by the IAM policy simulator), prod's edge (web ACL, certificate, HTTPS
 * listener), the generated secrets planned without a value, and the task-definition templates' placeholders
 * against the platform's real outputs.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const setup = prepareTerraform();
const TIMEOUT = 300_000;
const ACCOUNT = TEST_TARGET.accountId;
const secretArn = (name: string) => `arn:aws:secretsmanager:${TEST_TARGET.region}:${ACCOUNT}:secret:${name}`;

type OutputChange = { after?: unknown; after_unknown?: unknown };
type FullPlan = PlanJson & { output_changes?: Record<string, OutputChange> };

function changeAt(plan: PlanJson, address: string): ResourceChange {
  const change = plan.resource_changes?.find((candidate) => candidate.address === address);
  if (!change) throw new Error(`the plan has no change for ${address}`);
  return change;
}

function policyOf(plan: PlanJson, address: string): PolicyDocument {
  const policy = resourceAt(plan, address).values.policy;
  if (typeof policy !== 'string') throw new Error(`${address}: its policy is not known while planning`);
  return JSON.parse(policy) as PolicyDocument;
}

async function mayRead(policy: PolicyDocument, role: string, secret: string): Promise<boolean> {
  const permissions: RolePermissions = {
    arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    policies: [policy],
    permissionsBoundary: null,
  };
  return (await simulate(permissions, { action: 'secretsmanager:GetSecretValue', resource: secret })) === 'Allowed';
}

/** `${name}` placeholders of a template, without the `$${...}` escapes. */
function placeholders(template: string): string[] {
  return [...template.matchAll(/(?<!\$)\$\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

describe('prod planned by the real provider', () => {
  if ('missing' in setup) {
    it('needs terraform and a provider mirror', (context) => {
      if (process.env.CI === 'true') throw new Error(`CI=true: the Terraform checks must run, but ${setup.missing}`);
      context.skip(setup.missing);
    });
    return;
  }

  // The IAM tests plan prod for the same target: whichever file asks first plans it for both.
  const plans = repositoryPlanStore(setup, repoRoot);
  const prod: Promise<OfflinePlan> = plans.plan(platformPlanOptions(repoRoot, 'prod', TEST_TARGET));
  // The task role's secrets include the RDS-managed one, whose ARN exists only after apply; the module planned
  // with known ARNs shows the document it renders from them.
  const taskSecrets = [secretArn('rds!db-0f1e2d3c-AbCdEf'), secretArn('berth-prod-product-service-database-??????')];
  const roles: Promise<OfflinePlan> = plans.plan({
    dir: join(repoRoot, 'terraform', 'modules', 'ecs-task-roles'),
    accountId: TEST_TARGET.accountId,
    region: TEST_TARGET.region,
    vars: {
      name_prefix: 'berth-prod',
      secret_arns: [secretArn('berth-prod-api-tokens-??????')],
      task_secret_arns: taskSecrets,
    },
  });
  prod.catch(() => undefined);
  roles.catch(() => undefined);

  afterAll(async () => {
    await Promise.allSettled([prod, roles]);
    rmSync(setup.workDir, { recursive: true, force: true });
  }, TIMEOUT);

  it(
    "grants the execution role exactly the API tokens secret it injects into the gateway's tasks",
    async () => {
      const { plan } = await prod;
      const policy = policyOf(plan, 'module.task_roles[0].aws_iam_role_policy.execution_secrets[0]');
      expect(policy).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: secretArn('berth-prod-api-tokens-??????'),
          },
        ],
      });
      const role = 'berth-prod-ecs-execution';
      expect(await mayRead(policy, role, secretArn('berth-prod-api-tokens-Lw6RyB'))).toBe(true);
      for (const other of [
        'berth-prod-api-tokens-old-Lw6RyB',
        'berth-staging-api-tokens-Lw6RyB',
        'berth-prod-product-service-database-Qm3JtV',
        'rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-AbCdEf',
      ]) {
        expect(await mayRead(policy, role, secretArn(other)), other).toBe(false);
      }
    },
    TIMEOUT,
  );

  it(
    'renders the task role policy from exactly the secrets the application reads',
    async () => {
      const { plan } = await roles;
      expect(policyOf(plan, 'aws_iam_role_policy.task_secrets[0]')).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: taskSecrets }],
      });
      const policy = policyOf(plan, 'aws_iam_role_policy.task_secrets[0]');
      const role = 'berth-prod-ecs-task';
      expect(await mayRead(policy, role, secretArn('rds!db-0f1e2d3c-AbCdEf'))).toBe(true);
      expect(await mayRead(policy, role, secretArn('berth-prod-product-service-database-Qm3JtV'))).toBe(true);
      expect(await mayRead(policy, role, secretArn('berth-prod-inventory-service-database-Pd9NsF'))).toBe(false);
      expect(await mayRead(policy, role, secretArn('berth-prod-api-tokens-Lw6RyB'))).toBe(false);

      // In prod the same document waits for the database: its owner secret is known only after apply.
      const { plan: prodPlan } = await prod;
      const prodTaskPolicy = changeAt(prodPlan, 'module.task_roles[0].aws_iam_role_policy.task_secrets[0]');
      expect(prodTaskPolicy.change.after_unknown).toMatchObject({ policy: true });
    },
    TIMEOUT,
  );

  it(
    'plans the generated secrets without a value: written once, write-only, kept current by a label of their own',
    async () => {
      const { plan } = await prod;
      const versions = (plan.resource_changes ?? []).filter(
        (change) => change.type === 'aws_secretsmanager_secret_version',
      );
      expect(versions.map((change) => change.address).sort()).toEqual([
        'module.api_tokens.aws_secretsmanager_secret_version.initial',
        'module.database_user_secret["inventory-service"].aws_secretsmanager_secret_version.initial',
        'module.database_user_secret["product-service"].aws_secretsmanager_secret_version.initial',
      ]);
      for (const { address, change } of versions) {
        expect(change.after, address).toMatchObject({
          secret_string: null,
          secret_string_wo: null,
          secret_string_wo_version: 1,
          version_stages: ['AWSCURRENT', 'terraform-initial'],
        });
        expect(change.after_unknown, address).not.toHaveProperty('secret_string_wo');
      }
      const secretNames = (plan.resource_changes ?? [])
        .filter((change) => change.type === 'aws_secretsmanager_secret')
        .map((change) => [change.change.after?.name, change.change.after?.recovery_window_in_days]);
      expect(secretNames).toEqual(
        expect.arrayContaining([
          ['berth-prod-api-tokens', 30],
          ['berth-prod-product-service-database', 30],
          ['berth-prod-inventory-service-database', 30],
        ]),
      );
    },
    TIMEOUT,
  );

  it(
    'serves HTTPS on the domain in prod.tfvars with a DNS-validated certificate, behind the web ACL',
    async () => {
      const { plan } = await prod;
      expect(changeAt(plan, 'module.edge.aws_acm_certificate.this[0]').change.after).toMatchObject({
        domain_name: 'api.berth.example.com',
        validation_method: 'DNS',
      });
      // The listener's certificate comes from the validation, so it is unknown while planning, yet the listener
      // (and the redirect) are planned: the alb module is told about HTTPS by a flag known in advance.
      const production = changeAt(plan, 'module.alb.aws_lb_listener.production_blue_green[0]').change;
      expect(production.after).toMatchObject({ port: 443, protocol: 'HTTPS' });
      expect(production.after_unknown).toMatchObject({ certificate_arn: true });
      expect(changeAt(plan, 'module.alb.aws_lb_listener.http[0]').change.after).toMatchObject({
        port: 80,
        default_action: [{ type: 'redirect', redirect: [{ protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' }] }],
      });

      const acl = changeAt(plan, 'module.edge.aws_wafv2_web_acl.this[0]').change.after as Record<string, unknown>;
      expect(acl).toMatchObject({ name: 'berth-prod', scope: 'REGIONAL', default_action: [{ allow: [{}] }] });
      const rules = acl.rule as Array<Record<string, unknown>>;
      expect(rules.map((rule) => [rule.name, rule.priority]).sort()).toEqual([
        ['aws-common-rule-set', 1],
        ['rate-limit-per-address', 0],
      ]);
      expect(rules.find((rule) => rule.name === 'rate-limit-per-address')).toMatchObject({
        action: [{ block: [{ custom_response: [{ response_code: 429 }] }] }],
        statement: [{ rate_based_statement: [{ limit: 3000, aggregate_key_type: 'IP', evaluation_window_sec: 300 }] }],
      });
      expect(rules.find((rule) => rule.name === 'aws-common-rule-set')).toMatchObject({
        statement: [
          {
            managed_rule_group_statement: [
              {
                vendor_name: 'AWS',
                name: 'AWSManagedRulesCommonRuleSet',
                rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: [{ count: [{}] }] }],
              },
            ],
          },
        ],
      });
      expect(changeAt(plan, 'module.edge.aws_wafv2_web_acl_association.this[0]').change.actions).toEqual(['create']);
    },
    TIMEOUT,
  );

  it(
    "fills every placeholder of the services' task-definition templates from the platform's variables and outputs",
    async () => {
      const { plan } = (await prod) as { plan: FullPlan };
      const outputs = plan.output_changes ?? {};
      const variables = plan.variables ?? {};
      const keysOf = (value: unknown): string[] =>
        typeof value === 'object' && value !== null ? Object.keys(value) : [];
      const unresolved: string[] = [];
      for (const service of ['api-gateway', 'product-service', 'inventory-service']) {
        const path = `services/${service}/task-definition.json`;
        for (const placeholder of placeholders(readFileSync(join(repoRoot, path), 'utf8'))) {
          const [name = '', key] = placeholder.split('.', 2);
          if (name === 'images' || name === 'environment') continue; // given to the render action, not Terraform
          const output = outputs[name];
          const known =
            output !== undefined
              ? key === undefined || [...keysOf(output.after), ...keysOf(output.after_unknown)].includes(key)
              : variables[name] !== undefined && (key === undefined || keysOf(variables[name]?.value).includes(key));
          if (!known) unresolved.push(`${path}: \${${placeholder}}`);
        }
      }
      expect(unresolved).toEqual([]);
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining(['api_tokens_secret_arn', 'database_user_secret_arns', 'cors_origins']),
      );
    },
    TIMEOUT,
  );
});
