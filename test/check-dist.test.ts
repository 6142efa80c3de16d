import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { listActions } from '../tools/bundle.mjs';

// A stale bundle must never land: rebuild every action into a temporary directory and compare byte for byte.
const repo = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'berth-check-dist-'));
const run = promisify(execFile);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('committed dist/ matches a fresh bundle', () => {
  const actions = listActions() as string[];

  it('finds the actions', () => {
    expect(actions).toContain('render-task-definition');
  });

  it.each(actions)('%s', { timeout: 300_000 }, async (name) => {
    await run(process.execPath, [join(repo, 'tools/bundle.mjs'), '--out', out, name], {
      cwd: repo,
      maxBuffer: 1 << 24,
    });
    const fresh = join(out, name, 'dist');
    const committed = join(repo, 'actions', name, 'dist');
    expect(existsSync(committed), `actions/${name}/dist is missing: run \`npm run bundle\` and commit it`).toBe(true);
    const freshFiles = readdirSync(fresh).sort();
    expect(readdirSync(committed).sort(), `actions/${name}/dist has other files than a fresh bundle`).toEqual(
      freshFiles,
    );
    for (const file of freshFiles) {
      const same = readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file)));
      expect(
        same,
        `actions/${name}/dist/${file} is stale: run \`npm run bundle\` and commit actions/${name}/dist`,
      ).toBe(true);
    }
  });
});
