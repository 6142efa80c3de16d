import { readTerraformOutputs } from '@berth/kit';
import { describe, expect, it } from 'vitest';
import { desiredState } from '../desired-state.ts';
import { parseNotifierUrl, parseStorageOutputs } from '../storage-outputs.ts';
import { fixtures, storageOutputsFile } from './run-bootstrap.ts';

const MAIN = [{ name: 'main', type: 'branch' }];

describe('parseStorageOutputs', () => {
  it('reads the storage root outputs as `terraform output -json` prints them', () => {
    const parsed = parseStorageOutputs(readTerraformOutputs(storageOutputsFile), 'storage.json');
    expect(parsed).toEqual({
      ok: true,
      value: {
        awsRegion: 'eu-west-1',
        ecrRepositoryUrls: {
          'api-gateway': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/api-gateway',
          'product-service': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/product-service',
          'inventory-service': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/inventory-service',
        },
        roles: {
          build: 'arn:aws:iam::123456789012:role/berth-build',
          environments: {
            dev: {
              deploy: 'arn:aws:iam::123456789012:role/berth-dev-deploy',
              terraform: 'arn:aws:iam::123456789012:role/berth-dev-terraform',
              plan: 'arn:aws:iam::123456789012:role/berth-dev-plan',
            },
            staging: {
              deploy: 'arn:aws:iam::123456789012:role/berth-staging-deploy',
              terraform: 'arn:aws:iam::123456789012:role/berth-staging-terraform',
              plan: 'arn:aws:iam::123456789012:role/berth-staging-plan',
            },
            prod: {
              deploy: 'arn:aws:iam::123456789012:role/berth-prod-deploy',
              terraform: 'arn:aws:iam::123456789012:role/berth-prod-terraform',
              plan: 'arn:aws:iam::123456789012:role/berth-prod-plan',
            },
          },
        },
      },
    });
  });

  it('lists every missing or malformed output at once, with a hint for the single shared role of old stacks', () => {
    const parsed = parseStorageOutputs(
      readTerraformOutputs(`${fixtures}/storage-outputs-shared-role.json`),
      'old.json',
    );
    expect(parsed).toEqual({
      ok: false,
      problems: [
        'old.json: output ecr_repository_urls["product-service"] is missing; expected the repository URL (keys present: api-gateway)',
        'old.json: output ecr_repository_urls["inventory-service"] is missing; expected the repository URL (keys present: api-gateway)',
        'old.json: output build_role_arn is missing; expected an IAM role ARN',
        'old.json: output environment_role_arns is missing; expected { dev = { deploy, terraform, plan }, staging = {…}, ' +
          'prod = {…} } (these outputs have the single shared deploy_role_arn: apply the storage root with ' +
          'per-environment roles first)',
      ],
    });
  });

  it('says what is wrong inside environment_role_arns and with the region', () => {
    const parsed = parseStorageOutputs(
      {
        aws_region: 'Ireland',
        ecr_repository_urls: ['a'],
        build_role_arn: null,
        environment_role_arns: {
          dev: { deploy: 'arn:aws:iam::123456789012:role/d', terraform: '' },
          staging: 'arn:aws:iam::123456789012:role/s',
        },
      },
      'x.json',
    );
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'x.json: output aws_region is "Ireland"; expected an AWS region such as eu-west-1',
      'x.json: output ecr_repository_urls is a list; expected a map of service name to ECR repository URL',
      'x.json: output build_role_arn is null; expected an IAM role ARN (null only together with ' +
        'environment_role_arns, when no OIDC roles exist)',
      'x.json: output environment_role_arns.dev.terraform is an empty string; expected an IAM role ARN',
      'x.json: output environment_role_arns.dev.plan is missing; expected an IAM role ARN (the storage state ' +
        'predates the read-only plan roles: re-apply terraform/storage with Storage apply, then run the bootstrap again)',
      'x.json: output environment_role_arns.staging is "arn:aws:iam::123456789012:role/s"; expected ' +
        '{ deploy = "<role ARN>", terraform = "<role ARN>", plan = "<role ARN>" }',
      'x.json: output environment_role_arns.prod is missing; expected ' +
        '{ deploy = "<role ARN>", terraform = "<role ARN>", plan = "<role ARN>" }',
    ]);
  });

  it('accepts a storage root without OIDC roles when both role outputs are null', () => {
    const outputs = { ...readTerraformOutputs(storageOutputsFile), build_role_arn: null, environment_role_arns: null };
    const parsed = parseStorageOutputs(outputs, 's.json');
    expect(parsed).toMatchObject({ ok: true, value: { awsRegion: 'eu-west-1', roles: null } });
    if (!parsed.ok) throw new Error('expected the outputs to parse');
    const desired = desiredState(parsed.value, {}, undefined);
    expect(desired.repositoryVariables).toEqual({ AWS_REGION: 'eu-west-1' });
    expect(desired.environments.map((environment) => Object.keys(environment.variables))).toEqual([[], [], [], [], []]);
  });
});

