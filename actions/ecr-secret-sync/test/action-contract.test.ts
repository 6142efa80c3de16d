import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_NAMES } from '../src/main';

const action = parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs main.ts reads and checks against, in the same order', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES]);
  });

  it('gives every optional input a default and runs the bundle on node24', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.required === true || input.default !== undefined, name).toBe(true);
    }
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
