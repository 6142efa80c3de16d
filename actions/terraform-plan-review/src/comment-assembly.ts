import { countsTable, environmentSection, type EnvironmentReport } from './environment-report';

/** GitHub refuses an issue or pull-request comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** A job summary step holds at most 1 MiB; this leaves room for the toolkit's own markup. */
export const JOB_SUMMARY_LIMIT = 1_000_000;

export interface AssemblyOptions {
  /** Hidden marker that starts the main comment, e.g. `<!-- berth:terraform-plan-review -->`. */
  marker: string;
  /** Marker that starts each overflow comment. */
  partMarker: string;
  /** The commit the plans were made from, named in the header. */
  commit: string;
  /** Link to this run's job summary, where plans go when they do not fit in comments. */
  summaryUrl: string;
  limit?: number;
  /** Comments at most (main + overflow) before full plans move to the job summary. */
  maxComments?: number;
}

export interface Assembly {
  /** The main comment first, then overflow comments holding full plans; each within the limit. */
  comments: string[];
  /** What goes to the job summary: the whole review with every full plan (cut only at the summary's own limit). */
  jobSummary: string;
  /** Where the full plans ended up. */
  plansIn: 'main-comment' | 'overflow-comments' | 'job-summary';
}

/**
 * Builds the review's comments so that none exceeds GitHub's limit, never failing for size: full plans inline
 * when everything fits; otherwise split at line boundaries across overflow comments; when that would take more
 * than `maxComments`, in the job summary with a link. Address lists are shortened as a last resort.
 */
export function assembleComments(reports: readonly EnvironmentReport[], options: AssemblyOptions): Assembly {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const maxComments = options.maxComments ?? 10;
  const header = (where: string): string =>
    `${options.marker}\n## Terraform plan review\n\nPlans of \`${options.commit.slice(0, 12)}\`, ${where}.\n\n${countsTable(reports)}`;

  const fullPlans = reports.map((report) => planDetails(report.environment, report.planText));
  const inline = [
    header('full plans below'),
    ...reports.map((r, i) => `${environmentSection(r, Infinity)}\n\n${fullPlans[i]}`),
  ].join('\n\n');
  const jobSummary = cut(inline.slice(options.marker.length + 1), JOB_SUMMARY_LIMIT, options.summaryUrl);
  if (inline.length <= limit) return { comments: [inline], jobSummary, plansIn: 'main-comment' };

  const overflowBudget = limit - options.partMarker.length - 200;
  const parts = packPlans(reports, overflowBudget);
  const useOverflow = parts.length + 1 <= maxComments;
  const where = useOverflow
    ? `full plans in the ${parts.length} comment${parts.length === 1 ? '' : 's'} after this one`
    : `full plans too large for comments: in the [job summary](${options.summaryUrl})`;
  const main = fitMain(reports, header(where), limit, options.summaryUrl);
  if (!useOverflow) return { comments: [main], jobSummary, plansIn: 'job-summary' };
  const comments = parts.map(
    (body, index) =>
      `${options.partMarker}\n**Terraform plan review, part ${index + 2} of ${parts.length + 1}**\n\n${body}`,
  );
  return { comments: [main, ...comments], jobSummary, plansIn: 'overflow-comments' };
}

/** The main comment with every address if it fits, else lists cut to 50, 10, then none. */
function fitMain(reports: readonly EnvironmentReport[], header: string, limit: number, summaryUrl: string): string {
  for (const listLimit of [Infinity, 50, 10, 0]) {
    const body = [header, ...reports.map((report) => environmentSection(report, listLimit))].join('\n\n');
    if (body.length <= limit) return body;
  }
  return cut([header, ...reports.map((report) => environmentSection(report, 0))].join('\n\n'), limit, summaryUrl);
}

function planDetails(environment: string, text: string, part?: { index: number; of: number }): string {
  const label = part ? `Full plan: ${environment} (part ${part.index} of ${part.of})` : `Full plan: ${environment}`;
  const fence = text.includes('```') ? '~~~~' : '```';
  return `<details><summary>${label}</summary>\n\n${fence}\n${text}\n${fence}\n</details>`;
}

/** Plan texts in chunks of whole lines, packed in order into comment bodies of at most `budget` characters. */
function packPlans(reports: readonly EnvironmentReport[], budget: number): string[] {
  const pieces: string[] = [];
  for (const report of reports) {
    const overhead = planDetails(report.environment, '', { index: 99, of: 99 }).length + 1;
    const chunks = chunkLines(report.planText, budget - overhead);
    chunks.forEach((chunk, index) => {
      pieces.push(
        chunks.length === 1
          ? planDetails(report.environment, chunk)
          : planDetails(report.environment, chunk, { index: index + 1, of: chunks.length }),
      );
    });
  }
  const bodies: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && current.length + 2 + piece.length > budget) {
      bodies.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${piece}` : piece;
  }
  if (current) bodies.push(current);
  return bodies;
}

/** Splits at newlines into chunks of at most `size` characters; a longer line is split inside. */
export function chunkLines(text: string, size: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    for (let rest = line; ;) {
      const room = size - current.length - (current ? 1 : 0);
      if (rest.length <= room) {
        current = current ? `${current}\n${rest}` : rest;
        break;
      }
      if (current) {
        chunks.push(current);
        current = '';
        continue;
      }
      chunks.push(rest.slice(0, size));
      rest = rest.slice(size);
    }
  }
  if (current || chunks.length === 0) chunks.push(current);
  return chunks;
}

function cut(text: string, limit: number, summaryUrl: string): string {
  if (text.length <= limit) return text;
  const note = `\n\n… cut at ${limit} characters; the whole plan is in the [run's logs](${summaryUrl}).`;
  return text.slice(0, limit - note.length) + note;
}
