import * as core from '@actions/core';
import { existsSync, statSync } from 'node:fs';
import { ActionError } from './errors';
import { parseKeyValueLines, parseList } from './lists';

/** Reads the raw value of an input; defaults to the GitHub runner's `INPUT_<NAME>` variables. */
export type InputSource = (name: string) => string;

const runnerSource: InputSource = (name) => core.getInput(name);

/**
 * Typed reading of action inputs. Every reader records a problem instead of throwing, so `done()`
 * can report every bad input of a run at once. A problem names the input, quotes the value and states the rule.
 * Defaults belong in action.yml: the runner passes them as if the user had typed them.
 */
export class InputReader {
  private readonly problems: string[] = [];

  constructor(private readonly source: InputSource = runnerSource) {}

  private raw(name: string): string {
    return this.source(name).trim();
  }

  private fail(name: string, value: string, rule: string): void {
    const shown = value.length > 200 ? `${value.slice(0, 200)}…` : value;
    this.problems.push(`input "${name}" is "${shown}": ${rule}`);
  }

  /** Record a problem found by the action's own cross-input checks. */
  problem(message: string): void {
    this.problems.push(message);
  }

  string(name: string, options: { required?: boolean } = {}): string {
    const value = this.raw(name);
    if (options.required && value === '') this.problems.push(`input "${name}" is required and was not given`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name);
    return value === '' ? undefined : value;
  }

  boolean(name: string): boolean {
    const value = this.raw(name);
    if (value === 'true') return true;
    if (value === 'false') return false;
    this.fail(name, value, 'must be true or false');
    return false;
  }

  integer(name: string, options: { min?: number; max?: number } = {}): number {
    const value = this.raw(name);
    if (!/^-?\d+$/.test(value)) {
      this.fail(name, value, 'must be a whole number' + rangeText(options));
      return options.min ?? 0;
    }
    const n = Number(value);
    if ((options.min !== undefined && n < options.min) || (options.max !== undefined && n > options.max)) {
      this.fail(name, value, 'must be a whole number' + rangeText(options));
    }
    return n;
  }

  /** A duration in minutes above 0 and at most `max`; fractions allowed (tests and short waits use them). */
  minutes(name: string, options: { max: number }): number {
    const value = this.raw(name);
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > options.max) {
      this.fail(name, value, `must be a number of minutes above 0 and at most ${options.max} (fractions allowed)`);
    }
    return n;
  }

  optionalInteger(name: string, options: { min?: number; max?: number } = {}): number | undefined {
    return this.raw(name) === '' ? undefined : this.integer(name, options);
  }

  enumeration<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.raw(name);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, value, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    return allowed[0] as T;
  }

  list(name: string, options: { required?: boolean } = {}): string[] {
    const items = parseList(this.raw(name));
    if (options.required && items.length === 0) {
      this.problems.push(`input "${name}" is required: give one item per line (or separated by commas)`);
    }
    return items;
  }

  /** Multiline `key=value`; later lines replace earlier ones with the same key. */
  keyValueMap(name: string, options: { splitCommas?: boolean; required?: boolean } = {}): Map<string, string> {
    const value = this.raw(name);
    const { pairs, problems } = parseKeyValueLines(value, options);
    for (const p of problems) this.problems.push(`input "${name}": ${p}; write one key=value per line`);
    if (options.required && pairs.length === 0 && problems.length === 0) {
      this.problems.push(`input "${name}" is required: give one key=value per line`);
    }
    return new Map(pairs.map((p) => [p.key, p.value]));
  }

  json(name: string): unknown {
    const value = this.raw(name);
    if (value === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch (error) {
      this.fail(name, value, `must be valid JSON (${(error as Error).message})`);
      return undefined;
    }
  }

  /** A path that must name an existing file; relative paths resolve against the working directory. */
  existingFile(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.raw(name);
    if (value === '') {
      if (options.required) this.problems.push(`input "${name}" is required: give the path to a file`);
      return undefined;
    }
    if (!existsSync(value) || !statSync(value).isFile()) {
      this.fail(name, value, `must be the path of an existing file (looked in ${process.cwd()})`);
      return undefined;
    }
    return value;
  }

  /** A path that must name an existing directory; relative paths resolve against the working directory. */
  existingDirectory(name: string): string | undefined {
    const value = this.raw(name);
    if (value === '') return undefined;
    if (!existsSync(value) || !statSync(value).isDirectory()) {
      this.fail(name, value, `must be the path of an existing directory (looked in ${process.cwd()})`);
      return undefined;
    }
    return value;
  }

  /** Throws one error listing every problem recorded, if any. */
  done(): void {
    if (this.problems.length > 0) throw ActionError.fromProblems('Invalid inputs', this.problems);
  }
}

function rangeText({ min, max }: { min?: number; max?: number }): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

/**
 * Inputs the runner passed that the action does not declare (a typo such as `timeout-minute`).
 * GitHub only warns about these; Berth fails, naming the closest declared input.
 */
export function unknownInputProblems(declared: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const known = new Set(declared.map(envNameOfInput));
  const problems: string[] = [];
  for (const key of Object.keys(env)) {
    if (!key.startsWith('INPUT_') || known.has(key)) continue;
    const given = key.slice('INPUT_'.length).toLowerCase();
    const closest = closestName(given, declared);
    problems.push(
      `input "${given}" is not an input of this action` +
        (closest ? `; did you mean "${closest}"?` : `; declared inputs are ${declared.join(', ')}`),
    );
  }
  return problems;
}

export function envNameOfInput(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function closestName(given: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(given, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(given.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