describe('parseNotifierUrl', () => {
  it("reads lambda_url from an environment's platform outputs", () => {
    expect(parseNotifierUrl(readTerraformOutputs(`${fixtures}/platform-outputs-prod.json`), 'prod.json')).toEqual({
      ok: true,
      value: 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/',
    });
  });

  it('explains an empty or wrong file', () => {
    expect(parseNotifierUrl({}, 'dev.json')).toEqual({
      ok: false,
      problems: [
        "dev.json: output lambda_url is missing; expected the notifier's https:// Function URL (the file has no " +
          'outputs: has that environment been applied?)',
      ],
    });
    expect(parseNotifierUrl({ lambda_url: 'http://x', alb_dns: 'y' }, 'p.json')).toEqual({
      ok: false,
      problems: [
        `p.json: output lambda_url is "http://x"; expected the notifier's https:// Function URL (outputs present: lambda_url, alb_dns)`,
      ],
    });
  });
});

describe('desiredState', () => {
  const storage = parseStorageOutputs(readTerraformOutputs(storageOutputsFile), 's');
  if (!storage.ok) throw new Error('fixture');

  it('protects staging, prod, bootstrap and release with reviewers, release with tag v* only, the rest with branch main only, and names every value', () => {
    const desired = desiredState(storage.value, { staging: 'https://n.example/' }, ['alice']);
    expect(
      desired.environments.map(({ name, reviewers, deploymentRefs, variables }) => ({
        name,
        reviewers,
        deploymentRefs,
        variables: Object.keys(variables),
      })),
    ).toEqual([
      { name: 'dev', deploymentRefs: MAIN, variables: ['AWS_DEPLOY_ROLE_ARN', 'AWS_TERRAFORM_ROLE_ARN'] },
      {
        name: 'staging',
        reviewers: ['alice'],
        deploymentRefs: MAIN,
        variables: ['AWS_DEPLOY_ROLE_ARN', 'AWS_TERRAFORM_ROLE_ARN', 'NOTIFIER_URL'],
      },
      {
        name: 'prod',
        reviewers: ['alice'],
        deploymentRefs: MAIN,
        variables: ['AWS_DEPLOY_ROLE_ARN', 'AWS_TERRAFORM_ROLE_ARN'],
      },
      { name: 'bootstrap', reviewers: ['alice'], deploymentRefs: MAIN, variables: [] },
      { name: 'release', reviewers: ['alice'], deploymentRefs: [{ name: 'v*', type: 'tag' }], variables: [] },
    ]);
    // terraform-apply.yml's environments get the key its saved plan is encrypted with.
    expect(
      desired.environments.map(({ name, generatedSecrets }) => [name, (generatedSecrets ?? []).map((s) => s.name)]),
    ).toEqual([
      ['dev', ['PLAN_ENCRYPTION_KEY']],
      ['staging', ['PLAN_ENCRYPTION_KEY']],
      ['prod', ['PLAN_ENCRYPTION_KEY']],
      ['bootstrap', []],
      ['release', []],
    ]);
    expect(desired.oidcSubjectClaimKeys).toEqual(['repo', 'context', 'job_workflow_ref']);
    expect(desired.tagRuleset).toMatchObject({
      target: 'tag',
      enforcement: 'active',
      conditions: { ref_name: { include: ['refs/tags/v*'], exclude: [] } },
      rules: [{ type: 'creation' }, { type: 'update' }, { type: 'deletion' }],
      bypass_actors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
    });
    expect(desired.repositoryVariables).toEqual({
      AWS_BUILD_ROLE_ARN: 'arn:aws:iam::123456789012:role/berth-build',
      AWS_PLAN_ROLE_ARNS:
        '{"dev":"arn:aws:iam::123456789012:role/berth-dev-plan",' +
        '"staging":"arn:aws:iam::123456789012:role/berth-staging-plan",' +
        '"prod":"arn:aws:iam::123456789012:role/berth-prod-plan"}',
      AWS_REGION: 'eu-west-1',
    });
    expect(Object.keys(desired.repositorySecrets)).toEqual(['ECR_API_URL', 'ECR_PRODUCT_URL', 'ECR_INVENTORY_URL']);
  });

  it('manages no reviewers when none are given', () => {
    const desired = desiredState(storage.value, {}, undefined);
    expect(desired.environments.every((environment) => environment.reviewers === undefined)).toBe(true);
  });
});
