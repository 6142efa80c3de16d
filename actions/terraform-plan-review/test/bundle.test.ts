import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { runBundledAction } from '@berth/kit/testing/run-action';

// The one smoke test of the committed bundle, run as the GitHub runner runs it; behaviour is tested from source.
const actionDir = join(import.meta.dirname, '..');

describe('terraform-plan-review bundle', () => {
  it('summarises a plan into a report through the runner protocol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-review-bundle-'));
    const planJson = join(dir, 'plan.json');
    writeFileSync(
      planJson,
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [
          {
            address: 'terraform_data.a',
            mode: 'managed',
            type: 'terraform_data',
            name: 'a',
            change: { actions: ['delete', 'create'], before: {}, after: {} },
          },
        ],
      }),
    );
    const report = join(dir, 'dev.json');
    const run = await runBundledAction({
      entry: join(actionDir, 'dist', 'index.js'),
      inputs: {
        ...actionInputDefaults(actionDir),
        environment: 'dev',
        'plan-json': planJson,
        'services-dir': '',
        'report-path': report,
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ report, creates: '0', replaces: '1', destroys: '0' });
    expect(JSON.parse(readFileSync(report, 'utf8')).summary.addresses.replace).toEqual(['terraform_data.a']);
    expect(run.summary).toContain('**Replaced (1)**');
  });
});
