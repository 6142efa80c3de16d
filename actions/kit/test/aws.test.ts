import { ECRClient, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ActionError, awsClientConfig, isAccessDeniedError, isThrottlingError } from '../src/index';
import { AwsFault, startFakeAwsJsonServer, type FakeAwsJsonServer } from '../src/testing/aws-json-server';

/** Sets variables for this file through vitest, which puts the previous values back (vi.unstubAllEnvs). */
function stubEnvironment(variables: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}

describe('awsClientConfig', () => {
  it('takes the region from the input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(
      awsClientConfig({ action: 'a', version: '1', region: 'eu-west-1', env: { AWS_REGION: 'us-east-1' } }).region,
    ).toBe('eu-west-1');
    expect(
      awsClientConfig({ action: 'a', version: '1', env: { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'x' } }).region,
    ).toBe('us-east-2');
    expect(awsClientConfig({ action: 'a', version: '1', env: { AWS_DEFAULT_REGION: 'ap-south-1' } }).region).toBe(
      'ap-south-1',
    );
  });

  it('uses adaptive retries with the given attempts and names the action in the user agent', () => {
    const config = awsClientConfig({
      action: 'ecs-rollout',
      version: '1.2.3',
      maxAttempts: 7,
      env: { AWS_REGION: 'us-east-1' },
    });
    expect(config).toEqual({
      region: 'us-east-1',
      retryMode: 'adaptive',
      maxAttempts: 7,
      customUserAgent: [['berth-ecs-rollout', '1.2.3']],
    });
  });

  it('explains a missing or malformed region', () => {
    expect(() => awsClientConfig({ action: 'a', version: '1', env: {} })).toThrow(ActionError);
    expect(() => awsClientConfig({ action: 'a', version: '1', env: {} })).toThrow(/aws-region/);
    expect(() => awsClientConfig({ action: 'a', version: '1', region: 'virginia', env: {} })).toThrow(
      /"virginia" is not a region/,
    );
  });
});

describe('AWS endpoint overrides', () => {
  let fake: FakeAwsJsonServer;
  beforeAll(async () => {
    fake = await startFakeAwsJsonServer({
      DescribeRepositories: () => ({ repositories: [{ repositoryName: 'berth/api-gateway', repositoryUri: 'uri' }] }),
    });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await fake.close();
  });

  it('honours AWS_ENDPOINT_URL_ECR and sends the Berth user agent', async () => {
    stubEnvironment({
      AWS_ENDPOINT_URL_ECR: fake.url,
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    const client = new ECRClient(awsClientConfig({ action: 'kit-test', version: '9.9.9', region: 'us-east-1' }));
    const response = await client.send(new DescribeRepositoriesCommand({}));
    expect(response.repositories?.[0]?.repositoryName).toBe('berth/api-gateway');
    expect(fake.calls).toHaveLength(1);
    expect(String(fake.calls[0]!.headers['user-agent'] ?? fake.calls[0]!.headers['x-amz-user-agent'])).toMatch(
      /berth-kit-test\/9\.9\.9/,
    );
  });

  it('classifies throttling and access errors coming back from the wire', async () => {
    fake.handle('DescribeRepositories', () => {
      throw new AwsFault('AccessDeniedException', 'not allowed');
    });
    const client = new ECRClient({
      ...awsClientConfig({ action: 'kit-test', version: '1', region: 'us-east-1' }),
      maxAttempts: 1,
    });
    const error = await client.send(new DescribeRepositoriesCommand({})).catch((e: unknown) => e);
    expect(isAccessDeniedError(error)).toBe(true);
    expect(isThrottlingError(error)).toBe(false);
    expect(isThrottlingError({ name: 'ThrottlingException' })).toBe(true);
  });
});
