import { parseKeyValueLines } from '@berth/kit';
import { nameProblems } from './names';

/** One line of the `repositories` input: where a value comes from, and the secret or variable it is written to. */
export interface Mapping {
  /** An ECR repository name, or a Terraform output path `name[.key]`. */
  source: string;
  name: string;
}

/**
 * Parses `source=NAME` lines (commas also separate) and checks every name, so one run reports all bad lines.
 * One source may feed several names; one name may not be fed by two sources (GitHub names ignore case).
 */
export function parseMappings(text: string, noun: string): { mappings: Mapping[]; problems: string[] } {
  const { pairs, problems: lineProblems } = parseKeyValueLines(text, { splitCommas: true });
  const problems = lineProblems.map(
    (p) => `input "repositories": ${p}; write one source=${noun.toUpperCase()}_NAME per line`,
  );
  const seen = new Map<string, Mapping>();
  const mappings: Mapping[] = [];
  for (const { key, value } of pairs) {
    const mapping = { source: key, name: value };
    if (value === '') {
      problems.push(`input "repositories": "${key}=" names no ${noun}; write ${key}=${noun.toUpperCase()}_NAME`);
      continue;
    }
    problems.push(...nameProblems(value, noun).map((p) => `input "repositories": ${p}`));
    const earlier = seen.get(value.toUpperCase());
    if (earlier && earlier.source !== key) {
      problems.push(
        `input "repositories": ${noun} ${value} is given twice, from "${earlier.source}" and "${key}" ` +
          `(GitHub ${noun} names ignore case); keep one line per ${noun}`,
      );
      continue;
    }
    if (earlier) continue;
    seen.set(value.toUpperCase(), mapping);
    mappings.push(mapping);
  }
  return { mappings, problems };
}
