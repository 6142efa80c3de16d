import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleDrift, listActions, MANIFEST } from '../actions/bundle.mjs';

// A stale bundle must never land. Each dist/ records what its build read (bundle-inputs.json): when every input
// is unchanged and every output is as written, the bundle is what a build would write now. Otherwise the action is
// rebuilt into a temporary directory and compared byte for byte, so the failure says which file differs.
const repo = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'berth-check-dist-'));
const run = promisify(execFile);
/** The budget for one action's entry file; the official ECS deploy action's is 2,628,630 B. */
const INDEX_BUDGET_BYTES = 2_000_000;

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('committed dist/ matches a fresh bundle', () => {
  const actions = listActions();

  it('finds the actions', () => {
    expect(actions).toEqual([
      'ecr-secret-sync',
      'ecs-rollout',
      'lambda-canary-deploy',
      'notify-lambda-url',
      'render-task-definition',
      'terraform-plan-review',
    ]);
  });

  it.each(actions)('%s', { timeout: 300_000 }, async (name) => {
    const committed = join(repo, 'actions', name, 'dist');
    expect(existsSync(committed), `actions/${name}/dist is missing: run \`npm run bundle\` and commit it`).toBe(true);
    const drift = bundleDrift(committed);
    if (drift.length > 0) {
      await run(process.execPath, [join(repo, 'actions/bundle.mjs'), '--out', out, name], {
        cwd: repo,
        maxBuffer: 1 << 24,
      });
      const fresh = join(out, name, 'dist');
      const freshFiles = readdirSync(fresh).sort();
      const why = `since actions/${name}/dist was built: ${drift.slice(0, 8).join('; ')}`;
      expect(
        readdirSync(committed).sort(),
        `actions/${name}/dist has other files than a fresh bundle (${why})`,
      ).toEqual(freshFiles);
      for (const file of freshFiles) {
        const same = readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file)));
        expect(
          same,
          `actions/${name}/dist/${file} is stale (${why}): run \`npm run bundle\` and commit actions/${name}/dist`,
        ).toBe(true);
      }
    }
    const indexBytes = statSync(join(committed, 'index.js')).size;
    expect(indexBytes, `actions/${name}/dist/index.js is ${indexBytes} B`).toBeLessThan(INDEX_BUDGET_BYTES);
  });
});

describe('bundleDrift', () => {
  const source = join(repo, 'actions', 'render-task-definition', 'dist');

  /** A copy of a committed dist/ whose manifest a test may edit, so the check has something to find. */
  function copyOfDist(edit: (manifest: { inputs: Record<string, string>; absent: string[] }) => void): string {
    const copy = join(mkdtempSync(join(out, 'drift-')), 'dist');
    cpSync(source, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(copy, MANIFEST), 'utf8'));
    edit(manifest);
    writeFileSync(join(copy, MANIFEST), JSON.stringify(manifest));
    return copy;
  }

  it('finds nothing in a dist/ whose inputs and outputs are as recorded', () => {
    expect(bundleDrift(copyOfDist(() => undefined))).toEqual([]);
  });

  it('names a changed input, a probed path that appeared, and an edited or extra output', () => {
    const copy = copyOfDist((manifest) => {
      manifest.inputs['actions/kit/src/inputs.ts'] = '0'.repeat(64);
      manifest.absent.push('actions/kit/src/index.ts');
    });
    writeFileSync(join(copy, 'index.js'), `${readFileSync(join(copy, 'index.js'), 'utf8')}\n// edited by hand`);
    writeFileSync(join(copy, 'extra.js'), '');
    expect(bundleDrift(copy)).toEqual([
      'input actions/kit/src/inputs.ts changed',
      'actions/kit/src/index.ts exists now',
      'dist/extra.js was not written by the build',
      'dist/index.js was changed',
    ]);
  });

  it('names a missing manifest and a missing output', () => {
    const copy = copyOfDist(() => undefined);
    rmSync(join(copy, 'licenses.txt'));
    expect(bundleDrift(copy)).toEqual(['dist/licenses.txt is missing']);
    rmSync(join(copy, MANIFEST));
    expect(bundleDrift(copy)).toEqual([`${MANIFEST} is missing`]);
  });
});
