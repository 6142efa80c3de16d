import {
  DescribeRepositoriesCommand,
  paginateDescribeRepositories,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { ActionError, awsErrorName, errorMessage, isAccessDeniedError } from '@berth/kit';

/** ECR accepts at most this many names in one DescribeRepositories call. */
const NAMES_PER_CALL = 100;
const EXISTING_SHOWN = 20;

/**
 * The `repositoryUri` of each named ECR repository, read with DescribeRepositories.
 * When any is missing, fails naming every missing one and listing (the first 20 of) those that exist.
 */
export async function lookupRepositoryUris(client: ECRClient, names: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(names)];
  const uris = new Map<string, string>();
  try {
    for (let i = 0; i < unique.length; i += NAMES_PER_CALL) {
      const batch = unique.slice(i, i + NAMES_PER_CALL);
      const output = await client.send(new DescribeRepositoriesCommand({ repositoryNames: batch }));
      for (const repository of output.repositories ?? []) addUri(uris, repository);
    }
  } catch (error) {
    if (awsErrorName(error) === 'RepositoryNotFoundException') {
      throw await missingRepositoriesError(client, unique, error);
    }
    throw describeEcrError(error);
  }
  const missing = unique.filter((name) => !uris.has(name));
  if (missing.length > 0) throw await missingRepositoriesError(client, unique, undefined);
  return uris;
}

function addUri(uris: Map<string, string>, repository: Repository): void {
  if (repository.repositoryName && repository.repositoryUri)
    uris.set(repository.repositoryName, repository.repositoryUri);
}

/** Lists every repository of the registry to say exactly which requested names are missing. */
async function missingRepositoriesError(
  client: ECRClient,
  requested: readonly string[],
  cause: unknown,
): Promise<ActionError> {
  const existing: string[] = [];
  try {
    for await (const page of paginateDescribeRepositories({ client }, {})) {
      for (const repository of page.repositories ?? [])
        if (repository.repositoryName) existing.push(repository.repositoryName);
    }
  } catch (error) {
    throw describeEcrError(error);
  }
  const existingSet = new Set(existing);
  const missing = requested.filter((name) => !existingSet.has(name));
  const region = await client.config.region();
  if (missing.length === 0) {
    return new ActionError(
      `ECR reported a repository as missing (${errorMessage(cause)}) but lists all of ${requested.join(', ')} ` +
        `in region ${region}; a repository may be being created or deleted right now: run the job again.`,
    );
  }
  const shown = [...existing].sort().slice(0, EXISTING_SHOWN);
  const existingText =
    existing.length === 0
      ? 'the registry has no repositories in this region'
      : `repositories that do exist (${shown.length === existing.length ? 'all' : `first ${EXISTING_SHOWN} of`} ` +
        `${existing.length}): ${shown.join(', ')}`;
  const plural = missing.length === 1 ? 'repository' : 'repositories';
  return new ActionError(
    `ECR ${plural} ${missing.map((m) => `"${m}"`).join(', ')} not found in region ${region}; ${existingText}. ` +
      'Fix the names in "repositories", check the region ("aws-region" or AWS_REGION), or create the repositories first.',
  );
}

function describeEcrError(error: unknown): ActionError {
  if (isAccessDeniedError(error)) {
    return new ActionError(
      `ECR refused DescribeRepositories (${errorMessage(error)}): grant the role "ecr:DescribeRepositories" on the repositories.`,
    );
  }
  return new ActionError(
    `ECR DescribeRepositories failed (${awsErrorName(error) ?? 'error'}: ${errorMessage(error)}).`,
  );
}
