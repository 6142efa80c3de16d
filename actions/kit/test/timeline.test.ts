import { describe, expect, it } from 'vitest';
import { mermaidGantt, mermaidText } from '../src/timeline';

describe('mermaidGantt', () => {
  it('draws sections of bars and milestones at absolute times, sorted, with tags by kind', () => {
    const chart = mermaidGantt('Rollout to berth-prod', [
      {
        name: 'api-gateway',
        entries: [
          { label: 'failed - alarm berth-prod-api-gateway-5xx', start: 2_000, end: 9_000, kind: 'failed' },
          { label: 'api-gateway:7 registered', start: 1_000, kind: 'milestone' },
          { label: 'rollback to api-gateway:6', start: 9_000, end: 12_500, kind: 'done' },
          { label: 'deployment', start: 3_000, kind: 'active' },
        ],
      },
      { name: 'idle', entries: [] },
    ]);
    expect(chart).toBe(
      [
        '```mermaid',
        'gantt',
        '  title Rollout to berth-prod',
        '  dateFormat x',
        '  axisFormat %H:%M:%S',
        '  section api-gateway',
        '    api-gateway∶7 registered :milestone, 1000, 1000',
        '    failed - alarm berth-prod-api-gateway-5xx :crit, 2000, 9000',
        '    deployment :active, 3000, 3001',
        '    rollback to api-gateway∶6 :done, 9000, 12500',
        '```',
      ].join('\n'),
    );
  });

  it('draws nothing without entries', () => {
    expect(mermaidGantt('empty', [{ name: 'web', entries: [] }])).toBe('');
  });
});

describe('mermaidText', () => {
  it('keeps out what ends a task name or a statement, and shortens long text', () => {
    expect(mermaidText('CannotPullContainerError: not found; #3\nretry')).toBe(
      'CannotPullContainerError∶ not found, no. 3 retry',
    );
    expect(mermaidText('x'.repeat(200))).toHaveLength(90);
    expect(mermaidText('  ')).toBe('-');
  });
});
