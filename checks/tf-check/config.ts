import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { blocks, doublyLabelled, isBody, labelled, parseHcl, type HclBody, type HclValue } from './hcl.ts';
import type { Finding } from './findings.ts';

/** One declaration of a configuration, with where it was written so findings can point at it. */
export interface Declaration {
  /** Path relative to the repository (or fixture) root, for messages. */
  file: string;
  /** Block address as Terraform prints it, e.g. `resource "aws_s3_bucket" "this"`. */
  block: string;
  line: number;
  body: HclBody;
}

export interface LocalValue {
  file: string;
  line: number;
  value: HclValue;
}

/** A Terraform configuration (a root or a module): the `.tf` files of one directory. */
export interface Configuration {
  name: string;
  dir: string;
  displayDir: string;
  kind: 'module' | 'root';
  files: Map<string, string>;
  /** Files that did not parse: reported once as hcl-syntax and skipped by the layout check. */
  unparsable: Set<string>;
  variables: Map<string, Declaration>;
  outputs: Map<string, Declaration>;
  locals: Map<string, LocalValue>;
  modules: Map<string, Declaration>;
  resources: Map<string, Declaration & { type: string; name: string }>;
  data: Map<string, Declaration & { type: string; name: string }>;
  terraformBlocks: Declaration[];
  providers: Declaration[];
}

export function loadConfiguration(
  dir: string,
  displayRoot: string,
  kind: Configuration['kind'],
  findings: Finding[],
): Configuration {
  const displayDir = relative(displayRoot, dir) || '.';
  const config: Configuration = {
    name: displayDir,
    dir,
    displayDir,
    kind,
    files: new Map(),
    unparsable: new Set(),
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    modules: new Map(),
    resources: new Map(),
    data: new Map(),
    terraformBlocks: [],
    providers: [],
  };
  for (const fileName of tfFiles(dir)) {
    const text = readFileSync(join(dir, fileName), 'utf8');
    const file = join(displayDir, fileName);
    config.files.set(file, text);
    const parsed = parseHcl(text);
    if (!parsed.ok) {
      config.unparsable.add(file);
      findings.push({
        file,
        line: 1,
        block: 'file',
        rule: 'hcl-syntax',
        message: 'the file is not valid HCL, so no rule could check it; `terraform fmt -check` shows where it breaks',
      });
      continue;
    }
    const body = parsed.body;
    const at = (header: RegExp): number => lineOf(text, header);
    for (const [name, declared] of labelled(body, 'variable')) {
      config.variables.set(name, {
        file,
        block: `variable "${name}"`,
        line: at(headerPattern('variable', name)),
        body: declared,
      });
    }
    for (const [name, declared] of labelled(body, 'output')) {
      config.outputs.set(name, {
        file,
        block: `output "${name}"`,
        line: at(headerPattern('output', name)),
        body: declared,
      });
    }
    for (const [name, declared] of labelled(body, 'module')) {
      config.modules.set(name, {
        file,
        block: `module "${name}"`,
        line: at(headerPattern('module', name)),
        body: declared,
      });
    }
    for (const [address, declared] of doublyLabelled(body, 'resource')) {
      const block = `resource "${declared.type}" "${declared.name}"`;
      config.resources.set(address, {
        ...declared,
        file,
        block,
        line: at(headerPattern('resource', declared.type, declared.name)),
      });
    }
    for (const [address, declared] of doublyLabelled(body, 'data')) {
      const block = `data "${declared.type}" "${declared.name}"`;
      config.data.set(address, {
        ...declared,
        file,
        block,
        line: at(headerPattern('data', declared.type, declared.name)),
      });
    }
    for (const localsBlock of blocks(body, 'locals')) {
      for (const [name, value] of Object.entries(localsBlock)) {
        config.locals.set(name, { file, line: at(new RegExp(`^\\s+${escapeRegExp(name)}\\s*=`)), value });
      }
    }
    for (const terraformBlock of blocks(body, 'terraform')) {
      config.terraformBlocks.push({ file, block: 'terraform', line: at(/^terraform\s*\{/), body: terraformBlock });
    }
    for (const [name, declared] of labelled(body, 'provider')) {
      config.providers.push({
        file,
        block: `provider "${name}"`,
        line: at(headerPattern('provider', name)),
        body: declared,
      });
    }
  }
  return config;
}

export function tfFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tf') && statSync(join(dir, name)).isFile())
    .sort();
}

function headerPattern(type: string, ...labels: string[]): RegExp {
  return new RegExp(`^${type}${labels.map((label) => `\\s+"${escapeRegExp(label)}"`).join('')}\\s*\\{`);
}

function lineOf(text: string, pattern: RegExp): number {
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index < 0 ? 1 : index + 1;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds the 1-based line of the first line matching `pattern` in a file of the configuration. */
export function lineIn(config: Configuration, file: string, pattern: RegExp, from = 1): number {
  const text = config.files.get(file);
  if (text === undefined) return from;
  const lines = text.split('\n');
  for (let index = from - 1; index < lines.length; index += 1) {
    if (pattern.test(lines[index] ?? '')) return index + 1;
  }
  return from;
}

export function bodyAt(value: HclValue | undefined): HclBody | undefined {
  return isBody(value) ? value : undefined;
}
