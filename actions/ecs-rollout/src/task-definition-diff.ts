import { isObject, type Json, type JsonObject } from './normalise-task-definition';

/**
 * Readable differences between two normalised task definitions: images, environment, secrets, cpu/memory and
 * ports by container, then any other changed field by path. Empty when they are equal.
 */
export function diffTaskDefinitions(before: JsonObject, after: JsonObject): string[] {
  const lines: string[] = [];
  for (const key of ['family', 'cpu', 'memory', 'taskRoleArn', 'executionRoleArn', 'networkMode']) {
    change(lines, key, before[key], after[key]);
  }
  const oldContainers = byName(before.containerDefinitions);
  const newContainers = byName(after.containerDefinitions);
  for (const [name, container] of newContainers) {
    const old = oldContainers.get(name);
    if (!old) {
      lines.push(`+ container ${name} (image ${show(container.image)})`);
      continue;
    }
    const prefix = `container ${name}:`;
    change(lines, `${prefix} image`, old.image, container.image);
    for (const key of ['cpu', 'memory', 'memoryReservation'])
      change(lines, `${prefix} ${key}`, old[key], container[key]);
    namedValues(lines, `${prefix} env`, old.environment, container.environment, 'value');
    namedValues(lines, `${prefix} secret`, old.secrets, container.secrets, 'valueFrom');
    change(lines, `${prefix} ports`, portsText(old.portMappings), portsText(container.portMappings));
    const known = new Set([
      'name',
      'image',
      'cpu',
      'memory',
      'memoryReservation',
      'environment',
      'secrets',
      'portMappings',
    ]);
    otherPaths(lines, `${prefix} `, old, container, known);
  }
  for (const name of oldContainers.keys()) {
    if (!newContainers.has(name)) lines.push(`- container ${name}`);
  }
  const knownTop = new Set([
    'family',
    'cpu',
    'memory',
    'taskRoleArn',
    'executionRoleArn',
    'networkMode',
    'containerDefinitions',
  ]);
  otherPaths(lines, '', before, after, knownTop);
  return lines;
}

function change(lines: string[], label: string, before: Json | undefined, after: Json | undefined): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (before === undefined) lines.push(`+ ${label}: ${show(after)}`);
  else if (after === undefined) lines.push(`- ${label}: ${show(before)}`);
  else lines.push(`~ ${label}: ${show(before)} → ${show(after)}`);
}

function namedValues(
  lines: string[],
  label: string,
  before: Json | undefined,
  after: Json | undefined,
  field: string,
): void {
  const old = pairs(before, field);
  const now = pairs(after, field);
  for (const [name, value] of now) {
    const previous = old.get(name);
    if (previous === undefined) lines.push(`+ ${label} ${name}=${value}`);
    else if (previous !== value) lines.push(`~ ${label} ${name}: ${previous} → ${value}`);
  }
  for (const name of old.keys()) if (!now.has(name)) lines.push(`- ${label} ${name}`);
}

function pairs(list: Json | undefined, field: string): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(list))
    for (const item of list) if (isObject(item)) out.set(String(item.name), String(item[field] ?? ''));
  return out;
}

function portsText(list: Json | undefined): string | undefined {
  if (!Array.isArray(list)) return undefined;
  return list
    .filter(isObject)
    .map(
      (m) =>
        `${String(m.containerPort)}${m.hostPort !== undefined ? `:${String(m.hostPort)}` : ''}/${String(m.protocol ?? 'tcp')}`,
    )
    .join(', ');
}

function otherPaths(lines: string[], prefix: string, before: JsonObject, after: JsonObject, skip: Set<string>): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    if (skip.has(key)) continue;
    change(lines, `${prefix}${key}`, before[key], after[key]);
  }
}

function byName(list: Json | undefined): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  if (Array.isArray(list)) for (const item of list) if (isObject(item)) out.set(String(item.name), item);
  return out;
}

function show(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value) ?? '';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
