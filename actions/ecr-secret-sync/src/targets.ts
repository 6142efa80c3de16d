/** Where the action writes: a repository, one of its environments, or an organization. */
export type Target =
  | { kind: 'repository'; owner: string; repo: string }
  | { kind: 'environment'; owner: string; repo: string; environment: string }
  | { kind: 'organization'; org: string };

export type Visibility = 'all' | 'private' | 'selected';

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/**
 * Parses the `target` lines: `repository`, `repository:owner/name` (or bare `owner/name`),
 * `environment:<name>` (of `currentRepository`) and `organization:<org>`.
 * `currentRepository` is GITHUB_REPOSITORY, needed only by `repository` and `environment:` lines.
 */
export function parseTargets(
  lines: readonly string[],
  currentRepository: string | undefined,
): { targets: Target[]; problems: string[] } {
  const targets: Target[] = [];
  const problems: string[] = [];
  const current = (line: string): { owner: string; repo: string } | undefined => {
    if (currentRepository && REPOSITORY.test(currentRepository)) {
      const [owner, repo] = currentRepository.split('/') as [string, string];
      return { owner, repo };
    }
    problems.push(
      `input "target": "${line}" means the current repository, but GITHUB_REPOSITORY is ` +
        `${currentRepository ? `"${currentRepository}"` : 'not set'}; write repository:owner/name instead`,
    );
    return undefined;
  };
  for (const line of lines) {
    const colon = line.indexOf(':');
    const prefix = colon < 0 ? line : line.slice(0, colon);
    const rest = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (line === 'repository') {
      const repository = current(line);
      if (repository) targets.push({ kind: 'repository', ...repository });
    } else if (colon < 0 && REPOSITORY.test(line)) {
      const [owner, repo] = line.split('/') as [string, string];
      targets.push({ kind: 'repository', owner, repo });
    } else if (prefix === 'repository' && REPOSITORY.test(rest)) {
      const [owner, repo] = rest.split('/') as [string, string];
      targets.push({ kind: 'repository', owner, repo });
    } else if (prefix === 'environment' && rest !== '') {
      const repository = current(line);
      if (repository) targets.push({ kind: 'environment', ...repository, environment: rest });
    } else if (prefix === 'organization' && ORGANIZATION.test(rest)) {
      targets.push({ kind: 'organization', org: rest });
    } else {
      problems.push(
        `input "target": "${line}" is not a target; write repository, repository:owner/name, ` +
          'environment:<name> or organization:<org>, one per line',
      );
    }
  }
  const labels = targets.map(targetLabel);
  const duplicates = labels.filter((label, index) => labels.indexOf(label) !== index);
  for (const label of new Set(duplicates)) problems.push(`input "target": ${label} is listed twice; list it once`);
  if (lines.length === 0)
    problems.push('input "target" is empty; write repository, environment:<name> or organization:<org>');
  return { targets, problems };
}

/** How a target is named in logs, errors and the summary. */
export function targetLabel(target: Target): string {
  switch (target.kind) {
    case 'repository':
      return `repository ${target.owner}/${target.repo}`;
    case 'environment':
      return `environment "${target.environment}" of ${target.owner}/${target.repo}`;
    case 'organization':
      return `organization ${target.org}`;
  }
}
