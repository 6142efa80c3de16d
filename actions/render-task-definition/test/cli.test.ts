import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCli } from '../src/render-cli';

const repo = join(import.meta.dirname, '..', '..', '..');

/** `npm run render` from source, in this process, from the repository root as npm runs it. */
async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(repo);
  try {
    const code = await renderCli(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    });
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
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
    expect(result.stderr).toContain(
      'unresolved placeholders: ${execution_role_arns.api-gateway} (at executionRoleArn)',
    );
    expect(result.stderr).toContain('${images.api-gateway} (at containerDefinitions[0].image)');
    expect(result.stderr).toContain('Define them in terraform/environments/dev.tfvars');
    expect(result.stderr).toContain('(neither "terraform-outputs" nor "terraform-dir" was given)');
  });

  it('shows usage for missing arguments, and exits 2 for a malformed setting', async () => {
    const result = await render([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: npm run render/);
    const malformed = await render(['--environment', 'dev', '--template', 'x.json', '--env', 'no-colon']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('"--env" line 1 "no-colon" is not of the form container:NAME=value');
  });

  it('refuses a container given twice in --images, and images outside --allowed-image-repositories', async () => {
    const template = ['--environment', 'dev', '--template', 'services/api-gateway/task-definition.json'];
    const outputs = ['--terraform-outputs', 'actions/render-task-definition/examples/terraform-outputs.dev.json'];
    const twice = await render([...template, '--images', 'api-gateway=a/b:1,api-gateway=docker.io/attacker/x:1']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('input "--images" gives container "api-gateway" 2 images');

    const allowed = '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway';
    const outside = await render([
      ...template,
      ...outputs,
      '--images',
      'api-gateway=docker.io/attacker/x:1',
      '--allowed-image-repositories',
      allowed,
    ]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('is from repository docker.io/attacker/x, which "allowed-image-repositories"');

    const inside = await render([
      ...template,
      ...outputs,
      '--image-tag',
      '1.0.0',
      '--allowed-image-repositories',
      allowed,
    ]);
    expect(inside.stderr).toBe('');
    expect(inside.code).toBe(0);

    const tagged = await render([...template, '--allowed-image-repositories', `${allowed}:1`]);
    expect(tagged.code).toBe(2);
    expect(tagged.stderr).toContain(`input "--allowed-image-repositories" item "${allowed}:1" has a tag`);
  });

  it('fails naming a tfvars file given with --tfvars that does not exist', async () => {
    const failure = await render([
      '--environment',
      'dev',
      '--template',
      'services/api-gateway/task-definition.json',
      '--tfvars',
      'missing.tfvars',
    ]).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/cannot read tfvars file missing\.tfvars \(ENOENT\)/);
  });
});
