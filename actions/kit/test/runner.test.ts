import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionError, appendJobSummary, maskValues, runAction } from '../src/index';
import { processSummaryFile } from '../src/testing/run-source';

function captureStdout(): { lines: () => string; restore: () => void } {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += chunk.toString();
    return true;
  });
  return { lines: () => text, restore: () => spy.mockRestore() };
}

describe('runner helpers', () => {
  const savedSummary = process.env.GITHUB_STEP_SUMMARY;
  afterEach(() => {
    if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = savedSummary;
    process.exitCode = 0;
  });

  it('masks every non-empty value through the runner', () => {
    const out = captureStdout();
    maskValues(['123456789012.dkr.ecr.us-east-1.amazonaws.com/x', '', undefined, ' ']);
    out.restore();
    expect(out.lines().trim().split('\n')).toEqual(['::add-mask::123456789012.dkr.ecr.us-east-1.amazonaws.com/x']);
  });

  it('appends to the job summary file, and does nothing outside a runner', async () => {
    // @actions/core resolves the summary file once per process: the one every test of this process uses.
    const file = processSummaryFile();
    writeFileSync(file, 'before\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    await appendJobSummary('### Hello');
    expect(readFileSync(file, 'utf8')).toBe('before\n### Hello\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(appendJobSummary('ignored')).resolves.toBe(false);
  });

  it('turns a thrown error into a failed step with one annotation per problem', async () => {
    const out = captureStdout();
    await runAction(async () => {
      throw ActionError.fromProblems('Invalid inputs', ['first', 'second']);
    });
    out.restore();
    expect(process.exitCode).toBe(1);
    const text = out.lines();
    expect(text).toContain('::error::first');
    expect(text).toContain('::error::second');
    expect(text).toContain('::error::Invalid inputs (2 problems):%0A  - first%0A  - second');
  });

  it('leaves a successful run alone', async () => {
    await runAction(async () => {});
    expect(process.exitCode).toBe(0);
  });
});
