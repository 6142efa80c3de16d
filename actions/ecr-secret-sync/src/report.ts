import { markdownTable } from '@berth/kit';
import type { Kind } from './target-api';
import type { SyncReport, WriteResult } from './sync';

/** Names with the given outcome in any target, each once, in the order of `names` (the input order). */
export function namesWith(report: SyncReport, outcome: WriteResult['outcome'], names: readonly string[]): string[] {
  const matching = new Set(report.results.filter((r) => r.outcome === outcome).map((r) => r.name));
  return names.filter((name) => matching.has(name));
}

/** One line for the `summary` output and the log. */
export function summaryLine(report: SyncReport, kind: Kind, dryRun: boolean): string {
  const count = (outcome: WriteResult['outcome']): number => report.results.filter((r) => r.outcome === outcome).length;
  const targets = new Set(report.results.map((r) => r.target)).size;
  const parts = dryRun
    ? [`dry run: would create ${count('would create')}`, `would update ${count('would update')}`]
    : [`created ${count('created')}`, `updated ${count('updated')}`];
  const failed = count('not written');
  if (failed > 0) parts.push(`not written ${failed}`);
  return `${parts.join(', ')} ${kind}s across ${targets} target${targets === 1 ? '' : 's'}`;
}

/** The job summary: name, target and result of every write. Values never appear. */
export function summaryMarkdown(report: SyncReport, kind: Kind, dryRun: boolean): string {
  const heading = `### ECR ${kind === 'secret' ? 'secrets' : 'variables'} sync${dryRun ? ' (dry run: nothing written)' : ''}`;
  const rows = report.results.map((r) => [
    `\`${r.name}\``,
    r.target,
    r.outcome === 'not written' ? `not written: ${r.reason ?? 'unknown reason'}` : r.outcome,
  ]);
  const environments = report.environments.map((e) => `- ${e.target}: ${e.state}`);
  return [
    heading,
    '',
    markdownTable(['Name', 'Target', 'Result'], rows),
    ...(environments.length > 0 ? ['', '**Environments**', '', ...environments] : []),
    '',
    summaryLine(report, kind, dryRun),
    '',
  ].join('\n');
}
