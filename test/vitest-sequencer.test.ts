import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONGEST_FIRST } from '../vitest.sequencer.ts';

describe('the longest-first list of the test sequencer', () => {
  it('names test files that exist, so a renamed one does not silently start last again', () => {
    const root = join(import.meta.dirname, '..');
    expect(LONGEST_FIRST.filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });
});
