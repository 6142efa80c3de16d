import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareTerraform, resourcesOfType, skipWithoutTerraform } from '@berth/terraform-harness';
import { readActionPermissions } from '../action-permissions.ts';
import { githubToken, type GitHubToken, type JobContext } from '../github-token.ts';
import { asList, parsePolicyDocument, statementsOf, type PolicyDocument } from '../policy-document.ts';
import { ofType } from '../platform-plan.ts';
import {
  readOnlyPlanCalls,
  SECRET_VALUE_READS,
  secretsRootCalls,
  WORKFLOW_JOBS,
  type JobInputs,
  type RoleKind,
  type WorkflowJob,
} from '../job-calls.ts';
import {
  DEPLOY_ENVIRONMENTS,
  type DeployEnvironment,
  type EnvironmentReport,
  type RoleReport,
} from '../role-report.ts';
import { decideCall, type Decision, type JobCall } from '../simulator.ts';
import { evaluateTrust } from '../trust-evaluation.ts';
import { at, planAccount, repoRoot, repository, senderOf } from './planned-account.ts';

/**
 * Every role of every environment, as Terraform renders it, evaluated by the IAM policy simulator: each workflow
 * job may make every call it makes on its own environment's resources and none on another environment's, and
 * only jobs of its own environment may assume it.
 */
const setup = prepareTerraform();
const TIMEOUT = 600_000;

const permissionsOf = (action: string) => readActionPermissions(repoRoot, action);

function roleOf(report: EnvironmentReport, purpose: RoleKind): RoleReport {
  const role = report.roles.find((candidate) => candidate.purpose === purpose);
  if (role === undefined) throw new Error(`the ${report.environment} report has no ${purpose} role`);
  return role;
}

const decisions = new Map<string, Promise<Decision>>();

/** The simulator's decision, once per role and distinct call. */
function decide(role: RoleReport, call: JobCall): Promise<Decision> {
  const key = JSON.stringify([role.arn, call.action, call.resource, call.context ?? {}]);
  let decision = decisions.get(key);
  if (decision === undefined) {
    decision = decideCall(
      { arn: role.arn, policies: role.policies, permissionsBoundary: role.permissionsBoundary },
      call,
    );
    decisions.set(key, decision);
  }
  return decision;
}

function describeCall(call: JobCall): string {
  const context = call.context === undefined ? '' : ` ${JSON.stringify(call.context)}`;
  return `${call.action} on ${call.resource}${context} (${call.origin})`;
}

/** The calls whose decision differs from `expected`, described. */
async function callsNot(expected: 'allowed' | 'denied', role: RoleReport, calls: JobCall[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const call of calls) {
    const decision = await decide(role, call);
    if ((decision === 'Allowed') !== (expected === 'allowed')) wrong.push(`${decision}: ${describeCall(call)}`);
  }
  return [...new Set(wrong)];
}

interface LabelledToken {
  label: string;
  token: GitHubToken;
}

/**
 * Tokens of the jobs that matter to the trust of environment E's roles: the ones Berth's workflows run, and what an
 * attacker holding a branch, a pull request, a tag, a fork or another repository could present.
 */
