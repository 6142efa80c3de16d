import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTerraform } from '../check.ts';
import { DOCS_BEGIN } from '../docs.ts';

const cli = join(import.meta.dirname, '..', 'cli.ts');
const docsCli = join(import.meta.dirname, '..', 'docs-cli.ts');
const fixtures = join(import.meta.dirname, 'fixtures');

function tfCheck(terraformDir: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, terraformDir], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run tf:check', () => {
  it('exits 1 and prints file:line, block, [rule] and message for each problem', () => {
    const result = tfCheck(join(fixtures, 'syntax', 'terraform'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'terraform/platform/main.tf:1: file: [hcl-syntax] the file is not valid HCL, so no rule could check it',
    );
    expect(result.stderr).toMatch(/tf:check: \d+ problem\(s\) in /);
  });
});

describe('npm run tf:docs', () => {
  const copy = mkdtempSync(join(tmpdir(), 'tf-docs-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('rewrites a stale README section so readme-docs passes, keeping the prose', () => {
    cpSync(join(fixtures, 'structure', 'terraform'), join(copy, 'terraform'), { recursive: true });
    const readme = join(copy, 'terraform', 'modules', 'old-versions', 'README.md');
    const ruleFindings = () =>
      checkTerraform({ terraformDir: join(copy, 'terraform'), requiredOutputs: {} }).filter(
        (f) => f.rule === 'readme-docs',
      );
    expect(ruleFindings()).toHaveLength(1);

    const result = spawnSync(process.execPath, ['--import', 'tsx', docsCli, join(copy, 'terraform')], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('updated terraform/modules/old-versions/README.md');
    const text = readFileSync(readme, 'utf8');
    expect(text).toContain('Its generated tables were written before');
    expect(text).toContain(`${DOCS_BEGIN}\n## Inputs`);
    expect(text).toContain('| `name` | `string` | `"old"` | no | Queue name. |');
    expect(ruleFindings()).toEqual([]);
  });
});
