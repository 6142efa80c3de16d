import type { GitHubClient } from '@berth/kit/github/client';
import { describeGitHubError, httpStatus } from '@berth/kit/github/errors';
import { targetLabel, type Target } from './targets';

export type EnvironmentState = 'exists' | 'created' | 'would create';

/**
 * Makes sure an environment exists before anything is written to it. GitHub would otherwise fail every write
 * with a 404 that does not say the environment is what is missing.
 * Throws an Error whose message names the cause and the fix.
 */
export async function ensureEnvironment(
  github: GitHubClient,
  target: Extract<Target, { kind: 'environment' }>,
  options: { create: boolean; dryRun: boolean },
): Promise<EnvironmentState> {
  const params = { owner: target.owner, repo: target.repo, environment_name: target.environment };
  const subject = targetLabel(target);
  try {
    await github.rest.repos.getEnvironment(params);
    return 'exists';
  } catch (error) {
    if (httpStatus(error) !== 404) {
      throw new Error(
        describeGitHubError(error, {
          action: 'read the environment',
          subject,
          permission: 'repository permission "Actions: read"',
        }),
      );
    }
  }
  if (!options.create) {
    throw new Error(
      `${subject} does not exist (or the token cannot see it): create it under Settings → Environments, ` +
        'or set "create-environments: true" with a token that has repository permission "Administration: write"',
    );
  }
  if (options.dryRun) return 'would create';
  try {
    await github.rest.repos.createOrUpdateEnvironment(params);
    return 'created';
  } catch (error) {
    throw new Error(
      describeGitHubError(error, {
        action: 'create the environment',
        subject: `repository ${target.owner}/${target.repo}`,
        permission: 'repository permission "Administration: write"',
      }),
    );
  }
}
