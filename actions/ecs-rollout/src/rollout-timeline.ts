import type { TimelineEntry, TimelineSection } from '@berth/kit/timeline';
import type { ServiceResult } from './types';

/** `web:12` for `arn:aws:ecs:…:task-definition/web:12`. */
function short(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Each deployed service's rollout as timeline entries: registered, deployment started, tasks running (or traffic
 * steps for CodeDeploy), steady or failed — the failed bar carries the cause — and the rollback with its end.
 */
export function rolloutTimeline(results: readonly ServiceResult[]): TimelineSection[] {
  return results
    .filter((r) => r.times.started !== undefined)
    .map((r) => ({ name: r.service, entries: serviceEntries(r) }));
}

function serviceEntries(r: ServiceResult): TimelineEntry[] {
  const { times } = r;
  const entries: TimelineEntry[] = [];
  if (times.registered !== undefined)
    entries.push({ label: `${short(r.newTaskDefinitionArn)} registered`, start: times.registered, kind: 'milestone' });
  const started = times.started!;
  const decided = times.decided ?? times.rollbackStarted;
  const succeeded = r.status === 'succeeded';
  entries.push({
    label:
      succeeded || decided === undefined
        ? `deployment ${r.deploymentId ?? ''}`
        : `failed - ${r.cause ?? 'see Failures'}`,
    start: started,
    end: decided ?? started,
    kind: decided === undefined ? 'active' : succeeded ? 'done' : 'failed',
  });
  if (times.tasksRunning !== undefined)
    entries.push({ label: 'all tasks running', start: times.tasksRunning, kind: 'milestone' });
  for (const shift of times.trafficShifts ?? []) {
    if (shift.percent > 0)
      entries.push({
        label: `${shift.percent}% of traffic on ${short(r.newTaskDefinitionArn)}`,
        start: shift.at,
        kind: 'milestone',
      });
  }
  if (succeeded && times.decided !== undefined)
    entries.push({
      label: r.controller === 'CODE_DEPLOY' ? 'all traffic shifted' : 'steady',
      start: times.decided,
      kind: 'milestone',
    });
  if (times.rollbackStarted !== undefined) {
    const rolledBack = r.status === 'rolled-back';
    entries.push({
      label: `rollback to ${short(r.oldTaskDefinitionArn)}`,
      start: times.rollbackStarted,
      end: times.rollbackEnded ?? times.rollbackStarted,
      kind: times.rollbackEnded === undefined ? 'active' : rolledBack ? 'done' : 'failed',
    });
    if (rolledBack && times.rollbackEnded !== undefined)
      entries.push({ label: 'rollback done', start: times.rollbackEnded, kind: 'milestone' });
  }
  return entries;
}
