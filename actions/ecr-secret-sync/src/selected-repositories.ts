import type { GitHubClient } from '@berth/kit/github/client';
import { describeGitHubError } from '@berth/kit/github/errors';

/**
 * The numeric ids GitHub wants for an organization secret or variable with `selected` visibility,
 * from repository names (`name` or `org/name`). Throws one Error naming every repository that failed.
 */
export async function resolveRepositoryIds(
  github: GitHubClient,
  org: string,
  names: readonly string[],
): Promise<number[]> {
  const ids: number[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const [owner, repo] = name.includes('/') ? (name.split('/') as [string, string]) : [org, name];
    try {
      ids.push((await github.rest.repos.get({ owner, repo })).data.id);
    } catch (error) {
      problems.push(
        describeGitHubError(error, {
          action: `look up selected repository ${owner}/${repo}`,
          subject: `repository ${owner}/${repo}`,
          permission: 'repository permission "Metadata: read"',
        }),
      );
    }
  }
  if (problems.length > 0) throw new Error(`selected-repositories could not be resolved: ${problems.join('; ')}`);
  return ids;
}
