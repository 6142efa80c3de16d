import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsJsonFake } from '@berth/kit/testing/aws-json-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireTerraform } from '@berth/kit/testing/required-tool';
import { applyOutputsOnlyConfiguration } from '@berth/kit/testing/terraform-state';
import { createFakeEcr, repositoryUri } from './fake-ecr';
import { startFakeGitHub, type FakeGitHub } from './github-api-server';
import { logWithoutMaskCommands, runSync } from './run-sync';

const REPO = 'octo-org/berth-demo';
const REPO_SCOPE = `repo:${REPO}`;
const ECR_NAMES = ['berth/api-gateway', 'berth/product-service', 'berth/inventory-service', 'berth/legacy-worker'];
const STORAGE_LINES = [
  'berth/api-gateway=ECR_API_URL',
  'berth/product-service=ECR_PRODUCT_URL',
  'berth/inventory-service=ECR_INVENTORY_URL',
].join('\n');
const EXPECTED: Record<string, string> = {
  ECR_API_URL: repositoryUri('berth/api-gateway'),
  ECR_PRODUCT_URL: repositoryUri('berth/product-service'),
  ECR_INVENTORY_URL: repositoryUri('berth/inventory-service'),
};

let github: FakeGitHub;
let ecr: AwsJsonFake;
const servers = () => ({ github, ecr });
const writes = () => github.requests.filter((r) => r.method !== 'GET');

beforeEach(async () => {
  github = await startFakeGitHub();
  github.addRepository(REPO, 1001);
  github.addRepository('octo-org/api-gateway', 2001);
  github.addRepository('octo-org/product-service', 2002);
  github.addEnvironment(REPO, 'staging');
  github.addOrganization('octo-org');
  ecr = createFakeEcr(ECR_NAMES);
});

afterEach(async () => {
  await github.close();
});

