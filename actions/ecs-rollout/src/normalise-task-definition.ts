import { TASK_DEFINITION_READ_ONLY_FIELDS } from '@berth/kit';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * A canonical form of a task definition for comparison: read-only fields, tags and values ECS fills in by
 * default are removed, empty lists/objects dropped, and name-keyed lists sorted, so a rendered definition
 * equals the registered one it was made from.
 */
export function normaliseTaskDefinition(definition: object): JsonObject {
  const copy = JSON.parse(JSON.stringify(definition)) as JsonObject;
  for (const key of [...TASK_DEFINITION_READ_ONLY_FIELDS, 'tags']) delete copy[key];
  for (const key of ['cpu', 'memory']) {
    if (typeof copy[key] === 'number') copy[key] = String(copy[key]);
  }
  const containers = Array.isArray(copy.containerDefinitions) ? copy.containerDefinitions : [];
  copy.containerDefinitions = containers
    .filter((c): c is JsonObject => isObject(c))
    .map(normaliseContainer)
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  if (Array.isArray(copy.volumes)) copy.volumes = sortByName(copy.volumes);
  return prune(copy) as JsonObject;
}

function normaliseContainer(container: JsonObject): JsonObject {
  const c = { ...container };
  if (c.essential === true) delete c.essential;
  if (c.cpu === 0) delete c.cpu;
  for (const key of ['environment', 'secrets', 'environmentFiles', 'ulimits', 'systemControls']) {
    if (Array.isArray(c[key])) c[key] = sortByName(c[key]);
  }
  if (Array.isArray(c.portMappings)) {
    c.portMappings = c.portMappings.filter(isObject).map((mapping) => {
      const m = { ...mapping };
      if (m.protocol === 'tcp') delete m.protocol;
      // ECS records hostPort = containerPort in awsvpc mode.
      if (m.hostPort === m.containerPort) delete m.hostPort;
      return m;
    });
  }
  return c;
}

function sortByName(list: Json[]): Json[] {
  return [...list].sort((a, b) =>
    String(isObject(a) ? (a.name ?? '') : '').localeCompare(String(isObject(b) ? (b.name ?? '') : '')),
  );
}

function prune(value: Json): Json | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v): v is Json => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      const v = prune(value[key]!);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sameTaskDefinition(a: JsonObject, b: JsonObject): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
