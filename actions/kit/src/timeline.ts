/**
 * A timeline as a Mermaid gantt chart, which GitHub renders in job summaries and Markdown: one section per subject
 * (a service, a function), bars for phases, milestones for moments.
 */

export type TimelineKind = 'milestone' | 'done' | 'active' | 'failed';

export interface TimelineEntry {
  label: string;
  /** Epoch milliseconds. */
  start: number;
  /** Epoch milliseconds; a milestone has none. */
  end?: number;
  kind: TimelineKind;
}

export interface TimelineSection {
  name: string;
  entries: TimelineEntry[];
}

const LABEL_LIMIT = 90;
const TAGS: Record<TimelineKind, string> = {
  milestone: 'milestone, ',
  done: 'done, ',
  active: 'active, ',
  failed: 'crit, ',
};

/**
 * The chart in a ```mermaid fence, or '' when no section has an entry. Times are absolute (`dateFormat x`), so
 * phases of different subjects line up; the axis shows the time of day in the reader's time zone.
 */
export function mermaidGantt(title: string, sections: readonly TimelineSection[]): string {
  const shown = sections.filter((s) => s.entries.length > 0);
  if (shown.length === 0) return '';
  const lines = ['```mermaid', 'gantt', `  title ${mermaidText(title)}`, '  dateFormat x', '  axisFormat %H:%M:%S'];
  for (const section of shown) {
    lines.push(`  section ${mermaidText(section.name)}`);
    for (const entry of [...section.entries].sort((a, b) => a.start - b.start)) {
      const start = Math.round(entry.start);
      // A bar of zero length disappears; milestones are drawn at their start.
      const end = entry.kind === 'milestone' ? start : Math.max(Math.round(entry.end ?? entry.start), start + 1);
      lines.push(`    ${mermaidText(entry.label)} :${TAGS[entry.kind]}${start}, ${end}`);
    }
  }
  lines.push('```');
  return lines.join('\n');
}

/**
 * Text Mermaid takes in a title, section or task name: a colon ends a task name and a semicolon or hash a statement,
 * so colons become the look-alike ratio sign (∶), semicolons commas, hashes "no."; no line breaks; not too long.
 */
export function mermaidText(text: string): string {
  const clean = text
    .replace(/:/g, '\u2236')
    .replace(/;/g, ',')
    .replace(/#/g, 'no. ')
    .replace(/[\r\n`]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > LABEL_LIMIT ? `${clean.slice(0, LABEL_LIMIT - 1)}…` : clean || '-';
}
