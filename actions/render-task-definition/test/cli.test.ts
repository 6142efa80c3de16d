import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..', '..');
const tsx = join(repo, 'node_modules', '.bin', 'tsx');
const cli = join(repo, 'actions/render-task-definition/src/cli.ts');

async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [cli, ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run render', () => {
  it('renders all three services for all three environments from the repository files', async () => {
    const args = ['dev', 'staging', 'prod'].flatMap((env) => ['--environment', env]);
    for (const service of ['api-gateway', 'product-service', 'inventory-service'])
      args.push('--template', `services/${service}/task-definition.json`);
    args.push(
      '--terraform-outputs',
      'actions/render-task-definition/examples/terraform-outputs.{env}.json',
      '--image-tag',
      '1.0.0',
    );
    const result = await render(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const families = [...result.stdout.matchAll(/"family": "([^"]+)"/g)].map((m) => m[1]);
    expect(families).toEqual([
      'berth-dev-api-gateway',
      'berth-dev-product-service',
      'berth-dev-inventory-service',
      'berth-staging-api-gateway',
      'berth-staging-product-service',
      'berth-staging-inventory-service',
      'berth-prod-api-gateway',
      'berth-prod-product-service',
      'berth-prod-inventory-service',
    ]);
    expect(result.stdout).toContain(
      '"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/product-service:1.0.0"',
    );
  });

  it('prints the problems and exits 1 without AWS access', async () => {
    const result = await render(['--environment', 'dev', '--template', 'services/api-gateway/task-definition.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unresolved placeholders: ${execution_role_arn} (at executionRoleArn)');
    expect(result.stderr).toContain('${images.api-gateway} (at containerDefinitions[0].image)');
    expect(result.stderr).toContain('${execution_role_arn}');
    expect(result.stderr).toContain('(no "terraform-outputs" input was given)');
  });

  it('shows usage for missing arguments', async () => {
    const result = await render([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: npm run render/);
  });
});
