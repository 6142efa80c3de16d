import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { runBundledAction } from '@berth/kit/testing/run-action';

// The one smoke test of the committed bundle, run as the GitHub runner runs it. Behaviour is tested from source
// (action.test.ts); this proves the bundle wires it up, and that hcl2-parser stays out of the start-up path.
const actionDir = join(import.meta.dirname, '..');
const repo = join(actionDir, '..', '..');
const dist = join(actionDir, 'dist');
const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway:abc123';

describe('render-task-definition bundle', () => {
  it('renders without its hcl2-parser chunk, and loads the chunk when it reads tfvars', async () => {
    const chunks = readdirSync(dist).filter((file) => /^\d+\.index\.js$/.test(file));
    expect(chunks, 'dist/ holds index.js and one lazily loaded chunk').toHaveLength(1);
    expect(readFileSync(join(dist, chunks[0]!), 'utf8')).toContain('gopherjs');
    expect(readFileSync(join(dist, 'index.js'), 'utf8')).not.toContain('gopherjs');

    // index.js alone, beside no chunk, in a caller repository without tfvars: the render needs only the outputs.
    const alone = mkdtempSync(join(tmpdir(), 'render-bundle-alone-'));
    copyFileSync(join(dist, 'index.js'), join(alone, 'index.js'));
    copyFileSync(join(dist, 'package.json'), join(alone, 'package.json'));
    const caller = mkdtempSync(join(tmpdir(), 'render-caller-'));
    const template = readFileSync(join(repo, 'services/api-gateway/task-definition.json'), 'utf8')
      .replaceAll('${project}', 'berth')
      .replace('${service_cpu.api-gateway}', '512')
      .replace('${service_memory.api-gateway}', '1024');
    writeFileSync(join(caller, 'task-definition.json'), template);
    const withoutTfvars = await runBundledAction({
      entry: join(alone, 'index.js'),
      cwd: caller,
      inputs: {
        ...actionInputDefaults(actionDir),
        template: 'task-definition.json',
        environment: 'dev',
        'terraform-outputs': join(actionDir, 'examples/terraform-outputs.dev.json'),
        images: `api-gateway=${image}`,
        'output-path': join(caller, 'rendered.json'),
      },
    });
    expect(withoutTfvars.exitCode, withoutTfvars.stdout + withoutTfvars.stderr).toBe(0);
    expect(withoutTfvars.outputs).toEqual({
      'task-definition': join(caller, 'rendered.json'),
      family: 'berth-dev-api-gateway',
      containers: JSON.stringify({ 'api-gateway': image }),
    });
    expect(JSON.parse(readFileSync(join(caller, 'rendered.json'), 'utf8'))).toMatchObject({ cpu: '512' });
    expect(withoutTfvars.summary).toContain('### Task definition `berth-dev-api-gateway` (dev)');

    // The committed dist/ with tfvars: the chunk loads and the tfvars fill the placeholders.
    const withTfvars = await runBundledAction({
      entry: join(dist, 'index.js'),
      cwd: repo,
      inputs: {
        ...actionInputDefaults(actionDir),
        template: 'services/api-gateway/task-definition.json',
        environment: 'dev',
        tfvars: 'actions/render-task-definition/test/fixtures/unit.tfvars',
        'terraform-outputs': 'actions/render-task-definition/examples/terraform-outputs.dev.json',
        images: `api-gateway=${image}`,
        'output-path': join(caller, 'with-tfvars.json'),
      },
    });
    expect(withTfvars.exitCode, withTfvars.stdout + withTfvars.stderr).toBe(0);
    expect(JSON.parse(readFileSync(withTfvars.outputs['task-definition']!, 'utf8'))).toMatchObject({
      family: 'berth-dev-api-gateway',
      cpu: '256',
      memory: '512',
    });
  });
});
