import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { fakeAwsEnv, serveAwsJsonFake, type HttpEndpoint } from '@berth/kit/testing/aws-json-server';
import { runBundledAction } from '@berth/kit/testing/run-action';
import { join } from 'node:path';
import { createFakeEcr, repositoryUri } from './fake-ecr';
import { startFakeGitHub, type FakeGitHub } from './github-api-server';
import { actionDir } from './run-sync';

// The one smoke test of the committed bundle, run as the GitHub runner runs it: ECR and GitHub over HTTP.
// Behaviour is tested from source (ecr-secret-sync.test.ts); this proves the bundle wires it up, sealing included.
describe('ecr-secret-sync bundle', () => {
  let github: FakeGitHub;
  let ecr: HttpEndpoint;
  const fakeEcr = createFakeEcr(['berth/api-gateway', 'berth/product-service']);
  beforeEach(async () => {
    github = await startFakeGitHub();
    github.addRepository('octo-org/berth-demo', 1001);
    ecr = await serveAwsJsonFake(fakeEcr);
  });
  afterEach(async () => {
    await github.close();
    await ecr.close();
  });

  it('reads ECR and writes sealed secrets only the repository key opens, masking every value', async () => {
    const run = await runBundledAction({
      entry: join(actionDir, 'dist', 'index.js'),
      inputs: {
        ...actionInputDefaults(actionDir),
        repositories: 'berth/api-gateway=ECR_API_URL\nberth/product-service=ECR_PRODUCT_URL',
        token: github.token,
        'github-api-url': github.url,
      },
      env: fakeAwsEnv('ECR', ecr.url),
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.open('repo:octo-org/berth-demo', 'ECR_API_URL')).toBe(repositoryUri('berth/api-gateway'));
    expect(github.open('repo:octo-org/berth-demo', 'ECR_PRODUCT_URL')).toBe(repositoryUri('berth/product-service'));
    expect(run.outputs).toEqual({
      created: '["ECR_API_URL","ECR_PRODUCT_URL"]',
      updated: '[]',
      summary: 'created 2, updated 0 secrets across 1 target',
    });
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`::add-mask::${github.token}`);
    expect(lines).toContain(`::add-mask::${repositoryUri('berth/api-gateway')}`);
    expect(run.summary).toContain('| `ECR_API_URL` | repository octo-org/berth-demo | created |');
    const write = github.requests.find((r) => r.method === 'PUT')!;
    expect(String(write.headers['user-agent'])).toMatch(/^berth-ecr-secret-sync\/\d+\.\d+\.\d+ /);
    expect(fakeEcr.calls.map((c) => c.operation)).toEqual(['DescribeRepositories']);
  });
});
