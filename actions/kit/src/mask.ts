import * as core from '@actions/core';

/** Registers values with the runner so they are replaced by *** in every later log line. */
export function maskValues(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (value && value.trim() !== '') core.setSecret(value);
  }
}
