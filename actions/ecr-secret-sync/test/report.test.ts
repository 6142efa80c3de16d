import { describe, expect, it } from 'vitest';
import { namesWith, summaryLine, summaryMarkdown } from '../src/report';
import type { SyncReport } from '../src/sync';

const report: SyncReport = {
  results: [
    { name: 'B_URL', target: 'repository o/r', outcome: 'created' },
    { name: 'A_URL', target: 'repository o/r', outcome: 'updated' },
    { name: 'A_URL', target: 'environment "prod" of o/r', outcome: 'created' },
    { name: 'B_URL', target: 'environment "prod" of o/r', outcome: 'not written', reason: 'a | b\nc' },
  ],
  environments: [{ target: 'environment "prod" of o/r', state: 'created' }],
};

describe('report', () => {
  it('lists each name once per outcome, in input order, across targets', () => {
    expect(namesWith(report, 'created', ['A_URL', 'B_URL'])).toEqual(['A_URL', 'B_URL']);
    expect(namesWith(report, 'updated', ['A_URL', 'B_URL'])).toEqual(['A_URL']);
  });

  it('counts writes, not names', () => {
    expect(summaryLine(report, 'secret', false)).toBe('created 2, updated 1, not written 1 secrets across 2 targets');
  });

  it('keeps a reason with pipes and newlines inside its table cell', () => {
    const markdown = summaryMarkdown(report, 'secret', false);
    expect(markdown).toContain('| `B_URL` | environment "prod" of o/r | not written: a \\| b<br>c |');
    expect(markdown).toContain('- environment "prod" of o/r: created');
  });
});
