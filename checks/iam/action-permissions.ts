import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The IAM permissions each Berth action documents in its README, under "## IAM permissions", as the official AWS
 * actions do: a table of `Action`, `Resource` (an ARN with placeholders such as REGION, ACCOUNT, CLUSTER) and
 * `When` (`always`, or the input or situation that makes the call). checks/iam turns the rows into the calls of the
 * jobs that use the action; test/action-iam-permissions.test.ts checks the table against the calls the fakes record.
 */

export interface ActionPermission {
  action: string;
  /** ARN template; `*` for actions without resource-level permissions. */
  resource: string;
  /** `always`, or the condition under which the action makes this call. */
  when: string;
}

export const PERMISSIONS_HEADING = '## IAM permissions';
export const PLACEHOLDERS = [
  'PARTITION',
  'REGION',
  'ACCOUNT',
  'CLUSTER',
  'SERVICE',
  'FAMILY',
  'REVISION',
  'ID',
  'ROLE',
  'REPOSITORY',
  'FUNCTION',
  'APPLICATION',
  'GROUP',
  'CONFIG',
  'ALIAS',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim().replace(/^`|`$/g, ''));
}

/**
 * The rows of the "## IAM permissions" table of a README. Every problem is reported at once, naming the file:
 * a missing section or table, a row whose action is not `service:Action`, a placeholder nobody fills in.
 */
export function parsePermissionsTable(markdown: string, origin: string): ActionPermission[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === PERMISSIONS_HEADING);
  if (start < 0) throw new Error(`${origin}: no "${PERMISSIONS_HEADING}" section`);
  const end = lines.findIndex((line, index) => index > start && /^#{1,2}\s/.test(line));
  const table = lines.slice(start + 1, end < 0 ? undefined : end).filter((line) => line.trim().startsWith('|'));
  if (table.length < 3) throw new Error(`${origin}: "${PERMISSIONS_HEADING}" has no table with at least one row`);
  const header = cells(table[0] ?? '').map((cell) => cell.toLowerCase());
  if (header.join('|') !== 'action|resource|when') {
    throw new Error(
      `${origin}: the permissions table's columns are ${header.join(', ')}; expected Action, Resource, When`,
    );
  }
  const problems: string[] = [];
  const rows = table.slice(2).map((line, index) => {
    const [action = '', resource = '', when = ''] = cells(line);
    const where = `${origin}, permissions row ${index + 1}`;
    if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) problems.push(`${where}: "${action}" is not service:Action`);
    if (resource !== '*' && !resource.startsWith('arn:'))
      problems.push(`${where}: resource "${resource}" is neither an ARN nor *`);
    for (const word of resource.match(/\b[A-Z][A-Z_]+\b/g) ?? []) {
      if (!(PLACEHOLDERS as readonly string[]).includes(word)) {
        problems.push(`${where}: ${word} is not a placeholder (known: ${PLACEHOLDERS.join(', ')})`);
      }
    }
    if (when === '') problems.push(`${where}: "When" is empty; write always or the input that makes the call`);
    return { action, resource, when };
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return rows;
}

/** The "## IAM permissions" table of `actions/<name>/README.md`. */
export function readActionPermissions(repoRoot: string, name: string): ActionPermission[] {
  const path = join('actions', name, 'README.md');
  return parsePermissionsTable(readFileSync(join(repoRoot, path), 'utf8'), path);
}

/** An ARN template with its placeholders filled in; every value of a list placeholder gives one ARN. */
export function fillTemplate(template: string, values: Partial<Record<Placeholder, string[]>>): string[] {
  let results = [template];
  for (const placeholder of PLACEHOLDERS) {
    if (!new RegExp(`\\b${placeholder}\\b`).test(template)) continue;
    const options = values[placeholder];
    if (options === undefined || options.length === 0) {
      throw new Error(`${template}: no value for ${placeholder}`);
    }
    results = results.flatMap((result) =>
      options.map((option) => result.replace(new RegExp(`\\b${placeholder}\\b`, 'g'), option)),
    );
  }
  return results;
}
