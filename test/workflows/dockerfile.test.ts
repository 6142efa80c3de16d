import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './workflow-files';

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function instructions(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const dockerfile = instructions(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));

describe('the Dockerfile that builds every service image', () => {
  it('installs packages without their install scripts, like every workflow job', () => {
    const installs = dockerfile.filter((line) => /^RUN\b.*\bnpm\s+(ci|install|i)\b/.test(line));
    expect(installs.length).toBeGreaterThan(0);
    expect(installs.filter((line) => !/\s--ignore-scripts\b/.test(line))).toEqual([]);
  });
});
