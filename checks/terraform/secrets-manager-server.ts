import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ACCOUNT_ID } from './aws-read-server.ts';

/**
 * A loopback stand-in for AWS Secrets Manager (AWS JSON 1.1: POST /, the operation in X-Amz-Target), enough for the
 * real provider to create, read, import and delete secrets and their versions. It records every operation, so a test
 * can say which calls a command makes.
 */
export interface SecretsManagerServerOptions {
  /** Account id in the ARNs; default 111122223333. */
  accountId?: string;
}

export interface SecretsManagerCall {
  /** Operation name, e.g. GetSecretValue. */
  operation: string;
  /** SecretId (or Name for CreateSecret) the request named, if any. */
  secretId?: string;
}

export interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  createdDate: number;
  deletedDate?: number;
  tags: { Key: string; Value: string }[];
  /** Version id → its value and staging labels. */
  versions: Map<string, { secretString?: string; stages: string[]; createdDate: number }>;
}

export interface SecretsManagerServer {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_SECRETS_MANAGER (the workspace's `endpoints` option). */
  url: string;
  /** Every call received, in order. */
  calls: SecretsManagerCall[];
  /** The secrets, by name. */
  secrets: Map<string, StoredSecret>;
  close(): Promise<void>;
}

type Request = Record<string, unknown>;
type Answer = { status: number; body: Record<string, unknown> };

export async function startSecretsManagerServer(
  options: SecretsManagerServerOptions = {},
): Promise<SecretsManagerServer> {
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const calls: SecretsManagerCall[] = [];
  const secrets = new Map<string, StoredSecret>();
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      const input = (text === '' ? {} : JSON.parse(text)) as Request;
      const secretId = typeof input.SecretId === 'string' ? input.SecretId : (input.Name as string | undefined);
      calls.push({ operation, ...(secretId === undefined ? {} : { secretId }) });
      const region = regionOf(request);
      send(response, handle(operation, input, { secrets, accountId, region }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    secrets,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Context {
  secrets: Map<string, StoredSecret>;
  accountId: string;
  region: string;
}

function handle(operation: string, input: Request, context: Context): Answer {
  if (operation === 'CreateSecret') return createSecret(input, context);
  if (operation === 'ListSecrets') return listSecrets(context);
  const secret = findSecret(context.secrets, String(input.SecretId ?? ''));
  if (!secret || (secret.deletedDate !== undefined && operation !== 'DescribeSecret')) {
    return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }
  const identity = { ARN: secret.arn, Name: secret.name };
  switch (operation) {
    case 'DescribeSecret':
      return ok(describe(secret));
    case 'GetResourcePolicy':
      return ok(identity);
    case 'PutSecretValue': {
      const versionId = String(input.ClientRequestToken ?? randomUUID());
      const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
      putVersion(secret, versionId, input.SecretString as string | undefined, stages);
      return ok({ ...identity, VersionId: versionId, VersionStages: stages });
    }
    case 'GetSecretValue': {
      const found = findVersion(
        secret,
        input.VersionId as string | undefined,
        input.VersionStage as string | undefined,
      );
      if (!found) return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret value.");
      const [versionId, version] = found;
      return ok({
        ...identity,
        VersionId: versionId,
        SecretString: version.secretString,
        VersionStages: version.stages,
        CreatedDate: version.createdDate,
      });
    }
    case 'ListSecretVersionIds':
      return ok({
        ...identity,
        Versions: [...secret.versions].map(([versionId, version]) => ({
          VersionId: versionId,
          VersionStages: version.stages,
          CreatedDate: version.createdDate,
        })),
      });
    case 'UpdateSecretVersionStage': {
      const stage = String(input.VersionStage);
      for (const version of secret.versions.values()) version.stages = version.stages.filter((s) => s !== stage);
      const target = secret.versions.get(String(input.MoveToVersionId ?? ''));
      target?.stages.push(stage);
      return ok(identity);
    }
    case 'TagResource': {
      const added = (input.Tags as StoredSecret['tags'] | undefined) ?? [];
      secret.tags = [...secret.tags.filter((tag) => !added.some((a) => a.Key === tag.Key)), ...added];
      return ok({});
    }
    case 'UntagResource': {
      const removed = (input.TagKeys as string[] | undefined) ?? [];
      secret.tags = secret.tags.filter((tag) => !removed.includes(tag.Key));
      return ok({});
    }
    case 'DeleteSecret':
      secret.deletedDate = Date.now() / 1000;
      if (input.ForceDeleteWithoutRecovery === true) context.secrets.delete(secret.name);
      return ok({ ...identity, DeletionDate: secret.deletedDate });
    default:
      return error('BerthOfflineSecretsManager', `the Secrets Manager stand-in does not answer ${operation}`);
  }
}

function createSecret(input: Request, context: Context): Answer {
  const name = String(input.Name);
  if (context.secrets.has(name)) return error('ResourceExistsException', `The secret ${name} already exists.`);
  const suffix = randomBytes(3).toString('hex');
  const secret: StoredSecret = {
    arn: `arn:aws:secretsmanager:${context.region}:${context.accountId}:secret:${name}-${suffix}`,
    name,
    ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
    createdDate: Date.now() / 1000,
    tags: (input.Tags as StoredSecret['tags'] | undefined) ?? [],
    versions: new Map(),
  };
  context.secrets.set(name, secret);
  if (typeof input.SecretString === 'string') {
    putVersion(secret, String(input.ClientRequestToken ?? randomUUID()), input.SecretString, ['AWSCURRENT']);
  }
  return ok({ ARN: secret.arn, Name: name });
}

function listSecrets(context: Context): Answer {
  return ok({ SecretList: [...context.secrets.values()].filter((s) => s.deletedDate === undefined).map(describe) });
}

function describe(secret: StoredSecret): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description === undefined ? {} : { Description: secret.description }),
    CreatedDate: secret.createdDate,
    LastChangedDate: secret.createdDate,
    ...(secret.deletedDate === undefined ? {} : { DeletedDate: secret.deletedDate }),
    RotationEnabled: false,
    Tags: secret.tags,
    VersionIdsToStages: Object.fromEntries([...secret.versions].map(([id, version]) => [id, version.stages])),
  };
}

function putVersion(secret: StoredSecret, versionId: string, value: string | undefined, stages: string[]): void {
  // A label belongs to one version at a time; AWSCURRENT leaving a version makes it AWSPREVIOUS.
  for (const version of secret.versions.values()) {
    const hadCurrent = version.stages.includes('AWSCURRENT') && stages.includes('AWSCURRENT');
    version.stages = version.stages.filter((stage) => !stages.includes(stage) && stage !== 'AWSPREVIOUS');
    if (hadCurrent) version.stages.push('AWSPREVIOUS');
  }
  secret.versions.set(versionId, { secretString: value, stages: [...stages], createdDate: Date.now() / 1000 });
}

function findSecret(secrets: Map<string, StoredSecret>, id: string): StoredSecret | undefined {
  return secrets.get(id) ?? [...secrets.values()].find((secret) => secret.arn === id);
}

function findVersion(secret: StoredSecret, versionId?: string, stage?: string) {
  return [...secret.versions].find(([id, version]) =>
    versionId ? id === versionId : version.stages.includes(stage ?? 'AWSCURRENT'),
  );
}

/** The region from the SigV4 credential scope the provider signs with. */
function regionOf(request: IncomingMessage): string {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''));
  return scope?.[1] ?? 'us-east-1';
}

function ok(body: Record<string, unknown>): Answer {
  return { status: 200, body };
}

function error(type: string, message: string): Answer {
  return { status: 400, body: { __type: type, message } };
}

function send(response: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