function jobTokensFor(environment: DeployEnvironment): LabelledToken[] {
  const main = 'refs/heads/main';
  const inEnvironment = (name: string, workflow: string, ref = main): JobContext => ({
    kind: 'environment',
    name,
    workflow,
    workflowRef: ref,
  });
  const onBranch = (name: string, workflow: string): JobContext => ({
    kind: 'branch',
    name,
    workflow,
    workflowRef: `refs/heads/${name}`,
  });
  const pullRequest = (workflow: string): JobContext => ({
    kind: 'pull-request',
    workflow,
    workflowRef: 'refs/pull/7/merge',
  });
  const ours = (label: string, job: JobContext): LabelledToken => ({ label, token: githubToken(repository, job) });
  const others = DEPLOY_ENVIRONMENTS.filter((other) => other !== environment);
  return [
    ours(`terraform-apply.yml in ${environment} on main`, inEnvironment(environment, 'terraform-apply.yml')),
    ours(`terraform-destroy.yml in ${environment} on main`, inEnvironment(environment, 'terraform-destroy.yml')),
    ours(`deploy-environment.yml in ${environment} on main`, inEnvironment(environment, 'deploy-environment.yml')),
    ours('plan-review.yml in a pull request', pullRequest('plan-review.yml')),
    ours('drift.yml on main', onBranch('main', 'drift.yml')),
    ours('deploy.yml on main', onBranch('main', 'deploy.yml')),
    // A branch other than main: the environment's branch policy is the first guard, the trust policy the second.
    ours(
      `terraform-apply.yml in ${environment} from branch feature/x`,
      inEnvironment(environment, 'terraform-apply.yml', 'refs/heads/feature/x'),
    ),
    ours(
      `deploy-environment.yml in ${environment} from branch feature/x`,
      inEnvironment(environment, 'deploy-environment.yml', 'refs/heads/feature/x'),
    ),
    ...others.map((other) =>
      ours(`terraform-apply.yml in ${other} on main`, inEnvironment(other, 'terraform-apply.yml')),
    ),
    ...others.map((other) =>
      ours(`deploy-environment.yml in ${other} on main`, inEnvironment(other, 'deploy-environment.yml')),
    ),
    ours(`another workflow (ci.yml) in ${environment} on main`, inEnvironment(environment, 'ci.yml')),
    ours(
      `terraform-apply.yml in ${environment} from tag v1.0.0`,
      inEnvironment(environment, 'terraform-apply.yml', 'refs/tags/v1.0.0'),
    ),
    ours('deploy.yml on tag v1.0.0', {
      kind: 'tag',
      name: 'v1.0.0',
      workflow: 'deploy.yml',
      workflowRef: 'refs/tags/v1.0.0',
    }),
    ours('terraform-apply.yml in a pull request', pullRequest('terraform-apply.yml')),
    ours('deploy.yml in a pull request', pullRequest('deploy.yml')),
    ours('plan-review.yml on branch feature/x', onBranch('feature/x', 'plan-review.yml')),
    ours('drift.yml on branch feature/x', onBranch('feature/x', 'drift.yml')),
    ours('deploy.yml on branch feature/x', onBranch('feature/x', 'deploy.yml')),
    ours(`drift.yml in ${environment} on main`, inEnvironment(environment, 'drift.yml')),
    ours('a job on main outside any environment (ci.yml)', onBranch('main', 'ci.yml')),
    {
      label: `a fork's terraform-apply.yml in its environment ${environment} on main`,
      token: githubToken('mallory/berth', inEnvironment(environment, 'terraform-apply.yml')),
    },
    {
      label: "a fork's plan-review.yml in its pull request",
      token: githubToken('mallory/berth', pullRequest('plan-review.yml')),
    },
    {
      label: "a fork's deploy.yml on its main",
      token: githubToken('mallory/berth', onBranch('main', 'deploy.yml')),
    },
    {
      label: `another repository calling Berth's deploy-environment.yml in its environment ${environment}`,
      token: githubToken('mallory/app', {
        ...inEnvironment(environment, 'deploy-environment.yml'),
        workflowRepository: repository,
      }),
    },
    // Under GitHub's default subject template a job names only its environment (or ref), whatever branch and
    // workflow it runs: before Berth's template, any branch's job in the environment presented this.
    {
      label: `any branch's job in ${environment}, default subject template`,
      token: { sub: `repo:${repository}:environment:${environment}`, aud: 'sts.amazonaws.com' },
    },
    {
      label: 'any job on main, default subject template',
      token: { sub: `repo:${repository}:ref:refs/heads/main`, aud: 'sts.amazonaws.com' },
    },
    {
      label: 'any pull request, default subject template',
      token: { sub: `repo:${repository}:pull_request`, aud: 'sts.amazonaws.com' },
    },
    {
      label: `terraform-apply.yml in ${environment} on main, token for another audience`,
      token: githubToken(repository, inEnvironment(environment, 'terraform-apply.yml'), 'https://github.com/acme'),
    },
  ];
}

/** Calls described by hand for the containment tests: what an attacker would try, not what a job does. */
function probe(action: string, resource: string, context?: Record<string, string | string[]>): JobCall {
  return { action, resource, context, scope: 'environment', origin: 'probe' };
}

/** Reading terraform/secrets: the three secret values (its versions' refresh) and its state object. */
function secretValueAndStateReads(inputs: JobInputs): JobCall[] {
  const valueReads = secretsRootCalls(inputs, ['read']).filter((call) => SECRET_VALUE_READS.includes(call.action));
  expect(valueReads.length).toBe(3);
  return [...valueReads, probe('s3:GetObject', inputs.resources.secretsStateObjectArn)];
}

