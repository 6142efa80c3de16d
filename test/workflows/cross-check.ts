import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  asMap,
  asString,
  describeStep,
  jobsOf,
  loadSource,
  repoRoot,
  stepsOf,
  type SourceFile,
  type StepView,
  type Violation,
} from './workflow-files';

interface DeclaredInput {
  required: boolean;
  hasDefault: boolean;
}

/** What an action or reusable workflow accepts and produces, read from its own definition. */
export interface Interface {
  path: string;
  inputs: Map<string, DeclaredInput>;
  outputs: Set<string>;
  /** Reusable workflows only: declared secrets. */
  secrets: Map<string, DeclaredInput>;
}

function declared(entries: unknown): Map<string, DeclaredInput> {
  const result = new Map<string, DeclaredInput>();
  for (const [name, raw] of Object.entries(asMap(entries))) {
    const spec = asMap(raw);
    result.set(name, {
      required: spec.required === true || spec.required === 'true',
      hasDefault: 'default' in spec,
    });
  }
  return result;
}

/**
 * Maps a local `uses:` path to its action.yml. `./.berth/actions/<name>` is how the reusable deploy workflow
 * reaches Berth's actions after checking Berth out beside the calling repository.
 */
export function localActionFile(uses: string): string | undefined {
  const match = /^\.\/(?:\.berth\/)?(actions\/[\w-]+|\.github\/actions\/[\w-]+)\/?$/.exec(uses);
  return match?.[1] === undefined ? undefined : `${match[1]}/action.yml`;
}

export function readActionInterface(relativePath: string): Interface | undefined {
  const path = join(repoRoot, relativePath);
  if (!existsSync(path)) return undefined;
  const doc = asMap(parse(readFileSync(path, 'utf8')));
  return {
    path: relativePath,
    inputs: declared(doc.inputs),
    outputs: new Set(Object.keys(asMap(doc.outputs))),
    secrets: new Map(),
  };
}

export function readReusableWorkflowInterface(relativePath: string): Interface | undefined {
  const path = join(repoRoot, relativePath);
  if (!existsSync(path)) return undefined;
  const call = asMap(asMap(loadSource(path, 'workflow').doc.on).workflow_call);
  return {
    path: relativePath,
    inputs: declared(call.inputs),
    outputs: new Set(Object.keys(asMap(call.outputs))),
    secrets: declared(call.secrets),
  };
}

function checkArguments(
  rule: string,
  file: SourceFile,
  where: string,
  target: Interface,
  given: Record<string, unknown>,
  kind: 'input' | 'secret',
): Violation[] {
  const found: Violation[] = [];
  const declaredNames = kind === 'input' ? target.inputs : target.secrets;
  for (const name of Object.keys(given)) {
    if (!declaredNames.has(name)) {
      const known = [...declaredNames.keys()].join(', ') || 'none';
      found.push({
        rule,
        file: file.path,
        where,
        message: `${kind} "${name}" is not declared in ${target.path} (declared: ${known})`,
      });
    }
  }
  for (const [name, spec] of declaredNames) {
    if (spec.required && !spec.hasDefault && !(name in given)) {
      found.push({
        rule,
        file: file.path,
        where,
        message: `required ${kind} "${name}" of ${target.path} is not passed`,
      });
    }
  }
  return found;
}

/** Each local action step passes only inputs its action.yml declares, and every required one. */
export function checkActionInputs(file: SourceFile): Violation[] {
  const found: Violation[] = [];
  for (const step of stepsOf(file)) {
    if (step.uses === undefined || !step.uses.startsWith('./')) continue;
    const where = describeStep(step);
    const actionFile = localActionFile(step.uses);
    const target = actionFile === undefined ? undefined : readActionInterface(actionFile);
    if (target === undefined) {
      found.push({
        rule: 'action-inputs',
        file: file.path,
        where,
        message: `${step.uses} has no action.yml in this repository`,
      });
      continue;
    }
    found.push(...checkArguments('action-inputs', file, where, target, step.with, 'input'));
  }
  return found;
}

/** Each call of a local reusable workflow passes only declared inputs and secrets, and every required one. */
export function checkReusableWorkflowCalls(file: SourceFile): Violation[] {
  const found: Violation[] = [];
  for (const job of jobsOf(file)) {
    const uses = asString(job.raw.uses);
    if (uses === undefined || !uses.startsWith('./')) continue;
    const where = `job ${job.id}`;
    const target = readReusableWorkflowInterface(uses.slice(2));
    if (target === undefined) {
      found.push({ rule: 'reusable-workflow-calls', file: file.path, where, message: `${uses} does not exist` });
      continue;
    }
    found.push(...checkArguments('reusable-workflow-calls', file, where, target, asMap(job.raw.with), 'input'));
    if (job.raw.secrets !== 'inherit') {
      found.push(...checkArguments('reusable-workflow-calls', file, where, target, asMap(job.raw.secrets), 'secret'));
    }
  }
  return found;
}

function writesOutput(script: string, name: string): boolean {
  const escaped = name.replace(/[-]/g, '\\-');
  return script.includes('GITHUB_OUTPUT') && new RegExp(`(^|[\\s"'{])${escaped}(=|<<)`, 'm').test(script);
}

/** A run script followed by the text of each repository script it runs (`bash .github/scripts/<name>.sh`). */
function withRepositoryScripts(run: string): string {
  const scripts = [...run.matchAll(/(?:^|\s)(\.github\/scripts\/[\w.-]+\.sh)\b/g)].map((match) => match[1] ?? '');
  return [run, ...scripts.map((script) => readFileSync(join(repoRoot, script), 'utf8'))].join('\n');
}

