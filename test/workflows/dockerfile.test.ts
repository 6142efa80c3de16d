import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imagePinProblem, knownUnpinnedImages, workflowImages } from './policy';
import { loadRepositorySources, repoRoot } from './workflow-files';

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

/** The images the FROM lines build on (earlier stages by name excluded). */
function baseImages(lines: string[]): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of lines) {
    const match = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (match === null) continue;
    const [, image = '', stage] = match;
    if (!stages.has(image)) images.push(image);
    if (stage !== undefined) stages.add(stage);
  }
  return images;
}

describe('the Dockerfile that builds every service image', () => {
  it('installs packages without their install scripts, like every workflow job', () => {
    const installs = dockerfile.filter((line) => /^RUN\b.*\bnpm\s+(ci|install|i)\b/.test(line));
    expect(installs.length).toBeGreaterThan(0);
    expect(installs.filter((line) => !/\s--ignore-scripts\b/.test(line))).toEqual([]);
  });

  it('builds on base images pinned by digest (or listed as known exceptions in policy.ts)', () => {
    const images = baseImages(dockerfile);
    expect(images.length).toBeGreaterThan(0);
    expect(images.map((image) => imagePinProblem(image)).filter(Boolean)).toEqual([]);
  });
});

describe('the known unpinned images', () => {
  it('are each still used, so the list only shrinks', () => {
    const used = new Set([...baseImages(dockerfile), ...workflowImages(loadRepositorySources())]);
    expect(Object.keys(knownUnpinnedImages).filter((image) => !used.has(image))).toEqual([]);
  });

  it('a base image by tag alone is refused', () => {
    expect(baseImages(instructions('FROM node:24-alpine AS runtime\nFROM runtime\n'))).toEqual(['node:24-alpine']);
    expect(imagePinProblem('node:24-alpine')).toContain('is not pinned to an image digest');
  });
});
