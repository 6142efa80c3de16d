import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate, type RolePermissions } from '../../checks/iam/simulator.ts';
import type { PolicyDocument } from '../../checks/iam/policy-document.ts';
import type { OfflinePlan } from '../../checks/terraform/offline-plan.ts';
import { resourceAt, resourcesOfType, type PlanJson, type ResourceChange } from '../../checks/terraform/plan-json.ts';
import {
  platformPlanOptions,
  repositoryPlanStore,
  secretsPlanOptions,
  TEST_TARGET,
} from '../../checks/terraform/repository-plans.ts';
import { prepareTerraform } from '../../checks/terraform/setup.ts';
import { skipWithoutTerraform } from '../../checks/terraform/require-terraform.ts';

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
const SERVICES = ['api-gateway', 'product-service', 'inventory-service'] as const;
/** One secret of each kind, as Secrets Manager names them (six random characters appended). */
const SECRETS: Record<string, string> = {
  'API tokens': secretArn('berth-prod-api-tokens-Lw6RyB'),
  "product-service's database user": secretArn('berth-prod-product-service-database-Qm3JtV'),
  "inventory-service's database user": secretArn('berth-prod-inventory-service-database-Pd9NsF'),
  'the master secret': secretArn('rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-AbCdEf'),
};

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
    it('needs terraform and a provider mirror', (context) => skipWithoutTerraform(context, setup));
    return;
  }

  // The IAM tests plan prod for the same target: whichever file asks first plans it for both.
  const plans = repositoryPlanStore(setup, repoRoot);
  const prod: Promise<OfflinePlan> = plans.plan(platformPlanOptions(repoRoot, 'prod', TEST_TARGET));
  const prodSecrets: Promise<OfflinePlan> = plans.plan(secretsPlanOptions(repoRoot, 'prod', TEST_TARGET));
  // An internal service's execution role reads the RDS-managed master secret, whose ARN exists only after apply, to
  // inject the owner into the task's migrate container; the module planned with known ARNs, as the platform hands
  // them to product-service, shows the documents it renders from them.
  const masterSecret = secretArn('rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-AbCdEf');
  const productExecutionSecrets = [masterSecret];
  const productTaskSecrets = { 'database-user': secretArn('berth-prod-product-service-database-??????') };
  const roles: Promise<OfflinePlan> = plans.plan({
    dir: join(repoRoot, 'terraform', 'modules', 'ecs-task-roles'),
    accountId: TEST_TARGET.accountId,
    region: TEST_TARGET.region,
    vars: {
      name_prefix: 'berth-prod-product-service',
      secret_arns: productExecutionSecrets,
      task_secret_arns: productTaskSecrets,
    },
  });
  prod.catch(() => undefined);
  prodSecrets.catch(() => undefined);
  roles.catch(() => undefined);

  afterAll(async () => {
    await Promise.allSettled([prod, prodSecrets, roles]);
    rmSync(setup.workDir, { recursive: true, force: true });
  }, TIMEOUT);

  it(
    'gives every service a task role and an execution role of its own, named after it',
    async () => {
      const { plan } = await prod;
      const roles = resourcesOfType(plan, 'aws_iam_role')
        .filter((role) => role.address.startsWith('module.service['))
        .map((role) => `${String(role.values.path)}${String(role.values.name)}`);
      expect(roles.sort()).toEqual(
        SERVICES.flatMap((service) => [`/berth-prod-${service}-execution`, `/berth-prod-${service}-task`]).sort(),
      );
    },
    TIMEOUT,
  );

  it(
    "lets each service's roles read only that service's own secrets: product-service's cannot read inventory-service's",
    async () => {
      const { plan } = await prod;
      const readable: Record<string, string[]> = {};
      const unknown: string[] = [];
      for (const service of SERVICES) {
        for (const kind of ['execution', 'task'] as const) {
          const role = `berth-prod-${service}-${kind}`;
          readable[role] = [];
          const prefix = `module.service["${service}"].module.roles[0].aws_iam_role_policy.`;
          const attached = (plan.resource_changes ?? []).filter(
            (change) => change.address.startsWith(prefix) && change.change.after?.role === role,
          );
          for (const { address, change } of attached) {
            if (typeof change.after?.policy !== 'string') {
              unknown.push(address);
              continue;
            }
            const policy = JSON.parse(change.after.policy) as PolicyDocument;
            for (const [name, arn] of Object.entries(SECRETS)) {
              if ((await mayRead(policy, role, arn)) && !readable[role].includes(name)) readable[role].push(name);
            }
          }
        }
      }
      expect(readable).toEqual({
        'berth-prod-api-gateway-execution': ['API tokens'],
        'berth-prod-api-gateway-task': [],
        'berth-prod-product-service-execution': [],
        'berth-prod-product-service-task': ["product-service's database user"],
        'berth-prod-inventory-service-execution': [],
        'berth-prod-inventory-service-task': ["inventory-service's database user"],
      });
      // Known only after apply: the execution policies naming the RDS-managed master secret (checked below).
      expect(unknown.sort()).toEqual([
        'module.service["inventory-service"].module.roles[0].aws_iam_role_policy.execution_secrets[0]',
        'module.service["product-service"].module.roles[0].aws_iam_role_policy.execution_secrets[0]',
      ]);
    },
    TIMEOUT,
  );

  it(
    "product-service's task role cannot read the master secret: every policy of the internal services' task roles is known and refuses it",
    async () => {
      const { plan } = await prod;
      for (const service of ['product-service', 'inventory-service']) {
        const role = `berth-prod-${service}-task`;
        const changes = (plan.resource_changes ?? []).filter((change) => change.change.after?.role === role);
        expect(changes.length, `${role} has policies in the plan`).toBeGreaterThan(0);
        for (const { address, change } of changes) {
          // A policy unknown until apply could name anything, the master secret among them (and an attached managed
          // policy has no document here at all).
          expect(typeof change.after?.policy, `${address}: its document is known while planning`).toBe('string');
          const policy = JSON.parse(String(change.after?.policy)) as PolicyDocument;
          expect(
            await mayRead(policy, role, SECRETS['the master secret'] ?? ''),
            `${address} reads the master secret`,
          ).toBe(false);
        }
      }
    },
    TIMEOUT,
  );

  it(
    "renders product-service's role policies: the execution role reads the master secret alone, the task role its own user's",
    async () => {
      const { plan } = await roles;
      const readers = {
        'berth-prod-product-service-execution': policyOf(plan, 'aws_iam_role_policy.execution_secrets[0]'),
        'berth-prod-product-service-task': policyOf(plan, 'aws_iam_role_policy.task_secrets["database-user"]'),
      };
      expect(Object.values(readers)).toEqual([
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: masterSecret }],
        },
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: productTaskSecrets['database-user'] },
          ],
        },
      ]);
      expect(
        (plan.resource_changes ?? [])
          .filter((change) => change.type === 'aws_iam_role_policy')
          .map((change) => change.address)
          .sort(),
      ).toEqual(['aws_iam_role_policy.execution_secrets[0]', 'aws_iam_role_policy.task_secrets["database-user"]']);
      const readable: Record<string, string[]> = {};
      for (const [role, policy] of Object.entries(readers)) {
        readable[role] = [];
        for (const [name, arn] of Object.entries(SECRETS))
          if (await mayRead(policy, role, arn)) readable[role].push(name);
      }
      // ECS reads the owner with the execution role to inject it into the migrate container, whose credentials no
      // container sees; the application's own role reads its own user only.
      expect(readable).toEqual({
        'berth-prod-product-service-execution': ['the master secret'],
        'berth-prod-product-service-task': ["product-service's database user"],
      });
      expect(changeAt(plan, 'aws_iam_role.task').change.after).toMatchObject({
        name: 'berth-prod-product-service-task',
        path: '/',
      });
      expect(changeAt(plan, 'aws_iam_role.execution').change.after).toMatchObject({
        name: 'berth-prod-product-service-execution',
        path: '/',
      });
    },
    TIMEOUT,
  );

  it(
    'plans the generated secrets without a value: written once, write-only, kept current by a label of their own',
    async () => {
      const { plan } = await prodSecrets;
      const versions = (plan.resource_changes ?? []).filter(
        (change) => change.type === 'aws_secretsmanager_secret_version',
      );
      // The platform itself only looks them up: a refresh of a version would read the value (the plan role may not).
      const platform = (await prod).plan;
      expect(
        (platform.resource_changes ?? []).filter((change) => change.type.startsWith('aws_secretsmanager_')),
      ).toEqual([]);
      expect(versions.map((change) => change.address).sort()).toEqual([
        'module.api_tokens.aws_secretsmanager_secret_version.initial[0]',
        'module.database_user_secret["inventory-service"].aws_secretsmanager_secret_version.initial[0]',
        'module.database_user_secret["product-service"].aws_secretsmanager_secret_version.initial[0]',
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
