import { AwsFault, createAwsJsonFake, type AwsJsonFake } from '@berth/kit/testing/aws-json-server';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export function repositoryUri(name: string): string {
  return `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`;
}

/**
 * ECR answering DescribeRepositories like the real service: by name (RepositoryNotFoundException when any
 * name is missing) or every repository, paged with nextToken.
 */
export function createFakeEcr(names: readonly string[], pageSize = 2): AwsJsonFake {
  const repositories = names.map((name) => ({
    repositoryName: name,
    repositoryUri: repositoryUri(name),
    repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
    registryId: ACCOUNT,
  }));
  return createAwsJsonFake({
    DescribeRepositories: (input) => {
      const requested = input.repositoryNames as string[] | undefined;
      if (requested) {
        const missing = requested.find((n) => !names.includes(n));
        if (missing) {
          throw new AwsFault(
            'RepositoryNotFoundException',
            `The repository with name '${missing}' does not exist in the registry with id '${ACCOUNT}'`,
          );
        }
        return { repositories: repositories.filter((r) => requested.includes(r.repositoryName)) };
      }
      const start = Number(input.nextToken ?? 0);
      const page = repositories.slice(start, start + pageSize);
      const next = start + pageSize < repositories.length ? String(start + pageSize) : undefined;
      return { repositories: page, ...(next ? { nextToken: next } : {}) };
    },
  });
}