describe('repository secrets', () => {
  it('creates every secret, sealed so that only the repository key opens it', async () => {
    const run = await runSync(servers(), { repositories: STORAGE_LINES });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    for (const [name, uri] of Object.entries(EXPECTED)) {
      expect(github.open(REPO_SCOPE, name)).toBe(uri);
      expect(github.secret(REPO_SCOPE, name)?.key_id).toBe(github.publicKeyOf(REPO_SCOPE).key_id);
    }
    expect(JSON.parse(run.outputs.created ?? '')).toEqual(['ECR_API_URL', 'ECR_PRODUCT_URL', 'ECR_INVENTORY_URL']);
    expect(JSON.parse(run.outputs.updated ?? '')).toEqual([]);
    expect(run.outputs.summary).toBe('created 3, updated 0 secrets across 1 target');
    // The public key is fetched once for the target, not once per secret.
    expect(github.requests.filter((r) => r.path.endsWith('/secrets/public-key'))).toHaveLength(1);
    const describe = ecr.calls.filter((c) => c.operation === 'DescribeRepositories');
    expect(describe).toHaveLength(1);
    expect(describe[0]?.input.repositoryNames).toEqual([
      'berth/api-gateway',
      'berth/product-service',
      'berth/inventory-service',
    ]);
  });

  it('masks the token and every value before logging, and keeps values out of the summary', async () => {
    const run = await runSync(servers(), { repositories: STORAGE_LINES });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`::add-mask::${github.token}`);
    for (const uri of Object.values(EXPECTED)) {
      expect(lines).toContain(`::add-mask::${uri}`);
      expect(logWithoutMaskCommands(run)).not.toContain(uri);
      expect(run.summary).not.toContain(uri);
    }
    expect(run.summary).toContain('| `ECR_API_URL` | repository octo-org/berth-demo | created |');
  });

  it('replaces existing secrets and reports them as updated', async () => {
    github.seedSecret(REPO_SCOPE, 'ECR_API_URL', 'stale-value');

    const run = await runSync(servers(), { repositories: STORAGE_LINES });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.open(REPO_SCOPE, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
    expect(JSON.parse(run.outputs.updated ?? '')).toEqual(['ECR_API_URL']);
    expect(JSON.parse(run.outputs.created ?? '')).toEqual(['ECR_PRODUCT_URL', 'ECR_INVENTORY_URL']);
    expect(run.summary).toContain('| `ECR_API_URL` | repository octo-org/berth-demo | updated |');
  });

  it('writes to another repository named as owner/name', async () => {
    const run = await runSync(servers(), {
      repositories: 'berth/api-gateway=ECR_API_URL',
      target: 'octo-org/api-gateway',
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.open('repo:octo-org/api-gateway', 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
    expect(github.secret(REPO_SCOPE, 'ECR_API_URL')).toBeUndefined();
  });
});

describe('environment secrets', () => {
  it("seals with each environment's own key, never the repository's, and URL-encodes the name", async () => {
    github.addEnvironment(REPO, 'prod eu');

    const run = await runSync(servers(), {
      repositories: 'berth/api-gateway=ECR_API_URL',
      target: 'environment:staging\nenvironment:prod eu',
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.open(`env:${REPO}:staging`, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
    expect(github.open(`env:${REPO}:prod eu`, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
    expect(github.secret(`env:${REPO}:prod eu`, 'ECR_API_URL')?.key_id).toBe(
      github.publicKeyOf(`env:${REPO}:prod eu`).key_id,
    );
    expect(github.secret(REPO_SCOPE, 'ECR_API_URL')).toBeUndefined();
    expect(github.requests.some((r) => r.rawPath === `/repos/${REPO}/environments/prod%20eu/secrets/ECR_API_URL`)).toBe(
      true,
    );
    // One name written to two targets is listed once.
    expect(JSON.parse(run.outputs.created ?? '')).toEqual(['ECR_API_URL']);
    expect(run.outputs.summary).toBe('created 2, updated 0 secrets across 2 targets');
  });

  it('fails naming a missing environment and writes nothing when create-environments is false', async () => {
    const run = await runSync(servers(), { repositories: STORAGE_LINES, target: 'environment:production' });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('environment "production" of octo-org/berth-demo does not exist');
    expect(run.stdout).toContain('create-environments: true');
    expect(writes()).toEqual([]);
    expect(github.hasEnvironment(REPO, 'production')).toBe(false);
  });

  it('creates a missing environment with create-environments, then seals with its new key', async () => {
    const run = await runSync(servers(), {
      repositories: STORAGE_LINES,
      target: 'environment:production',
      'create-environments': 'true',
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.hasEnvironment(REPO, 'production')).toBe(true);
    expect(writes()[0]).toMatchObject({ method: 'PUT', path: `/repos/${REPO}/environments/production` });
    for (const [name, uri] of Object.entries(EXPECTED)) expect(github.open(`env:${REPO}:production`, name)).toBe(uri);
    expect(run.summary).toContain('environment "production" of octo-org/berth-demo: created');
  });
});

describe('organization secrets', () => {
  it('writes with selected visibility and the ids of the selected repositories', async () => {
    const run = await runSync(servers(), {
      repositories: STORAGE_LINES,
      target: 'organization:octo-org',
      visibility: 'selected',
      'selected-repositories': 'api-gateway\nocto-org/product-service',
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    for (const [name, uri] of Object.entries(EXPECTED)) {
      expect(github.open('org:octo-org', name)).toBe(uri);
      expect(github.secret('org:octo-org', name)).toMatchObject({
        visibility: 'selected',
        selected_repository_ids: [2001, 2002],
      });
    }
  });

  it('fails naming a selected repository that does not exist, writing nothing to that organization', async () => {
    const run = await runSync(servers(), {
      repositories: STORAGE_LINES,
      target: 'organization:octo-org',
      visibility: 'selected',
      'selected-repositories': 'no-such-repo',
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('repository octo-org/no-such-repo was not found');
    expect(writes()).toEqual([]);
  });
});

describe('variables', () => {
  it('creates missing variables with POST and updates existing ones with PATCH after the 409', async () => {
    github.seedVariable(REPO_SCOPE, 'ECR_API_URL', 'stale-value');

    const run = await runSync(servers(), { repositories: STORAGE_LINES, kind: 'variable' });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    for (const [name, uri] of Object.entries(EXPECTED)) expect(github.variable(REPO_SCOPE, name)?.value).toBe(uri);
    expect(JSON.parse(run.outputs.created ?? '')).toEqual(['ECR_PRODUCT_URL', 'ECR_INVENTORY_URL']);
    expect(JSON.parse(run.outputs.updated ?? '')).toEqual(['ECR_API_URL']);
    const apiWrites = writes().filter((r) =>
      r.path.endsWith('/variables') ? r.body?.name === 'ECR_API_URL' : r.path.endsWith('/ECR_API_URL'),
    );
    expect(apiWrites.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 409', 'PATCH 204']);
    expect(github.requests.some((r) => r.path.includes('public-key'))).toBe(false);
  });

  it('writes organization variables with their visibility', async () => {
    const run = await runSync(servers(), {
      repositories: 'berth/api-gateway=ECR_API_URL',
      kind: 'variable',
      target: 'organization:octo-org',
      visibility: 'all',
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.variable('org:octo-org', 'ECR_API_URL')).toEqual({ value: EXPECTED.ECR_API_URL, visibility: 'all' });
  });
});

describe('dry run', () => {
  it('reports what would be created or updated and writes nothing', async () => {
    github.seedSecret(REPO_SCOPE, 'ECR_API_URL', 'stale-value');

    const run = await runSync(servers(), {
      repositories: STORAGE_LINES,
      target: 'repository\nenvironment:production',
      'create-environments': 'true',
      'dry-run': 'true',
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(writes()).toEqual([]);
    expect(github.hasEnvironment(REPO, 'production')).toBe(false);
    expect(run.summary).toContain('| `ECR_API_URL` | repository octo-org/berth-demo | would update |');
    expect(run.summary).toContain('| `ECR_PRODUCT_URL` | repository octo-org/berth-demo | would create |');
    expect(run.summary).toContain('| `ECR_API_URL` | environment "production" of octo-org/berth-demo | would create |');
    expect(run.summary).toContain('environment "production" of octo-org/berth-demo: would create');
    expect(run.outputs.summary).toBe('dry run: would create 5, would update 1 secrets across 2 targets');
    expect(JSON.parse(run.outputs.created ?? '')).toEqual([]);
    expect(github.open(REPO_SCOPE, 'ECR_API_URL')).toBe('stale-value');
  });
});

describe('GitHub errors', () => {
  it('401: says the token is invalid or expired', async () => {
    const run = await runSync(servers(), { repositories: STORAGE_LINES, token: 'ghp_expired' });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('GitHub rejected the token (401 Bad credentials)');
    expect(run.stdout).toContain('invalid, expired or revoked');
    expect(writes()).toEqual([]);
  });

  it('403: quotes X-Accepted-GitHub-Permissions, names the permission, and does not retry', async () => {
    github.fail({
      method: 'PUT',
      path: /\/actions\/secrets\//,
      status: 403,
      headers: { 'x-accepted-github-permissions': 'secrets=write' },
      body: { message: 'Resource not accessible by personal access token' },
    });

    const run = await runSync(servers(), { repositories: 'berth/api-gateway=ECR_API_URL' });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('GitHub says the call needs: secrets=write');
    expect(run.stdout).toContain('repository permission "Secrets: write" on repository octo-org/berth-demo');
    expect(run.stdout).toContain('GITHUB_TOKEN can never write secrets');
    expect(writes()).toHaveLength(1);
  });

  it('403 on an environment names "Environments: write"', async () => {
    github.fail({
      method: 'PUT',
      path: /\/environments\/staging\/secrets\//,
      status: 403,
      body: { message: 'Forbidden' },
    });

    const run = await runSync(servers(), {
      repositories: 'berth/api-gateway=ECR_API_URL',
      target: 'environment:staging',
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('repository permission "Environments: write"');
  });

  it('404: says the target is missing or the token cannot see it', async () => {
    const run = await runSync(servers(), { repositories: STORAGE_LINES, target: 'repository:octo-org/not-there' });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('repository octo-org/not-there was not found');
    expect(run.stdout).toContain('GitHub answers 404, not 403, when a token lacks access');
    // One annotation per secret that was not written, each naming the missing repository.
    const perName = run.errors.filter((e) => e.startsWith('ECR_'));
    expect(perName).toHaveLength(3);
    for (const error of perName) expect(error).toContain('repository octo-org/not-there was not found');
  });

  it("422: passes on the API's message", async () => {
    github.fail({
      method: 'PUT',
      path: /\/secrets\/ECR_API_URL$/,
      status: 422,
      body: { message: 'Validation Failed', errors: ['encrypted_value is not a valid sealed box'] },
    });

    const run = await runSync(servers(), { repositories: 'berth/api-gateway=ECR_API_URL' });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'GitHub refused to write secret ECR_API_URL (422 Validation Failed: encrypted_value is not a valid sealed box)',
    );
    expect(writes()).toHaveLength(1);
  });

  it('retries a 502 and then succeeds', async () => {
    github.fail({
      method: 'PUT',
      path: /\/secrets\/ECR_API_URL$/,
      status: 502,
      body: { message: 'Server Error' },
      times: 1,
    });

    const run = await runSync(servers(), { repositories: 'berth/api-gateway=ECR_API_URL' });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(writes().map((r) => r.status)).toEqual([502, 201]);
    expect(github.open(REPO_SCOPE, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
  });

  it('waits out a secondary rate limit as retry-after asks, then succeeds', async () => {
    github.fail({
      method: 'PUT',
      path: /\/secrets\/ECR_API_URL$/,
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      times: 1,
    });

    const run = await runSync(servers(), { repositories: 'berth/api-gateway=ECR_API_URL' });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(writes().map((r) => r.status)).toEqual([403, 201]);
    expect(run.stdout).toContain('secondary rate limit');
    expect(github.open(REPO_SCOPE, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
  });

  it('partial failure: writes everything it can, then fails naming exactly what was not written', async () => {
    github.fail({ method: 'PUT', path: /\/secrets\/ECR_PRODUCT_URL$/, status: 403, body: { message: 'Forbidden' } });

    const run = await runSync(servers(), { repositories: STORAGE_LINES });

    expect(run.exitCode).toBe(1);
    expect(github.open(REPO_SCOPE, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
    expect(github.open(REPO_SCOPE, 'ECR_INVENTORY_URL')).toBe(EXPECTED.ECR_INVENTORY_URL);
    expect(github.secret(REPO_SCOPE, 'ECR_PRODUCT_URL')).toBeUndefined();
    expect(run.stdout).toContain('1 of 3 secret writes failed');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      'ECR_PRODUCT_URL → repository octo-org/berth-demo: the token may not write secret ECR_PRODUCT_URL (403 Forbidden)',
    );
    expect(run.errors[0]).not.toContain('ECR_API_URL →');
    expect(run.errors[0]).not.toContain('ECR_INVENTORY_URL →');
    expect(JSON.parse(run.outputs.created ?? '')).toEqual(['ECR_API_URL', 'ECR_INVENTORY_URL']);
    expect(run.summary).toContain(
      '| `ECR_PRODUCT_URL` | repository octo-org/berth-demo | not written: the token may not',
    );
  });
});

describe('input validation', () => {
  it('reports every bad name at once before calling ECR or GitHub', async () => {
    const run = await runSync(servers(), {
      repositories: 'berth/api-gateway=1ECR_URL\nberth/product-service=GITHUB_ECR\nberth/inventory-service=ECR-URL',
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('secret name "1ECR_URL" must not start with a digit');
    expect(run.stdout).toContain('secret name "GITHUB_ECR" must not start with GITHUB_');
    expect(run.stdout).toContain('secret name "ECR-URL" may only contain letters, digits and underscores');
    expect(ecr.calls).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it('rejects an input that is not declared, suggesting the closest', async () => {
    const run = await runSync(servers(), { repositories: STORAGE_LINES, dryrun: 'true' });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "dryrun" is not an input of this action; did you mean "dry-run"?');
    expect(github.requests).toEqual([]);
  });
});

describe('value sources', () => {
  it('fails naming a missing ECR repository and listing those that exist', async () => {
    const run = await runSync(servers(), {
      repositories: 'berth/api-gateway=ECR_API_URL\nberth/payment-service=ECR_PAY_URL',
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('ECR repository "berth/payment-service" not found in region us-east-1');
    expect(run.stdout).toContain(
      'repositories that do exist (all 4): berth/api-gateway, berth/inventory-service, berth/legacy-worker, berth/product-service',
    );
    expect(github.requests).toEqual([]);
  });

  it('reads values from a terraform output -json file instead of ECR, as the storage workflow does', async () => {
    const outputs = {
      ecr_repository_urls: {
        sensitive: false,
        type: ['map', 'string'],
        value: {
          'api-gateway': repositoryUri('berth/api-gateway'),
          'product-service': repositoryUri('berth/product-service'),
        },
      },
    };
    const outputsDir = mkdtempSync(join(tmpdir(), 'storage-outputs-'));
    const outputsFile = join(outputsDir, 'storage-outputs.json');
    writeFileSync(outputsFile, JSON.stringify(outputs));

    const run = await runSync(servers(), {
      repositories: 'ecr_repository_urls.api-gateway=ECR_API_URL\necr_repository_urls.product-service=ECR_PRODUCT_URL',
      'terraform-outputs': outputsFile,
    });
    rmSync(outputsDir, { recursive: true });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.open(REPO_SCOPE, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
    expect(github.open(REPO_SCOPE, 'ECR_PRODUCT_URL')).toBe(EXPECTED.ECR_PRODUCT_URL);
    expect(ecr.calls).toEqual([]);
  });

  it('reads values with terraform output -json in terraform-dir (real terraform), masking sensitive ones', async (context) => {
    requireTerraform(context);
    const directory = await applyOutputsOnlyConfiguration({
      ecr_repository_urls: {
        value: {
          'api-gateway': repositoryUri('berth/api-gateway'),
          'product-service': repositoryUri('berth/product-service'),
        },
      },
      deploy_key: { value: 'very-secret-deploy-key', sensitive: true },
    });

    const run = await runSync(servers(), {
      repositories: 'ecr_repository_urls.api-gateway=ECR_API_URL\ndeploy_key=DEPLOY_KEY',
      'terraform-dir': directory,
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.open(REPO_SCOPE, 'ECR_API_URL')).toBe(EXPECTED.ECR_API_URL);
    expect(github.open(REPO_SCOPE, 'DEPLOY_KEY')).toBe('very-secret-deploy-key');
    expect(run.stdout.split('\n')).toContain('::add-mask::very-secret-deploy-key');
    expect(run.stdout).toContain(`Reading Terraform outputs: terraform output -json in ${directory}`);
    expect(ecr.calls).toEqual([]);
  });

  it('refuses terraform-outputs and terraform-dir together', async () => {
    const run = await runSync(servers(), {
      repositories: 'ecr_repository_urls.api-gateway=ECR_API_URL',
      'terraform-outputs': '{}',
      'terraform-dir': '.',
    });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain('inputs "terraform-outputs" and "terraform-dir" are both given');
    expect(github.requests).toEqual([]);
  });

  it('refuses a value over 48 KB before writing anything', async () => {
    const run = await runSync(servers(), {
      repositories: 'big=BIG_VALUE',
      'terraform-outputs': JSON.stringify({ big: 'x'.repeat(48 * 1024 + 1) }),
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("secret BIG_VALUE: the value is 49153 bytes, over GitHub's limit of 49152 bytes");
    expect(github.requests).toEqual([]);
  });
});
