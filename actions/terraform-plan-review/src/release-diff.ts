import type { RunningTaskDefinition } from './running-services';

/** A task definition as rendered from the template (render-task-definition's output). */
export interface RenderedTaskDefinition {
  family: string;
  cpu?: unknown;
  memory?: unknown;
  containerDefinitions: {
    name: string;
    image: string;
    cpu?: unknown;
    memory?: unknown;
    environment?: unknown;
    secrets?: unknown;
  }[];
}

/** One difference a reviewer reads: what runs now and what the release would run. */
export interface ReleaseChange {
  /** e.g. `cpu`, `api-gateway image`, `api-gateway env LOG_LEVEL`, `api-gateway secret API_TOKENS`. */
  field: string;
  running: string;
  rendered: string;
}

const NONE = '—';

/**
 * What changes between the running task definition and the rendered one: task CPU/memory, and per container its
 * image, environment variables (by name and value), secrets (by name; only whether the source changed, never
 * where it points), CPU and memory. Without a running definition everything is new.
 */
export function diffTaskDefinitions(
  rendered: RenderedTaskDefinition,
  running: RunningTaskDefinition | undefined,
): ReleaseChange[] {
  const changes: ReleaseChange[] = [];
  const compare = (field: string, was: unknown, now: unknown): void => {
    const a = text(was);
    const b = text(now);
    if (a !== b) changes.push({ field, running: a, rendered: b });
  };
  compare('cpu', running?.cpu, rendered.cpu);
  compare('memory', running?.memory, rendered.memory);
  const runningContainers = new Map((running?.containerDefinitions ?? []).map((c) => [c.name, c]));
  for (const container of rendered.containerDefinitions) {
    const was = runningContainers.get(container.name);
    runningContainers.delete(container.name);
    const name = container.name;
    if (running && !was) changes.push({ field: `${name} container`, running: NONE, rendered: 'added' });
    compare(`${name} image`, was?.image, container.image);
    compare(`${name} cpu`, was?.cpu, container.cpu);
    compare(`${name} memory`, was?.memory, container.memory);
    const envWas = pairs(was?.environment, 'value');
    const envNow = pairs(container.environment, 'value');
    for (const key of union(envWas, envNow)) compare(`${name} env ${key}`, envWas.get(key), envNow.get(key));
    const secretsWas = pairs(was?.secrets, 'valueFrom');
    const secretsNow = pairs(container.secrets, 'valueFrom');
    for (const key of union(secretsWas, secretsNow)) {
      const a = secretsWas.get(key);
      const b = secretsNow.get(key);
      if (a === b) continue;
      changes.push({
        field: `${name} secret ${key}`,
        running: a === undefined ? NONE : 'set',
        rendered: b === undefined ? 'removed' : a === undefined ? 'added' : 'source changed',
      });
    }
  }
  for (const name of runningContainers.keys()) {
    changes.push({ field: `${name} container`, running: 'runs', rendered: 'removed' });
  }
  return changes;
}

function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return NONE;
  return String(value);
}

function pairs(list: unknown, valueKey: string): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(list)) return map;
  for (const item of list as Record<string, unknown>[]) {
    if (typeof item?.name === 'string') map.set(item.name, String(item[valueKey] ?? ''));
  }
  return map;
}

function union(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort();
}
