import { ECRClient } from '@aws-sdk/client-ecr';
import { AwsFault, FAKE_CREDENTIALS, type AwsJsonFake } from '@berth/kit/testing/aws-json-server';
import { describe, expect, it } from 'vitest';
import { lookupRepositoryUris } from '../src/ecr-lookup';
import { createFakeEcr, repositoryUri } from './fake-ecr';

let ecr: AwsJsonFake;

function client(fake: AwsJsonFake): ECRClient {
  return new ECRClient({
    region: 'us-east-1',
    requestHandler: fake.requestHandler,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
}

describe('lookupRepositoryUris', () => {
  it('maps each name to its repositoryUri', async () => {
    ecr = createFakeEcr(['berth/a', 'berth/b']);
    const uris = await lookupRepositoryUris(client(ecr), ['berth/b', 'berth/a', 'berth/b']);
    expect(Object.fromEntries(uris)).toEqual({
      'berth/a': repositoryUri('berth/a'),
      'berth/b': repositoryUri('berth/b'),
    });
    expect(ecr.calls).toHaveLength(1);
  });

  it('lists the first 20 existing repositories, across pages, when one is missing', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `berth/svc-${String(i).padStart(2, '0')}`);
    ecr = createFakeEcr(names, 10);
    const failure = lookupRepositoryUris(client(ecr), ['berth/svc-00', 'berth/gone', 'berth/also-gone']);
    await expect(failure).rejects.toThrow(
      'ECR repositories "berth/gone", "berth/also-gone" not found in region us-east-1; ' +
        `repositories that do exist (first 20 of 25): ${names.slice(0, 20).join(', ')}.`,
    );
    expect(ecr.calls.filter((c) => c.input.repositoryNames === undefined)).toHaveLength(3);
  });

  it('names the IAM permission when access is denied', async () => {
    ecr = createFakeEcr([]);
    ecr.handle('DescribeRepositories', () => {
      throw new AwsFault('AccessDeniedException', 'User is not authorized to perform: ecr:DescribeRepositories');
    });
    await expect(lookupRepositoryUris(client(ecr), ['berth/a'])).rejects.toThrow(
      'grant the role "ecr:DescribeRepositories" on the repositories',
    );
  });
});
