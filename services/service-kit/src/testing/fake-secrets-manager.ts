import { createServer, type Server } from 'node:http';

/**
 * A local stand-in for Secrets Manager's GetSecretValue (the JSON 1.1 protocol the AWS SDK
 * speaks), so a service process can read secrets through its real SDK client when pointed at it
 * with AWS_ENDPOINT_URL_SECRETS_MANAGER. Secrets can be changed mid-test (a rotation).
 */
export interface FakeSecretsManager {
  url: string;
  /** Environment that points the AWS SDK at this server with dummy credentials. */
  env: Record<string, string>;
  put(secretId: string, value: unknown): void;
  /** How many times each secret was read. */
  reads: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, string>();
  const reads = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
      const reply = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      };
      if (target !== 'secretsmanager.GetSecretValue') {
        reply(400, { __type: 'UnknownOperationException', message: `unsupported: ${String(target)}` });
        return;
      }
      const value = SecretId === undefined ? undefined : secrets.get(SecretId);
      if (SecretId === undefined || value === undefined) {
        reply(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
        return;
      }
      reads.set(SecretId, (reads.get(SecretId) ?? 0) + 1);
      reply(200, { ARN: SecretId, Name: SecretId, SecretString: value, VersionId: `v${reads.get(SecretId)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    env: {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'test-secret-key',
    },
    put(secretId, value) {
      secrets.set(secretId, typeof value === 'string' ? value : JSON.stringify(value));
    },
    reads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