const arnIn = (service: string, rest: string) => `arn:${at.partition}:${service}:${at.region}:${at.accountId}:${rest}`;
const iamArn = (rest: string) => `arn:${at.partition}:iam::${at.accountId}:${rest}`;

describe('roles per environment and job, proven with the IAM policy simulator', { timeout: TIMEOUT }, () => {
  if ('missing' in setup) {
    it('needs terraform and a provider mirror', (context) =>
      skipWithoutTerraform(context, setup, 'the IAM simulator tests'));
    return;
  }

  const account = planAccount(setup);
  afterAll(() => rmSync(setup.workDir, { recursive: true, force: true }));

  async function inputsFor(environment: DeployEnvironment): Promise<JobInputs> {
    return {
      environment,
      resources: (await account.reports[environment]).resources,
      platform: await account.platforms[environment],
      at,
      permissionsOf,
    };
  }

  describe.each(DEPLOY_ENVIRONMENTS)('%s: who may assume which role (trust policies, C2)', (environment) => {
    const jobs = jobTokensFor(environment);
    const trusted: Record<RoleKind, string[]> = {
      terraform: [`terraform-apply.yml in ${environment} on main`, `terraform-destroy.yml in ${environment} on main`],
      deploy: [`deploy-environment.yml in ${environment} on main`],
      plan: ['plan-review.yml in a pull request', 'drift.yml on main'],
      build: ['deploy.yml on main'],
    };

    describe.each(Object.keys(trusted) as RoleKind[])('%s role', (purpose) => {
      it.each(jobs.map((job) => [job.label, job] as const))('%s', async (label, job) => {
        const role = roleOf(await account.reports[environment], purpose);
        const decision = await evaluateTrust(role.trustPolicy, {
          roleArn: role.arn,
          providerArn: `arn:aws:iam::${at.accountId}:oidc-provider/token.actions.githubusercontent.com`,
          token: job.token,
        });
        expect(decision.allowed, `${label}: ${decision.reason}`).toBe(trusted[purpose].includes(label));
      });
    });

    it('no two roles trust one subject (a deploy job cannot assume the terraform role)', async () => {
      const report = await account.reports[environment];
      const subjects = report.roles.flatMap((role) =>
        statementsOf(role.trustPolicy).flatMap((statement) =>
          Object.values(statement.Condition ?? {}).flatMap((entries) =>
            asList(entries['token.actions.githubusercontent.com:sub'] as string | string[] | undefined).map(
              (subject) => `${role.purpose} ${subject}`,
            ),
          ),
        ),
      );
      const bySubject = new Map<string, string[]>();
      for (const entry of subjects) {
        const [purpose = '', subject = ''] = [entry.slice(0, entry.indexOf(' ')), entry.slice(entry.indexOf(' ') + 1)];
        bySubject.set(subject, [...(bySubject.get(subject) ?? []), purpose]);
      }
      expect(subjects.length).toBeGreaterThan(0);
      expect([...bySubject].filter(([, purposes]) => purposes.length > 1)).toEqual([]);
    });
  });

  it('the account-wide writes of the terraform jobs are exactly those environment-access/README.md lists', async () => {
    const readme = readFileSync(join(repoRoot, 'terraform', 'modules', 'environment-access', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Account-wide permissions'));
    const listed = [...section.matchAll(/^\| `([\w-]+:\w+)` \|/gm)].map((match) => match[1]).sort();
    const writes = new Set<string>();
    for (const environment of DEPLOY_ENVIRONMENTS) {
      const inputs = await inputsFor(environment);
      for (const job of WORKFLOW_JOBS.filter((candidate) => candidate.role === 'terraform')) {
        for (const call of job.calls(inputs)) {
          const verb = call.action.split(':')[1] ?? '';
          if (call.scope === 'account' && !/^(Describe|Get|List)/.test(verb)) writes.add(call.action);
        }
      }
    }
    expect([...writes].sort()).toEqual(listed);
  });

  describe('what IAM enforces at apply time', () => {
    it('every managed policy fits 6,144 characters and every role 10 managed policies', async () => {
      const plan = await account.storage;
      const sizes = resourcesOfType(plan, 'aws_iam_policy').map(
        (policy) => [String(policy.values.name), String(policy.values.policy).replace(/\s/g, '').length] as const,
      );
      expect(sizes.length).toBeGreaterThan(0);
      expect(sizes.filter(([, size]) => size > 6144)).toEqual([]);
      const attachments = resourcesOfType(plan, 'aws_iam_role_policy_attachment').map((a) => String(a.values.role));
      const perRole = new Map<string, number>();
      for (const role of attachments) perRole.set(role, (perRole.get(role) ?? 0) + 1);
      expect([...perRole].filter(([, count]) => count > 10)).toEqual([]);
    });

    it('no policy allows iam:PassRole (or IAM at large) on every resource, or allows by NotAction', async () => {
      const plan = await account.storage;
      const offending = resourcesOfType(plan, 'aws_iam_policy').flatMap((policy) =>
        statementsOf(parsePolicyDocument(policy.values.policy, policy.address))
          .filter((statement) => statement.Effect === 'Allow')
          .filter(
            (statement) =>
              statement.NotAction !== undefined ||
              statement.NotResource !== undefined ||
              (asList(statement.Resource).includes('*') &&
                asList(statement.Action).some((action) => /^(\*|iam:\*|iam:PassRole|iam:Pass\*)$/i.test(action))),
          )
          .map((statement) => `${String(policy.values.name)} ${statement.Sid ?? ''}`),
      );
      expect(offending).toEqual([]);
    });
  });

  describe.each(DEPLOY_ENVIRONMENTS)(
    '%s: names the roles are scoped to are the names the platform uses',
    (environment) => {
      it('cluster, services, task roles, notifier, state object and image repositories', async () => {
        const report = await account.reports[environment];
        const platform = await account.platforms[environment];
        const { resources } = report;
        const arnOf = (service: string, rest: string) =>
          `arn:${at.partition}:${service}:${at.region}:${at.accountId}:${rest}`;
        const cluster = String(ofType(platform, 'aws_ecs_cluster')[0]?.values.name);
        expect(resources.clusterArn).toBe(arnOf('ecs', `cluster/${cluster}`));
        expect([...resources.serviceArns].sort()).toEqual(
          ofType(platform, 'aws_ecs_service')
            .map((service) => arnOf('ecs', `service/${cluster}/${String(service.values.name)}`))
            .sort(),
        );
        const taskRoles = ofType(platform, 'aws_iam_role')
          .filter((role) => String(role.values.assume_role_policy).includes('ecs-tasks.amazonaws.com'))
          .map((role) => `arn:${at.partition}:iam::${at.accountId}:role/${String(role.values.name)}`);
        expect([...resources.taskRoleArns, ...resources.executionRoleArns].sort()).toEqual(taskRoles.sort());
        const backend = readFileSync(join(repoRoot, 'terraform', 'environments', `${environment}.backend.hcl`), 'utf8');
        const setting = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*"([^"]+)"`, 'm').exec(backend)?.[1];
        expect(resources.stateObjectArn).toBe(`arn:${at.partition}:s3:::${setting('bucket')}/${setting('key')}`);
        const repositories = resourcesOfType(await account.storage, 'aws_ecr_repository').map((repository) =>
          arnOf('ecr', `repository/${String(repository.values.name)}`),
        );
        expect([...resources.ecrRepositoryArns].sort()).toEqual(repositories.sort());
      });

      it('every role the platform creates carries the environment permissions boundary', async () => {
        const plan = await account.storage;
        const boundary = (
          plan.planned_values?.outputs?.environment_access?.value as Record<
            string,
            { permissions_boundary_arn: string }
          >
        )[environment]?.permissions_boundary_arn;
        expect(
          resourcesOfType(plan, 'aws_iam_policy').map(
            (policy) => `arn:aws:iam::${at.accountId}:policy/${String(policy.values.name)}`,
          ),
        ).toContain(boundary);
        const roles = ofType(await account.platforms[environment], 'aws_iam_role');
        expect(roles.length).toBeGreaterThan(0);
        expect(
          roles.filter((role) => role.values.permissions_boundary !== boundary).map((role) => role.address),
        ).toEqual([]);
      });
    },
  );

  describe.each(DEPLOY_ENVIRONMENTS)('%s', (environment) => {
    const others = DEPLOY_ENVIRONMENTS.filter((other) => other !== environment);

    describe.each(WORKFLOW_JOBS.map((job) => [`${job.workflow} ${job.job}`, job] as const))(
      '%s',
      (_name, job: WorkflowJob) => {
        it(
          `may make every call it makes in ${environment}`,
          async () => {
            const role = roleOf(await account.reports[environment], job.role);
            const calls = job.calls(await inputsFor(environment));
            expect(calls.length).toBeGreaterThan(0);
            expect(await callsNot('allowed', role, calls)).toEqual([]);
          },
          TIMEOUT,
        );

        if (job.role === 'build') return;
        it(
          `may make none of the calls it makes in ${others.join(' or ')}`,
          async () => {
            const role = roleOf(await account.reports[environment], job.role);
            const foreign = (await Promise.all(others.map(async (other) => job.calls(await inputsFor(other))))).flat();
            const scoped = foreign.filter((call) => call.scope === 'environment');
            expect(scoped.length).toBeGreaterThan(0);
            expect(await callsNot('denied', role, scoped)).toEqual([]);
          },
          TIMEOUT,
        );
      },
    );

    describe('read-only plan role (issue 21)', () => {
      it(`may make every read terraform plan -lock=false of the platform makes in ${environment}`, async () => {
        const role = roleOf(await account.reports[environment], 'plan');
        const calls = readOnlyPlanCalls(await inputsFor(environment));
        // The platform looks its secrets up (DescribeSecret) and holds no secret version whose refresh would read
        // the value: terraform/secrets does.
        expect(calls.map((call) => call.action)).toContain('secretsmanager:DescribeSecret');
        expect(calls.filter((call) => SECRET_VALUE_READS.includes(call.action))).toEqual([]);
        expect(await callsNot('allowed', role, calls)).toEqual([]);
      });

      it("reads no secret value, and not terraform/secrets' state", async () => {
        const role = roleOf(await account.reports[environment], 'plan');
        expect(await callsNot('denied', role, secretValueAndStateReads(await inputsFor(environment)))).toEqual([]);
      });

      it('may do none of the writes the terraform jobs make, to state or to any resource', async () => {
        const role = roleOf(await account.reports[environment], 'plan');
        const inputs = await inputsFor(environment);
        const writes = WORKFLOW_JOBS.filter((job) => job.role === 'terraform')
          .flatMap((job) => job.calls(inputs))
          .filter((call) => !/^(Describe|Get|List)/.test(call.action.split(':')[1] ?? ''))
          .filter((call) => call.action !== 's3:ListBucket');
        expect(writes.map((call) => call.action)).toEqual(
          expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 'iam:CreateRole', 'ecs:UpdateService']),
        );
        expect(await callsNot('denied', role, writes)).toEqual([]);
      });

      it(`reads neither the state nor the resources of ${others.join(' or ')}`, async () => {
        const role = roleOf(await account.reports[environment], 'plan');
        const foreign = (
          await Promise.all(others.map(async (other) => readOnlyPlanCalls(await inputsFor(other))))
        ).flat();
        const scoped = foreign.filter((call) => call.scope === 'environment');
        expect(scoped.map((call) => call.action)).toContain('s3:GetObject');
        const listings = others.map((other) =>
          probe('s3:ListBucket', `arn:${at.partition}:s3:::berth-terraform-state`, {
            's3:prefix': `platform/${other}/`,
          }),
        );
        expect(await callsNot('denied', role, [...scoped, ...listings])).toEqual([]);
      });
    });

    describe('containment', () => {
      async function boundaryOf(name: DeployEnvironment): Promise<PolicyDocument> {
        const policy = resourcesOfType(await account.storage, 'aws_iam_policy').find(
          (candidate) => candidate.values.name === `berth-${name}-permissions-boundary`,
        );
        if (policy === undefined) throw new Error(`the storage plan has no boundary for ${name}`);
        return parsePolicyDocument(policy.values.policy, policy.address);
      }

      /** A role the terraform role could create: any policy at all, within the environment's boundary. */
      async function createdRole(): Promise<RoleReport> {
        return {
          name: `berth-${environment}-anything`,
          arn: iamArn(`role/berth-${environment}-anything`),
          purpose: 'deploy',
          environment,
          trustPolicy: { Statement: [] },
          policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
          permissionsBoundary: await boundaryOf(environment),
        };
      }

      const runtimeCalls = (name: string): JobCall[] => [
        probe('logs:PutLogEvents', arnIn('logs', `log-group:/ecs/berth-${name}/api-gateway:log-stream:x`)),
        probe('dynamodb:PutItem', arnIn('dynamodb', `table/berth-${name}-deploy-history`)),
        probe('secretsmanager:GetSecretValue', arnIn('secretsmanager', 'secret:rds!db-0123-AbCdEf'), {
          'aws:ResourceTag/aws:rds:primaryDBInstanceArn': arnIn('rds', `db:berth-${name}`),
        }),
        probe('secretsmanager:GetSecretValue', arnIn('secretsmanager', `secret:berth-${name}-smtp-AbCdEf`)),
      ];

      it('a role created within the boundary can do what the environment workloads do', async () => {
        const role = await createdRole();
        const own: JobCall[] = [
          ...runtimeCalls(environment),
          probe('ecr:BatchGetImage', arnIn('ecr', 'repository/berth/api-gateway')),
          probe('ecr:GetAuthorizationToken', '*'),
          probe('ses:SendEmail', arnIn('ses', `identity/${senderOf(environment)}`), {
            'ses:FromAddress': senderOf(environment),
          }),
        ];
        expect(await callsNot('allowed', role, own)).toEqual([]);
      });

      it("a role created within the boundary sends mail only as the environment's own sender", async () => {
        const role = await createdRole();
        const own = senderOf(environment);
        const attempts: JobCall[] = [
          // As another environment's sender, whichever From address the message names.
          ...others.flatMap((other) => [
            probe('ses:SendEmail', arnIn('ses', `identity/${senderOf(other)}`), { 'ses:FromAddress': senderOf(other) }),
            probe('ses:SendRawEmail', arnIn('ses', `identity/${senderOf(other)}`), {
              'ses:FromAddress': senderOf(other),
            }),
            probe('ses:SendEmail', arnIn('ses', `identity/${senderOf(other)}`), { 'ses:FromAddress': own }),
          ]),
          // Through the environment's own identity, but From an address other than its sender.
          probe('ses:SendEmail', arnIn('ses', `identity/${own}`), { 'ses:FromAddress': 'ceo@example.com' }),
          probe('ses:SendRawEmail', arnIn('ses', `identity/${own}`), { 'ses:FromAddress': 'ceo@example.com' }),
          // Through any other identity of the account, such as a verified domain.
          probe('ses:SendEmail', arnIn('ses', 'identity/example.com'), { 'ses:FromAddress': own }),
        ];
        expect(await callsNot('denied', role, attempts)).toEqual([]);
      });

      it('a role created within the boundary reaches no other environment, no IAM, no state and no deploys', async () => {
        const role = await createdRole();
        const foreign: JobCall[] = [
          ...others.flatMap(runtimeCalls),
          probe('secretsmanager:GetSecretValue', arnIn('secretsmanager', 'secret:rds!db-0123-AbCdEf')),
          probe('iam:CreateRole', iamArn(`role/berth-${environment}-more`)),
          // CodeDeploy's roles pass the environment's own task roles to ECS; nothing else may be passed.
          probe('iam:PassRole', iamArn(`role/berth-${environment}-product-service-task`), {
            'iam:PassedToService': 'lambda.amazonaws.com',
          }),
          probe('iam:PassRole', iamArn(`role/berth-github-${environment}-terraform`), {
            'iam:PassedToService': 'ecs-tasks.amazonaws.com',
          }),
          ...others.map((other) =>
            probe('iam:PassRole', iamArn(`role/berth-${other}-product-service-task`), {
              'iam:PassedToService': 'ecs-tasks.amazonaws.com',
            }),
          ),
          probe('sts:AssumeRole', iamArn(`role/berth-github-${environment}-terraform`)),
          probe(
            's3:GetObject',
            `arn:${at.partition}:s3:::berth-terraform-state/platform/${environment}/terraform.tfstate`,
          ),
          probe('ecs:UpdateService', arnIn('ecs', `service/berth-${environment}/api-gateway`)),
          probe('ecr:PutImage', arnIn('ecr', 'repository/berth/api-gateway')),
        ];
        expect(await callsNot('denied', role, foreign)).toEqual([]);
      });

      it('the terraform role creates roles only with its boundary, and cannot loosen a boundary or reach the storage layer', async () => {
        const report = await account.reports[environment];
        const role = roleOf(report, 'terraform');
        const boundary = iamArn(`policy/berth-${environment}-permissions-boundary`);
        expect(
          await callsNot('allowed', role, [
            probe('iam:CreateRole', iamArn(`role/berth-${environment}-x`), { 'iam:PermissionsBoundary': boundary }),
          ]),
        ).toEqual([]);
        const attempts: JobCall[] = [
          probe('iam:CreateRole', iamArn(`role/berth-${environment}-x`)),
          ...others.map((other) =>
            probe('iam:CreateRole', iamArn(`role/berth-${environment}-x`), {
              'iam:PermissionsBoundary': iamArn(`policy/berth-${other}-permissions-boundary`),
            }),
          ),
          probe('iam:PutRolePolicy', iamArn(`role/berth-${environment}-x`)),
          // Role names are unique whatever the path: a path of berth-<env>-… would squat another environment's name.
          ...others.map((other) =>
            probe('iam:CreateRole', iamArn(`role/berth-${environment}-x/berth-${other}-product-service-task`), {
              'iam:PermissionsBoundary': boundary,
            }),
          ),
          // A trust policy rewritten to admit another account.
          probe('iam:UpdateAssumeRolePolicy', iamArn(`role/berth-${environment}-product-service-task`), {
            'iam:PermissionsBoundary': boundary,
          }),
          probe('iam:DeleteRolePermissionsBoundary', iamArn(`role/berth-${environment}-x`), {
            'iam:PermissionsBoundary': boundary,
          }),
          probe('iam:CreatePolicyVersion', boundary),
          probe('iam:PutRolePolicy', role.arn),
          probe('iam:AttachRolePolicy', role.arn, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }),
          probe('iam:UpdateAssumeRolePolicy', iamArn(`role/berth-github-${environment}-deploy`)),
          probe('iam:PassRole', iamArn(`role/berth-github-${environment}-deploy`), {
            'iam:PassedToService': 'ecs-tasks.amazonaws.com',
          }),
          probe('s3:PutObject', `arn:${at.partition}:s3:::berth-terraform-state/storage/terraform.tfstate`),
          probe('s3:PutBucketPolicy', `arn:${at.partition}:s3:::berth-terraform-state`),
          probe('ecr:PutImage', arnIn('ecr', 'repository/berth/api-gateway')),
          probe('ecr:DeleteRepository', arnIn('ecr', 'repository/berth/api-gateway')),
        ];
        expect(await callsNot('denied', role, attempts)).toEqual([]);
      });

      it("the terraform role cannot attach a hosted zone to another environment's VPC", async () => {
        const role = roleOf(await account.reports[environment], 'terraform');
        const vpcs = (name: string) => ({ 'route53:VPCs': `VPCId=${at.vpcIds?.[name]},VPCRegion=${at.region}` });
        const zone = `arn:${at.partition}:route53:::hostedzone/Z0123456789ABCDEFGHIJ`;
        expect(await callsNot('allowed', role, [probe('route53:CreateHostedZone', '*', vpcs(environment))])).toEqual(
          [],
        );
        const attempts: JobCall[] = [
          // An empty private zone such as us-east-1.rds.amazonaws.com on prod's VPC takes prod's names away.
          ...others.map((other) => probe('route53:CreateHostedZone', '*', vpcs(other))),
          ...others.map((other) => probe('route53:AssociateVPCWithHostedZone', zone, vpcs(other))),
          probe('route53:AssociateVPCWithHostedZone', zone, vpcs(environment)),
          probe('route53:DisassociateVPCFromHostedZone', zone, vpcs(environment)),
          probe('route53:DeleteHostedZone', zone),
          // A public zone names no VPC.
          probe('route53:CreateHostedZone', '*'),
        ];
        expect(await callsNot('denied', role, attempts)).toEqual([]);
      });

      it("the terraform role manages its own sender identity only: never another environment's, never untagged", async () => {
        const role = roleOf(await account.reports[environment], 'terraform');
        const identity = (address: string) => arnIn('ses', `identity/${address}`);
        const own = senderOf(environment);
        const taggedFor = (name: string) => ({ 'aws:RequestTag/Environment': name, 'aws:TagKeys': ['Environment'] });
        const ownedBy = (name: string) => ({ 'aws:ResourceTag/Environment': name });
        expect(
          await callsNot('allowed', role, [
            probe('ses:CreateEmailIdentity', identity(own), taggedFor(environment)),
            probe('ses:GetEmailIdentity', identity(own), ownedBy(environment)),
            probe('ses:DeleteEmailIdentity', identity(own), ownedBy(environment)),
          ]),
        ).toEqual([]);
        const attempts: JobCall[] = [
          // SES v1: no resource-level permissions at all, so never granted.
          probe('ses:VerifyEmailIdentity', '*'),
          probe('ses:DeleteIdentity', '*'),
          // Its own address, but untagged or tagged for another environment.
          probe('ses:CreateEmailIdentity', identity(own)),
          ...others.map((other) => probe('ses:CreateEmailIdentity', identity(own), taggedFor(other))),
          ...others.flatMap((other) => [
            // Another environment's address, even tagged for this one (taking it before that environment does).
            probe('ses:CreateEmailIdentity', identity(senderOf(other)), taggedFor(environment)),
            probe('ses:DeleteEmailIdentity', identity(senderOf(other)), ownedBy(other)),
            probe('ses:GetEmailIdentity', identity(senderOf(other)), ownedBy(other)),
            probe('ses:PutEmailIdentityDkimSigningAttributes', identity(senderOf(other)), ownedBy(other)),
            // Re-tagging another environment's identity as this one's, to delete it next.
            probe('ses:TagResource', identity(senderOf(other)), taggedFor(environment)),
            probe('ses:UntagResource', identity(senderOf(other)), { 'aws:TagKeys': ['Environment'] }),
          ]),
          // Any other identity of the account.
          probe('ses:DeleteEmailIdentity', identity('example.com'), ownedBy(environment)),
        ];
        expect(await callsNot('denied', role, attempts)).toEqual([]);
      });

      it("the terraform role cannot register, change or deregister another environment's scalable targets", async () => {
        const role = roleOf(await account.reports[environment], 'terraform');
        const target = arnIn('application-autoscaling', 'scalable-target/0ec1234567890abcdef1234567890abcdef0');
        const ecsService = {
          'application-autoscaling:service-namespace': 'ecs',
          'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount',
        };
        const attempts: JobCall[] = others.flatMap((other) => [
          probe('application-autoscaling:DeregisterScalableTarget', target, {
            ...ecsService,
            'aws:ResourceTag/Environment': other,
          }),
          // Registering again changes an existing target (its capacity), whatever tags the request carries.
          probe('application-autoscaling:RegisterScalableTarget', target, {
            ...ecsService,
            'aws:ResourceTag/Environment': other,
            'aws:RequestTag/Environment': environment,
            'aws:TagKeys': ['Environment'],
          }),
          probe('application-autoscaling:RegisterScalableTarget', target, {
            ...ecsService,
            'aws:ResourceTag/Environment': other,
          }),
          probe('application-autoscaling:PutScalingPolicy', target, {
            ...ecsService,
            'aws:ResourceTag/Environment': other,
          }),
          probe('application-autoscaling:DeleteScalingPolicy', target, {
            ...ecsService,
            'aws:ResourceTag/Environment': other,
          }),
          // Re-tagging another environment's target as this one's, to deregister it next.
          probe('application-autoscaling:TagResource', target, {
            'aws:ResourceTag/Environment': other,
            'aws:RequestTag/Environment': environment,
            'aws:TagKeys': ['Environment'],
          }),
          // A new target tagged for another environment.
          probe('application-autoscaling:RegisterScalableTarget', target, {
            ...ecsService,
            'aws:RequestTag/Environment': other,
            'aws:TagKeys': ['Environment'],
          }),
        ]);
        expect(await callsNot('denied', role, attempts)).toEqual([]);
      });

      it("the deploy role reads neither a secret value nor terraform/secrets' state", async () => {
        const role = roleOf(await account.reports[environment], 'deploy');
        expect(await callsNot('denied', role, secretValueAndStateReads(await inputsFor(environment)))).toEqual([]);
      });

      it('the deploy role passes task roles to ECS only', async () => {
        const report = await account.reports[environment];
        const role = roleOf(report, 'deploy');
        const passes = [...report.resources.taskRoleArns, ...report.resources.executionRoleArns].map((arn) =>
          probe('iam:PassRole', arn, { 'iam:PassedToService': 'lambda.amazonaws.com' }),
        );
        expect(await callsNot('denied', role, passes)).toEqual([]);
      });

      it('the build role does nothing any deploy or terraform job of any environment does', async () => {
        const build = roleOf(await account.reports[environment], 'build');
        const calls = (
          await Promise.all(
            DEPLOY_ENVIRONMENTS.flatMap((name) =>
              WORKFLOW_JOBS.filter((job) => job.role !== 'build').map(async (job) => job.calls(await inputsFor(name))),
            ),
          )
        )
          .flat()
          .filter((call) => call.scope === 'environment');
        expect(calls.length).toBeGreaterThan(0);
        expect(
          await callsNot('denied', build, [...calls, probe('ecr:PutImage', arnIn('ecr', 'repository/other/app'))]),
        ).toEqual([]);
      });
    });
  });
});
