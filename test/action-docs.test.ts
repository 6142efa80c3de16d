import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listActions } from '../actions/bundle.mjs';

// Every action's metadata follows GitHub's conventions, and its README's tables say what action.yml says.
const repo = join(import.meta.dirname, '..');

interface ActionMetadata {
  name?: string;
  description?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs?: { using?: string; main?: string };
}

export interface TableRow {
  cells: string[];
}

/** The rows of the first Markdown table whose header row is exactly `header`. */
export function tableAfterHeader(markdown: string, header: string): string[][] | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim().replace(/\s+/g, ' ') === header);
  if (start < 0) return undefined;
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
    rows.push(splitRow(lines[i]!));
  }
  return rows;
}

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  const body = line.trim().slice(1, line.trim().endsWith('|') ? -1 : undefined);
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && body[i + 1] === '|') {
      current += '|';
      i++;
    } else if (body[i] === '|') {
      cells.push(current.trim());
      current = '';
    } else current += body[i];
  }
  cells.push(current.trim());
  return cells;
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');

describe.each(listActions())('actions/%s', (name) => {
  const dir = join(repo, 'actions', name);
  const metadata = parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionMetadata;
  const readme = existsSync(join(dir, 'README.md')) ? readFileSync(join(dir, 'README.md'), 'utf8') : '';

  it('declares a node24 action with name, description and branding', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(metadata.name).toBeTruthy();
    expect(metadata.description).toBeTruthy();
    expect(metadata.branding?.icon && metadata.branding.color).toBeTruthy();
  });

  it('describes every input (kebab-case, default as text) and output', () => {
    for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
      expect(input, `input ${input} is not kebab-case`).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(spec.description, `input ${input} has no description`).toBeTruthy();
      if (spec.default !== undefined)
        expect(typeof spec.default, `default of ${input} must be a string`).toBe('string');
      if (spec.required) expect(spec.default ?? '', `required input ${input} should not have a default`).toBe('');
    }
    for (const [output, spec] of Object.entries(metadata.outputs ?? {})) {
      expect(output).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(spec.description, `output ${output} has no description`).toBeTruthy();
    }
  });

  it("README's inputs table matches action.yml", () => {
    const rows = tableAfterHeader(readme, '| Name | Description | Required | Default |');
    expect(rows, `actions/${name}/README.md needs a "| Name | Description | Required | Default |" table`).toBeDefined();
    const documented = rows!.map((cells) => ({
      name: unquote(cells[0]!),
      required: cells[2],
      default: unquote(cells[3] ?? ''),
    }));
    const declared = Object.entries(metadata.inputs ?? {}).map(([input, spec]) => ({
      name: input,
      required: spec.required ? 'yes' : 'no',
      default: spec.default ?? '',
    }));
    expect(documented).toEqual(declared);
  });

  it("README's outputs table matches action.yml", () => {
    const rows = tableAfterHeader(readme, '| Name | Description |');
    expect(rows, `actions/${name}/README.md needs a "| Name | Description |" table`).toBeDefined();
    expect(rows!.map((cells) => unquote(cells[0]!))).toEqual(Object.keys(metadata.outputs ?? {}));
  });

  it('README shows a usage example at @v1 and pinned to a commit', () => {
    expect(readme).toMatch(new RegExp(`uses: [^\\n]*actions/${name}@v1\\b`));
    expect(readme).toMatch(new RegExp(`uses: [^\\n]*actions/${name}@[0-9a-f]{40} # v\\d+\\.\\d+\\.\\d+`));
  });

  it('has a .env.example for @github/local-action naming only declared inputs, and a README section to use it', () => {
    const examplePath = join(dir, '.env.example');
    expect(existsSync(examplePath), `actions/${name}/.env.example is missing`).toBe(true);
    const example = readFileSync(examplePath, 'utf8');
    const given = [...example.matchAll(/^INPUT_([A-Z0-9_-]+)=/gm)].map((match) => match[1]!.toLowerCase());
    const declared = Object.keys(metadata.inputs ?? {});
    expect(
      given.filter((input) => !declared.includes(input)),
      'inputs action.yml does not declare',
    ).toEqual([]);
    const required = declared.filter((input) => metadata.inputs?.[input]?.required);
    expect(
      required.filter((input) => !given.includes(input)),
      'required inputs missing',
    ).toEqual([]);
    expect(readme).toContain(`npx local-action actions/${name} src/main.ts actions/${name}/.env`);
  });
});

describe('tableAfterHeader', () => {
  it('reads escaped pipes and stops at the end of the table', () => {
    const md = '# x\n| Name | Description |\n| --- | --- |\n| `a` | one \\| two |\n\ntext | not a row';
    expect(tableAfterHeader(md, '| Name | Description |')).toEqual([['`a`', 'one | two']]);
    expect(tableAfterHeader(md, '| Other |')).toBeUndefined();
  });
});
