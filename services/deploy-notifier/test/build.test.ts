import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLambda } from '../scripts/build.mjs';
import { readZip } from './read-zip';

const dir = mkdtempSync(join(tmpdir(), 'deploy-notifier-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('build:lambda', () => {
  it('zips one self-contained index.js exporting handler, byte-identical on every build', async () => {
    const first = await buildLambda({ out: join(dir, 'a.zip') });
    const second = await buildLambda({ out: join(dir, 'b.zip') });
    const bytes = readFileSync(first.zipPath);
    expect(readFileSync(second.zipPath).equals(bytes)).toBe(true);
    console.log(
      `deploy-notifier zip: ${(first.zipBytes / 1024).toFixed(0)} KiB (index.js ${(first.codeBytes / 1024).toFixed(0)} KiB), built in ${first.ms} ms`,
    );

    const files = readZip(bytes);
    expect([...files.keys()]).toEqual(['index.js']);
    // Loaded from a directory with no node_modules, as in the Lambda runtime.
    const extracted = join(dir, 'index.js');
    writeFileSync(extracted, files.get('index.js')!);
    const loaded = createRequire(extracted)(extracted) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  });
});
