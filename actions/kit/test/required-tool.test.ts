import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findOnPath, missingExecutable, skipUnlessCi, terraformMissing } from '../src/testing/required-tool.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-required-tool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('missingExecutable', () => {
  it('is undefined for an executable file', () => {
    const tool = join(dir, 'tool');
    writeFileSync(tool, '#!/bin/sh\n', { mode: 0o755 });
    expect(missingExecutable(tool, 'install it')).toBeUndefined();
  });

  it('names the path and how to get the tool when it is absent, a directory or not executable', () => {
    const plain = join(dir, 'plain');
    writeFileSync(plain, '', { mode: 0o644 });
    expect(missingExecutable(join(dir, 'absent'), 'apt-get install x')).toBe(
      `${join(dir, 'absent')} is not an executable file: apt-get install x`,
    );
    expect(missingExecutable(dir, 'apt-get install x')).toBe(`${dir} is not a file: apt-get install x`);
    expect(missingExecutable(plain, 'apt-get install x')).toBe(`${plain} is not an executable file: apt-get install x`);
  });
});

describe('findOnPath and terraformMissing', () => {
  it('finds the first executable of that name on PATH and says how to get terraform when none is', () => {
    const bin = join(dir, 'bin');
    const empty = join(dir, 'empty-bin');
    mkdirSync(bin);
    mkdirSync(empty);
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(empty, 'terraform'), '', { mode: 0o644 });
    const path = [empty, bin].join(delimiter);
    expect(findOnPath('terraform', { PATH: path })).toBe(join(bin, 'terraform'));
    expect(terraformMissing({ PATH: path })).toBeUndefined();
    expect(terraformMissing({ PATH: empty })).toMatch(/^terraform is not on PATH: install Terraform 1\.11/);
    expect(terraformMissing({})).toBeDefined();
  });
});

describe('skipUnlessCi', () => {
  it('skips with the reason on a developer machine', () => {
    const skip = vi.fn(() => {
      throw new Error('skip called');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => skipUnlessCi({ skip }, 'no chromium: apt-get install chromium', {})).toThrow('skip called');
    expect(skip).toHaveBeenCalledWith('no chromium: apt-get install chromium');
    expect(warn).toHaveBeenCalledWith('skipped: no chromium: apt-get install chromium');
    warn.mockRestore();
  });

  it('fails under CI=true instead of skipping', () => {
    const skip = vi.fn();
    expect(() => skipUnlessCi({ skip }, 'no chromium', { CI: 'true' })).toThrow(
      'CI=true: this test must run, but no chromium',
    );
    expect(() => skipUnlessCi({ skip }, 'no terraform', { CI: 'true' }, 'the plan tests')).toThrow(
      'CI=true: the plan tests must run, but no terraform',
    );
    expect(skip).not.toHaveBeenCalled();
  });
});
