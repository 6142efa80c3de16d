import { describe, expect, it } from 'vitest';
import type { PlanJson, PlanResource } from '@berth/terraform-harness';
import { environmentReport } from '../role-report.ts';

const ACCOUNT = '123456789012';
const policy = (sid: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  });
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'x' } }],
});

function managed(address: string, type: string, values: Record<string, unknown>): PlanResource {
  return { address, mode: 'managed', type, name: address.split('.').pop() ?? '', values };
}

function role(name: string, tags: Record<string, string>, extra: Record<string, unknown> = {}): PlanResource {
  return managed(`module.${name}.aws_iam_role.this`, 'aws_iam_role', {
    name,
    path: '/',
    assume_role_policy: trust,
    tags_all: tags,
    ...extra,
  });
}

function managedPolicy(name: string, document = policy(name)): PlanResource {
  return managed(`module.p.aws_iam_policy.${name}`, 'aws_iam_policy', { name, path: '/', policy: document });
}

function attachment(roleName: string, policyName: string): PlanResource {
  return managed(
    `module.a.aws_iam_role_policy_attachment.${roleName}-${policyName}`,
    'aws_iam_role_policy_attachment',
    {
      role: roleName,
      policy_arn: `arn:aws:iam::${ACCOUNT}:policy/${policyName}`,
    },
  );
}

const resources = {
  cluster_arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/berth-dev`,
  service_arns: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/berth-dev/api`],
  task_role_arns: [`arn:aws:iam::${ACCOUNT}:role/berth-dev-ecs-task`],
  execution_role_arns: [`arn:aws:iam::${ACCOUNT}:role/berth-dev-ecs-execution`],
  state_object_arn: 'arn:aws:s3:::state/platform/dev/terraform.tfstate',
  secrets_state_object_arn: 'arn:aws:s3:::state/platform/dev/secrets.tfstate',
  ecr_repository_arns: [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/berth/api`],
};

function plan(managedResources: PlanResource[], access: unknown = { dev: { resources } }): PlanJson {
  return {
    format_version: '1.2',
    terraform_version: '1.11.0',
    planned_values: {
      outputs: { environment_access: { sensitive: false, value: access } },
      root_module: { resources: managedResources },
    },
    prior_state: {
      values: {
        root_module: {
          resources: [
            {
              address: 'data.aws_caller_identity.current',
              mode: 'data',
              type: 'aws_caller_identity',
              name: 'current',
              values: { account_id: ACCOUNT },
            },
            {
              address: 'data.aws_partition.current',
              mode: 'data',
              type: 'aws_partition',
              name: 'current',
              values: { partition: 'aws' },
            },
          ],
        },
      },
    },
  };
}

const account = [
  role('dev-deploy', { Environment: 'dev', Purpose: 'deploy' }),
  role(
    'dev-terraform',
    { Environment: 'dev', Purpose: 'terraform' },
    { permissions_boundary: `arn:aws:iam::${ACCOUNT}:policy/boundary` },
  ),
  role('prod-deploy', { Environment: 'prod', Purpose: 'deploy' }),
  role('build', { Environment: 'shared', Purpose: 'build' }),
  managedPolicy('deploy-b'),
  managedPolicy('deploy-a'),
  managedPolicy('boundary'),
  managedPolicy('prod'),
  attachment('dev-deploy', 'deploy-b'),
  attachment('dev-deploy', 'deploy-a'),
  attachment('prod-deploy', 'prod'),
  managed('module.i.aws_iam_role_policy.inline', 'aws_iam_role_policy', {
    role: 'build',
    name: 'push',
    policy: policy('inline'),
  }),
];

describe('environmentReport', () => {
  it("lists the environment's roles and the account-level ones, with their documents", () => {
    const report = environmentReport(plan(account), 'dev');
    expect(report.environment).toBe('dev');
    expect(report.roles.map((r) => [r.name, r.purpose, r.environment])).toEqual([
      ['dev-deploy', 'deploy', 'dev'],
      ['dev-terraform', 'terraform', 'dev'],
      ['build', 'build', null],
    ]);
    const [deploy, terraform, build] = report.roles;
    expect(deploy?.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/dev-deploy`);
    expect(deploy?.policies.map((document) => JSON.stringify(document))).toEqual([
      policy('deploy-a'),
      policy('deploy-b'),
    ]);
    expect(deploy?.permissionsBoundary).toBeNull();
    expect(terraform?.permissionsBoundary).toEqual(JSON.parse(policy('boundary')));
    expect(build?.policies).toEqual([JSON.parse(policy('inline'))]);
    expect(build?.trustPolicy).toEqual(JSON.parse(trust));
    expect(report.resources).toEqual({
      clusterArn: resources.cluster_arn,
      serviceArns: resources.service_arns,
      taskRoleArns: resources.task_role_arns,
      executionRoleArns: resources.execution_role_arns,
      stateObjectArn: resources.state_object_arn,
      secretsStateObjectArn: resources.secrets_state_object_arn,
      ecrRepositoryArns: resources.ecr_repository_arns,
    });
  });

  it('names a policy the plan attaches but does not create', () => {
    expect(() => environmentReport(plan([...account, attachment('dev-deploy', 'missing')]), 'dev')).toThrow(
      /attachment: arn:aws:iam::123456789012:policy\/missing is not created by this plan/,
    );
  });

  it('refuses a policy document that a mocked plan rendered as random text', () => {
    const mocked = account.map((resource) =>
      resource.values.name === 'deploy-a' ? managedPolicy('deploy-a', 'dglgp1b0') : resource,
    );
    expect(() => environmentReport(plan(mocked), 'dev')).toThrow(/not JSON .*mock_provider/);
  });

  it('refuses a role without a known Purpose tag', () => {
    expect(() => environmentReport(plan([role('odd', { Environment: 'dev' })]), 'dev')).toThrow(/tag Purpose is ""/);
  });

  it('says when the storage root creates no roles, or not for that environment', () => {
    expect(() => environmentReport(plan(account, null), 'dev')).toThrow(/create_github_oidc = false/);
    expect(() => environmentReport(plan(account), 'staging')).toThrow(
      /no environment_access output for staging \(environments planned: dev\)/,
    );
  });
});
