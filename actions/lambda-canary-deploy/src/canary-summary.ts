import { escapeCell, markdownTable } from '@berth/kit';
import { mermaidGantt } from '@berth/kit/timeline';
import type { CanaryResult } from './canary-deploy';

/** The job summary: what moved where, why it failed, what CodeDeploy reported, and the timeline. */
export function canarySummary(result: CanaryResult, deploymentConfig: string): string {
  const target = `${result.functionName}:${result.alias}`;
  const parts = [`## Lambda canary deploy of ${target}: ${result.status} (${result.durationSeconds} s)`];
  parts.push(
    markdownTable(
      ['Alias', 'Version', 'Status', 'Deployment', 'Configuration', 'Why'],
      [
        [
          target,
          result.version === result.previousVersion
            ? result.publishedVersion && result.publishedVersion !== result.version
              ? `${result.version} (published ${result.publishedVersion}, not live)`
              : result.version
            : `${result.previousVersion} → ${result.version}`,
          result.status,
          [result.deploymentId, result.rollbackDeploymentId ? `rollback ${result.rollbackDeploymentId}` : undefined]
            .filter(Boolean)
            .join(', '),
          deploymentConfig || "the deployment group's",
          result.reason,
        ],
      ],
    ),
  );
  if (result.failure) {
    parts.push('### Failure');
    parts.push(
      [
        `- **${escapeCell(target)}**: ${escapeCell(result.failure)}`,
        result.triggeredAlarms.length > 0 ? `- Alarm: ${result.triggeredAlarms.map((a) => `\`${a}\``).join(', ')}` : '',
        result.failedHook ? `- Lifecycle hook: \`${result.failedHook}\`` : '',
        result.rollback ? `- Rollback: ${escapeCell(result.rollback)}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  const chart = mermaidGantt(`${target} deploy`, [{ name: target, entries: result.timeline }]);
  if (chart) parts.push('### Timeline', chart);
  if (result.events.length > 0) {
    parts.push(
      `<details><summary>CodeDeploy events (${result.events.length})</summary>\n\n${result.events.map((e) => `- ${escapeCell(e)}`).join('\n')}\n\n</details>`,
    );
  }
  return parts.join('\n\n') + '\n';
}
