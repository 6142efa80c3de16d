import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export type YamlMap = Record<string, unknown>;

/** A workflow (`.github/workflows/*.yml`) or a composite action (`.github/actions/<name>/action.yml`). */
export interface SourceFile {
  path: string;
  kind: 'workflow' | 'composite';
  text: string;
  doc: YamlMap;
}

export interface StepView {
  /** Undefined for composite-action steps. */
  jobId: string | undefined;
  index: number;
  id: string | undefined;
  uses: string | undefined;
  run: string | undefined;
  with: YamlMap;
  env: YamlMap;
  raw: YamlMap;
}

export interface JobView {
  id: string;
  raw: YamlMap;
  steps: StepView[];
}

export interface Violation {
  rule: string;
  file: string;
  where: string;
  message: string;
}

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asMap(value: unknown): YamlMap {
  return isMap(value) ? value : {};
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function loadSource(absolutePath: string, kind: SourceFile['kind']): SourceFile {
  const text = readFileSync(absolutePath, 'utf8');
  // GitHub accepts YAML 1.2 core, where `on` stays a string key; the `yaml` package's default matches that.
  const doc: unknown = parse(text);
  if (!isMap(doc)) throw new Error(`${absolutePath}: the top level is not a YAML mapping`);
  const path = absolutePath.startsWith(repoRoot) ? relative(repoRoot, absolutePath) : absolutePath;
  return { path, kind, text, doc };
}

export function listWorkflowPaths(): string[] {
  const dir = join(repoRoot, '.github/workflows');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));
}

export function listCompositePaths(): string[] {
  const dir = join(repoRoot, '.github/actions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name, 'action.yml'))
    .filter((path) => existsSync(path))
    .sort();
}

export function loadRepositorySources(): SourceFile[] {
  return [
    ...listWorkflowPaths().map((path) => loadSource(path, 'workflow')),
    ...listCompositePaths().map((path) => loadSource(path, 'composite')),
  ];
}

export function loadFixture(name: string): SourceFile {
  const kind = name.startsWith('composite-') ? 'composite' : 'workflow';
  return loadSource(join(fixturesDir, name), kind);
}

function stepView(raw: unknown, index: number, jobId: string | undefined): StepView {
  const step = asMap(raw);
  return {
    jobId,
    index,
    id: asString(step.id),
    uses: asString(step.uses),
    run: asString(step.run),
    with: asMap(step.with),
    env: asMap(step.env),
    raw: step,
  };
}

export function jobsOf(file: SourceFile): JobView[] {
  if (file.kind !== 'workflow') return [];
  return Object.entries(asMap(file.doc.jobs)).map(([id, rawJob]) => {
    const raw = asMap(rawJob);
    const steps = Array.isArray(raw.steps) ? raw.steps.map((step, index) => stepView(step, index, id)) : [];
    return { id, raw, steps };
  });
}

/** Every step of the file: all jobs' steps for a workflow, `runs.steps` for a composite action. */
export function stepsOf(file: SourceFile): StepView[] {
  if (file.kind === 'composite') {
    const steps = asMap(file.doc.runs).steps;
    return Array.isArray(steps) ? steps.map((step, index) => stepView(step, index, undefined)) : [];
  }
  return jobsOf(file).flatMap((job) => job.steps);
}

export function describeStep(step: StepView): string {
  const label = step.id ?? step.uses ?? asString(step.raw.name) ?? `#${step.index + 1}`;
  return step.jobId === undefined ? `step ${label}` : `job ${step.jobId}, step ${label}`;
}

/** The triggers of a workflow as a list of event names, whichever of the three YAML shapes `on` uses. */
export function triggersOf(file: SourceFile): string[] {
  const on = file.doc.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((event): event is string => typeof event === 'string');
  return Object.keys(asMap(on));
}
