import { markdownTable } from '@berth/kit';
import { appliedLine, type StepOutcome } from './apply.ts';
import type { Action, Step } from './plan.ts';

function counts(steps: readonly Step[]): Record<Action, number> {
  const result: Record<Action, number> = { create: 0, change: 0, delete: 0, replace: 0, leave: 0 };
  for (const step of steps) result[step.action]++;
  return result;
}

function countsText(steps: readonly Step[]): string {
  const c = counts(steps);
  return (
    `${c.create} to create, ${c.change} to change, ${c.delete} to delete, ` +
    `${c.replace} secret${c.replace === 1 ? '' : 's'} to replace, ${c.leave} to leave as they are`
  );
}

/** The plan, one line per step: action, subject and what changes. Secret values never appear. */
export function planLines(repository: string, steps: readonly Step[], dryRun: boolean): string[] {
  const width = Math.max(...steps.map((step) => step.subject.length));
  return [
    `Plan for ${repository}${dryRun ? ' (dry run: nothing is written)' : ''}:`,
    ...steps.map((step) =>
      step.details.length > 0
        ? `  ${step.action.padEnd(7)} ${step.subject.padEnd(width)}  ${step.details.join('; ')}`
        : `  ${step.action.padEnd(7)} ${step.subject}`,
    ),
    `${countsText(steps)}.`,
  ];
}

/** The closing report: on success one line; otherwise what was applied and what was not, and why. */
export function outcomeLines(repository: string, outcomes: readonly StepOutcome[]): string[] {
  const applied = outcomes.filter((o) => o.status === 'applied');
  const unchanged = outcomes.filter((o) => o.status === 'unchanged');
  const missed = outcomes.filter((o) => o.status === 'failed' || o.status === 'not attempted');
  if (missed.length === 0) {
    return [
      `${repository} matches the desired state: ${applied.length} change${applied.length === 1 ? '' : 's'} applied, ` +
        `${unchanged.length} setting${unchanged.length === 1 ? '' : 's'} already as desired.`,
    ];
  }
  const changes = applied.length + missed.length;
  return [
    `${repository} is only partly set up: ${missed.length} of ${changes} changes were not applied.`,
    `Applied (${applied.length}):`,
    ...(applied.length > 0 ? applied.map((o) => `  - ${appliedLine(o.step)}`) : ['  (none)']),
    `Not applied (${missed.length}):`,
    ...missed.map((o) => `  - ${o.step.action} ${o.step.subject}: ${'reason' in o ? o.reason : ''}`),
    `Already as desired: ${unchanged.length}.`,
    'Fix the causes above and run the command again: it applies only what is still missing or different ' +
      '(and writes the secrets again).',
  ];
}

/** Markdown for the job summary when the command runs in a workflow. */
export function summaryMarkdown(
  repository: string,
  steps: readonly Step[],
  outcomes: readonly StepOutcome[] | undefined,
): string {
  const statusOf = (step: Step): string => {
    const outcome = outcomes?.find((o) => o.step === step);
    if (outcome === undefined) return step.action === 'leave' ? 'as desired' : 'dry run: not written';
    if (outcome.status === 'failed' || outcome.status === 'not attempted') {
      return `${outcome.status}: ${outcome.reason}`;
    }
    return outcome.status === 'unchanged' ? 'as desired' : 'applied';
  };
  const rows = steps.map((step) => [step.subject, step.action, statusOf(step), step.details.join('; ')]);
  return [
    `## GitHub settings of ${repository}${outcomes === undefined ? ' (dry run)' : ''}`,
    '',
    markdownTable(['Setting', 'Action', 'Result', 'Details'], rows),
    '',
  ].join('\n');
}
