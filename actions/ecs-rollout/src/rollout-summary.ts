import { codeBlock, escapeCell, markdownTable } from '@berth/kit';
import { mermaidGantt } from '@berth/kit/timeline';
import { rolloutTimeline } from './rollout-timeline';
import type { ServicePlan } from './rollout-plan';
import type { ServiceResult, ServiceStatus } from './types';

/** The step's overall status: the worst service status wins; unchanged only when nothing was deployed. */
export function overallStatus(results: readonly ServiceResult[]): ServiceStatus {
  if (results.some((r) => r.status === 'failed')) return 'failed';
  if (results.some((r) => r.status === 'rolled-back')) return 'rolled-back';
  if (results.some((r) => r.status === 'succeeded')) return 'succeeded';
  return 'unchanged';
}

/** `web:12` for `arn:aws:ecs:…:task-definition/web:12`. */
export function shortTaskDefinition(arn: string | undefined): string {
  if (!arn) return '';
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function rolloutSummary(options: {
  cluster: string;
  status: ServiceStatus | 'dry-run';
  plans: readonly ServicePlan[];
  results: readonly ServiceResult[];
  durationSeconds: number;
}): string {
  const { plans, results } = options;
  const parts: string[] = [`## ECS rollout to ${options.cluster}: ${options.status} (${options.durationSeconds} s)`];
  if (options.status === 'dry-run') {
    parts.push(
      markdownTable(
        ['Service', 'Running', 'Plan'],
        plans.map((p) => [
          p.service,
          shortTaskDefinition(p.oldTaskDefinitionArn),
          p.needsUpdate
            ? `update (${p.reason})${p.reuseArn ? `, reusing ${shortTaskDefinition(p.reuseArn)}` : ', registering a new revision'}` +
              (p.controller === 'CODE_DEPLOY' ? ' through CodeDeploy' : '')
            : `nothing to do (${p.reason})`,
        ]),
      ),
    );
  } else {
    parts.push(
      markdownTable(
        ['Service', 'Task definition', 'Status', 'Duration', 'Tasks started', 'Tasks failed', 'Deployment'],
        results.map((r) => [
          r.service,
          r.oldTaskDefinitionArn === r.newTaskDefinitionArn
            ? shortTaskDefinition(r.newTaskDefinitionArn)
            : `${shortTaskDefinition(r.oldTaskDefinitionArn)} → ${shortTaskDefinition(r.newTaskDefinitionArn)}`,
          r.status,
          `${r.durationSeconds} s`,
          String(r.tasksStarted),
          String(r.tasksFailed),
          [r.deploymentId, r.rollbackDeploymentId ? `rollback ${r.rollbackDeploymentId}` : undefined]
            .filter(Boolean)
            .join(', '),
        ]),
      ),
    );
  }
  const problems = results.filter((r) => r.failure);
  if (problems.length > 0) {
    parts.push('### Failures');
    parts.push(
      problems
        .map(
          (r) =>
            `- **${escapeCell(r.service)}**: ${escapeCell(r.failure ?? '')}` +
            (r.triggeredAlarms.length > 0 ? `<br>Alarm: ${r.triggeredAlarms.map((a) => `\`${a}\``).join(', ')}` : '') +
            (r.rollback ? `<br>Rollback: ${escapeCell(r.rollback)}` : ''),
        )
        .join('\n'),
    );
  }
  const timeline = mermaidGantt(`Rollout to ${options.cluster}`, rolloutTimeline(results));
  if (timeline) parts.push('### Timeline', timeline);
  const shownDiffs = new Set<string>();
  const diffParts: string[] = [];
  for (const plan of plans) {
    const text = plan.diff.length > 0 ? plan.diff.join('\n') : '(no differences)';
    const key = `${plan.oldTaskDefinitionArn}\n${text}`;
    if (shownDiffs.has(key)) continue;
    shownDiffs.add(key);
    const users = plans
      .filter((p) => `${p.oldTaskDefinitionArn}\n${p.diff.join('\n') || '(no differences)'}` === key)
      .map((p) => p.service);
    diffParts.push(
      `**${users.join(', ')}**: ${shortTaskDefinition(plan.oldTaskDefinitionArn)} → ${plan.taskDefinitionPath}\n\n${codeBlock(text, 'diff')}`,
    );
  }
  parts.push('### Task definition changes', ...diffParts);
  const stopped = results.flatMap((r) => r.stoppedTasks.map((t) => ({ service: r.service, task: t })));
  if (stopped.length > 0) {
    parts.push('### Stopped tasks');
    parts.push(
      markdownTable(
        ['Service', 'Task', 'Container', 'Exit code', 'Stopped reason', 'Counted as failure'],
        stopped.map(({ service, task }) => [
          service,
          task.taskId,
          task.containerName ?? '',
          task.exitCode === undefined ? '' : String(task.exitCode),
          task.stoppedReason,
          task.failed ? 'yes' : 'no',
        ]),
      ),
    );
  }
  const withEvents = results.filter((r) => r.events.length > 0);
  if (withEvents.length > 0) {
    parts.push('### Service events');
    for (const r of withEvents) {
      parts.push(
        `<details><summary>${escapeCell(r.service)} (${r.events.length})</summary>\n\n${r.events.map((e) => `- ${escapeCell(e)}`).join('\n')}\n\n</details>`,
      );
    }
  }
  return parts.join('\n\n') + '\n';
}