function outputProblem(step: StepView, name: string): string | undefined {
  if (step.uses?.startsWith('./')) {
    const actionFile = localActionFile(step.uses);
    const target = actionFile === undefined ? undefined : readActionInterface(actionFile);
    if (target === undefined) return `step ${step.id} uses ${step.uses}, which has no action.yml`;
    if (!target.outputs.has(name)) {
      return `${target.path} declares no output "${name}" (declared: ${[...target.outputs].join(', ') || 'none'})`;
    }
    return undefined;
  }
  if (step.run !== undefined && !writesOutput(withRepositoryScripts(step.run), name)) {
    return `step ${step.id} never writes "${name}" to GITHUB_OUTPUT`;
  }
  // A third-party action's outputs are documented by its publisher, not readable here.
  return undefined;
}

const stepOutputReference = /\bsteps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;

function checkOutputReferences(file: SourceFile, scope: string, scopeText: string, steps: StepView[]): Violation[] {
  const found: Violation[] = [];
  for (const match of scopeText.matchAll(stepOutputReference)) {
    const [reference, stepId = '', name = ''] = match;
    const step = steps.find((candidate) => candidate.id === stepId);
    const problem = step === undefined ? `no step with id "${stepId}" in ${scope}` : outputProblem(step, name);
    if (problem !== undefined) {
      found.push({ rule: 'step-outputs', file: file.path, where: scope, message: `${reference}: ${problem}` });
    }
  }
  return found;
}

/** Every `steps.<id>.outputs.<name>` names a step of the same job and an output that step produces. */
export function checkStepOutputs(file: SourceFile): Violation[] {
  if (file.kind === 'composite') {
    return checkOutputReferences(file, 'composite action', JSON.stringify(file.doc), stepsOf(file));
  }
  return jobsOf(file).flatMap((job) =>
    checkOutputReferences(file, `job ${job.id}`, JSON.stringify(job.raw), job.steps),
  );
}

/** Every `needs.<job>.outputs.<name>` names a job listed in `needs` that declares that output. */
export function checkNeedsOutputs(file: SourceFile): Violation[] {
  const found: Violation[] = [];
  const jobs = new Map(jobsOf(file).map((job) => [job.id, job]));
  for (const job of jobs.values()) {
    const needs =
      typeof job.raw.needs === 'string' ? [job.raw.needs] : Array.isArray(job.raw.needs) ? job.raw.needs : [];
    for (const match of JSON.stringify(job.raw).matchAll(/\bneeds\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)) {
      const [reference, neededId = '', name = ''] = match;
      const needed = jobs.get(neededId);
      let problem: string | undefined;
      if (!needs.includes(neededId)) problem = `job ${neededId} is not in needs`;
      else if (needed !== undefined && typeof needed.raw.uses === 'string') {
        const callee = readReusableWorkflowInterface(needed.raw.uses.slice(2));
        if (callee !== undefined && !callee.outputs.has(name)) problem = `${callee.path} declares no output "${name}"`;
      } else if (needed !== undefined && !(name in asMap(needed.raw.outputs))) {
        problem = `job ${neededId} declares no output "${name}"`;
      }
      if (problem !== undefined) {
        found.push({
          rule: 'needs-outputs',
          file: file.path,
          where: `job ${job.id}`,
          message: `${reference}: ${problem}`,
        });
      }
    }
  }
  return found;
}

export interface DocumentedName {
  kind: 'secret' | 'variable';
  whoSetsIt: string;
  when: string;
}

/**
 * Reads the table(s) of docs/secrets.md: rows whose first cell is a `NAME` in backticks, under a header that
 * has "Kind", "Who sets it" and "When" columns.
 */
export function readDocumentedNames(markdown: string): Map<string, DocumentedName> {
  const result = new Map<string, DocumentedName>();
  let columns: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.trim().startsWith('|')) {
      columns = undefined;
      continue;
    }
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
    if (columns === undefined) {
      columns = cells.map((cell) => cell.toLowerCase());
      continue;
    }
    const name = /^`([A-Za-z_][A-Za-z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (name === undefined) continue;
    const cell = (header: string): string => cells[columns?.indexOf(header) ?? -1] ?? '';
    const kind = cell('kind').toLowerCase();
    result.set(name, {
      kind: kind.startsWith('var') ? 'variable' : 'secret',
      whoSetsIt: cell('who sets it'),
      when: cell('when'),
    });
  }
  return result;
}

/** Every `secrets.X` and `vars.X` a workflow reads is in docs/secrets.md, as the right kind, with who and when. */
export function checkDocumentedNames(file: SourceFile, documented: Map<string, DocumentedName>): Violation[] {
  const found: Violation[] = [];
  const seen = new Set<string>();
  // Only expressions read values; prose such as "docs/secrets.md" in a comment does not.
  const expressions = [...file.text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => match[1] ?? '').join('\n');
  for (const match of expressions.matchAll(/\b(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const [reference, context = '', name = ''] = match;
    if (seen.has(reference)) continue;
    seen.add(reference);
    const kind = context === 'vars' ? 'variable' : 'secret';
    const entry = documented.get(name);
    let problem: string | undefined;
    if (entry === undefined) problem = 'is not listed in docs/secrets.md';
    else if (entry.kind !== kind) problem = `is listed in docs/secrets.md as a ${entry.kind}, but read as a ${kind}`;
    else if (entry.whoSetsIt === '' || entry.when === '') problem = 'has no "Who sets it" or "When" in docs/secrets.md';
    if (problem !== undefined) {
      found.push({ rule: 'documented-names', file: file.path, where: reference, message: `${reference} ${problem}` });
    }
  }
  return found;
}
