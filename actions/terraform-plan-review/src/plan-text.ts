import type { PlanJson, ResourceChange } from './plan-json';
import { changeKind, type ChangeKind } from './plan-summary';

const SENSITIVE = '(sensitive value)';
const UNKNOWN = '(known after apply)';
const VERB: Record<ChangeKind, string> = {
  create: 'will be created',
  update: 'will be updated in-place',
  replace: 'must be replaced',
  destroy: 'will be destroyed',
};
const SIGN: Record<ChangeKind, string> = { create: '+', update: '~', replace: '-/+', destroy: '-' };

/**
 * The full plan as text, from `terraform show -json` alone: one block per changed resource with the attributes
 * that change (every attribute of a new resource). Sensitive values are replaced as Terraform's own text does,
 * because the JSON carries them in clear.
 */
export function renderPlanText(plan: PlanJson): string {
  const blocks: string[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== 'managed') continue;
    const kind = changeKind(change.change.actions);
    if (kind) blocks.push(renderChange(change, kind));
  }
  return blocks.length > 0 ? blocks.join('\n\n') : 'No changes.';
}

function renderChange(change: ResourceChange, kind: ChangeKind): string {
  const reason = change.action_reason ? ` (${change.action_reason.toLowerCase().replace(/_/g, ' ')})` : '';
  const header = `# ${change.address} ${VERB[kind]}${reason}`;
  if (kind === 'destroy') return header;
  const before =
    kind === 'create' ? new Map<string, string>() : flatten(change.change.before, change.change.before_sensitive);
  const after = flatten(change.change.after, change.change.after_sensitive, change.change.after_unknown);
  const lines: string[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const was = before.get(key);
    const now = after.get(key);
    if (was === now) continue;
    if (was === undefined) lines.push(`  + ${key} = ${now}`);
    else if (now === undefined) lines.push(`  - ${key} = ${was}`);
    else lines.push(`  ~ ${key} = ${was} -> ${now}`);
  }
  return [`${header}\n${SIGN[kind]} ${change.type}.${change.name}`, ...lines].join('\n');
}

/** Leaf attributes by dotted path, rendered; sensitive and unknown leaves by their marker. */
function flatten(value: unknown, sensitive: unknown, unknown?: unknown, path = '', out = new Map<string, string>()) {
  if (sensitive === true) {
    out.set(path || '(value)', SENSITIVE);
    return out;
  }
  if (unknown === true) {
    out.set(path || '(value)', UNKNOWN);
    return out;
  }
  const child = (marks: unknown, key: string | number): unknown =>
    typeof marks === 'object' && marks !== null ? (marks as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(value) || (Array.isArray(unknown) && value === undefined)) {
    const items = Array.isArray(value) ? value : [];
    const length = Math.max(items.length, Array.isArray(unknown) ? unknown.length : 0);
    for (let i = 0; i < length; i++) {
      flatten(items[i], child(sensitive, i), child(unknown, i), `${path}[${i}]`, out);
    }
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = new Set([...Object.keys(value), ...Object.keys(isObject(unknown) ? unknown : {})]);
    for (const key of keys) {
      flatten(
        (value as Record<string, unknown>)[key],
        child(sensitive, key),
        child(unknown, key),
        path ? `${path}.${key}` : key,
        out,
      );
    }
    return out;
  }
  if (value === undefined || value === null) return out;
  if (path) out.set(path, JSON.stringify(value));
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
