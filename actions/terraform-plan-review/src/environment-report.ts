import { escapeCell, markdownTable } from '@berth/kit';
import type { PlanSummary } from './plan-summary';
import type { ServiceRelease } from './release';

/** What one environment's plan job found; written as JSON by that job, read by the job that comments. */
export interface EnvironmentReport {
  environment: string;
  summary: PlanSummary;
  /** The full plan as text (terraform show, or rendered from the JSON). */
  planText: string;
  releases: ServiceRelease[];
  /** Problems that did not stop the review (a release that could not be described), shown to the reader. */
  notes: string[];
}

/** The header line of a review, counts per kind, and a release column. */
export function countsTable(reports: readonly EnvironmentReport[]): string {
  return markdownTable(
    ['Environment', 'Create', 'Update', 'Replace', 'Destroy', 'Release changes'],
    reports.map((report) => {
      const { create, update, replace, destroy } = report.summary.counts;
      const release = report.releases.reduce((sum, service) => sum + service.changes.length, 0);
      return [
        report.environment,
        String(create),
        String(update),
        replace > 0 ? `**${replace}**` : '0',
        destroy > 0 ? `**${destroy}**` : '0',
        String(release),
      ];
    }),
  );
}

/**
 * One environment's section without its full plan: replaced and destroyed addresses first (at most `listLimit`
 * of each, the rest counted), then the release diff per service.
 */
export function environmentSection(report: EnvironmentReport, listLimit: number): string {
  const parts = [`### ${report.environment}`];
  const { addresses } = report.summary;
  const list = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    const shown = items.slice(0, listLimit).map((address) => `- \`${address}\``);
    if (items.length > listLimit) shown.push(`- … and ${items.length - listLimit} more (see the full plan)`);
    parts.push(`**${title} (${items.length})**\n\n${shown.join('\n')}`);
  };
  list('Replaced', addresses.replace);
  list('Destroyed', addresses.destroy);
  if (report.summary.driftedAddresses.length > 0) {
    list('Changed outside Terraform since the last apply', report.summary.driftedAddresses);
  }
  const { create, update, replace, destroy } = report.summary.counts;
  if (create + update + replace + destroy === 0) parts.push('No infrastructure changes.');
  parts.push(releaseSection(report.releases));
  for (const note of report.notes) parts.push(`> [!WARNING]\n> ${note.replace(/\n/g, '\n> ')}`);
  return parts.join('\n\n');
}

function releaseSection(releases: readonly ServiceRelease[]): string {
  if (releases.length === 0) return '**Release:** no task-definition templates.';
  const lines = ['**Release** (rendered task definitions vs what runs)'];
  for (const release of releases) {
    const where = release.runningTaskDefinition
      ? `runs \`${release.runningTaskDefinition.split('/').pop()}\``
      : 'not running yet';
    if (release.problems.length > 0) {
      lines.push(
        `- \`${release.service}\` (${where}): could not be rendered: ${release.problems.map(escapeCell).join('; ')}`,
      );
    } else if (release.changes.length === 0) {
      lines.push(`- \`${release.service}\` (${where}): no change`);
    } else {
      lines.push(
        `- \`${release.service}\` (${where}):\n\n` +
          markdownTable(
            ['Field', 'Running', 'After merge'],
            release.changes.map((change) => [change.field, change.running, change.rendered]),
          )
            .split('\n')
            .map((line) => `  ${line}`)
            .join('\n'),
      );
    }
  }
  return lines.join('\n');
}
