/** A list input: one item per line, commas also separate; blanks and surrounding spaces dropped. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export interface KeyValueLine {
  key: string;
  value: string;
  line: number;
}

/**
 * Multiline `key=value` text. Only the first `=` separates, so values may contain `=`.
 * Commas separate items only with `splitCommas` (for values that never contain one, such as image URIs):
 * environment values, JSON and ARNs often do.
 * Returns the pairs and a problem per malformed line.
 */
export function parseKeyValueLines(
  text: string,
  options: { splitCommas?: boolean } = {},
): { pairs: KeyValueLine[]; problems: string[] } {
  const pairs: KeyValueLine[] = [];
  const problems: string[] = [];
  const lines = text
    .split('\n')
    .flatMap((raw, index) => (options.splitCommas ? raw.split(',') : [raw]).map((part) => ({ raw: part, index })));
  lines.forEach(({ raw, index }) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      problems.push(`line ${index + 1} "${line}" is not of the form key=value`);
      return;
    }
    pairs.push({ key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: index + 1 });
  });
  return { pairs, problems };
}
