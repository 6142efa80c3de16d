import { describe, expect, it, vi } from 'vitest';
import { skipWithoutTerraform } from '../require-terraform.ts';

const unavailable = { missing: 'terraform is not on PATH: install Terraform 1.11' };

describe('skipWithoutTerraform', () => {
  it('fails under CI=true, naming what had to run and why it could not', () => {
    const context = { skip: vi.fn() };
    expect(() => skipWithoutTerraform(context, unavailable, 'the IAM simulator tests', { CI: 'true' })).toThrow(
      'CI=true: the IAM simulator tests must run, but terraform is not on PATH: install Terraform 1.11',
    );
    expect(context.skip).not.toHaveBeenCalled();
  });

  it('skips elsewhere with what to do as the note, and prints it', () => {
    // vitest's context.skip ends the test by throwing.
    const context = {
      skip: vi.fn(() => {
        throw new Error('skip called');
      }),
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(() => skipWithoutTerraform(context, unavailable, undefined, {})).toThrow('skip called');
      expect(context.skip).toHaveBeenCalledWith(unavailable.missing);
      expect(warn).toHaveBeenCalledWith(`skipped (the Terraform checks): ${unavailable.missing}`);
    } finally {
      warn.mockRestore();
    }
  });
});
