import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import sodium from 'libsodium-wrappers';

/**
 * A local GitHub REST API for the Actions secrets, variables and environments endpoints of repositories,
 * environments and organizations. Each of them holds its own real libsodium key pair, so a test can open what
 * the action sealed. Every request is recorded; faults (401, 403, 404, 422, 5xx, rate limits) can be scripted.
 */

export interface RecordedRequest {
  method: string;
  /** Path with segments decoded, e.g. `/repos/o/r/environments/prod eu/secrets/X`. */
  path: string;
  /** Path exactly as sent, to check URL encoding. */
  rawPath: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
  /** The status the fake answered. */
  status: number;
}

export interface StoredSecret {
  encrypted_value: string;
  key_id: string;
  visibility?: string;
  selected_repository_ids?: number[];
}

export interface StoredVariable {
  value: string;
  visibility?: string;
  selected_repository_ids?: number[];
}

export interface Fault {
  method?: string;
  /** Matched against the decoded path. */
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests fail; afterwards they reach the normal handlers. Default: every one. */
  times?: number;
}

/** One place secrets and variables live: `repo:owner/name`, `env:owner/name:environment` or `org:org`. */
class Scope {
  readonly secrets = new Map<string, StoredSecret>();
  readonly variables = new Map<string, StoredVariable>();
  constructor(
    readonly keyId: string,
    readonly publicKey: Uint8Array,
    readonly privateKey: Uint8Array,
  ) {}
}

export interface FakeGitHub {
  url: string;
  token: string;
  requests: RecordedRequest[];
  addRepository(fullName: string, id: number): void;
  addEnvironment(fullName: string, environment: string): void;
  addOrganization(org: string): void;
  hasEnvironment(fullName: string, environment: string): boolean;
  secret(scope: string, name: string): StoredSecret | undefined;
  variable(scope: string, name: string): StoredVariable | undefined;
  /** Seeds an existing secret (sealed with the scope's key) or variable. */
  seedSecret(scope: string, name: string, value: string): void;
  seedVariable(scope: string, name: string, value: string): void;
  /** Opens a stored secret with the scope's private key; throws when it was sealed for another key. */
  open(scope: string, name: string): string;
  publicKeyOf(scope: string): { key_id: string; key: string };
  fail(fault: Fault): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { token?: string } = {}): Promise<FakeGitHub> {
  await sodium.ready;
  const token = options.token ?? 'github_pat_test_0123456789';
  const scopes = new Map<string, Scope>();
  const repositoryIds = new Map<string, number>();
  const environments = new Map<string, Set<string>>();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  let nextKeyId = 3380204578043523000;

  const newScope = (key: string): Scope => {
    const pair = sodium.crypto_box_keypair();
    const scope = new Scope(String(nextKeyId++), pair.publicKey, pair.privateKey);
    scopes.set(key, scope);
    return scope;
  };
  const scopeOf = (key: string): Scope => {
    const scope = scopes.get(key);
    if (!scope) throw new Error(`the fake has no scope ${key}`);
    return scope;
  };
  const seal = (scope: Scope, value: string): string =>
    sodium.to_base64(
      sodium.crypto_box_seal(sodium.from_string(value), scope.publicKey),
      sodium.base64_variants.ORIGINAL,
    );

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
      const segments = rawPath.split('/').map((s) => decodeURIComponent(s));
      const path = segments.join('/');
      const method = request.method ?? 'GET';
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const record: RecordedRequest = { method, path, rawPath, headers: request.headers, body, status: 0 };
      requests.push(record);
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
        record.status = status;
        const json = payload === undefined ? '' : JSON.stringify(payload);
        response.writeHead(status, {
          ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}),
          'x-github-request-id': `FAKE:${requests.length}`,
          ...headers,
        });
        response.end(json);
      };
      const fault = faults.find((f) => (!f.method || f.method === method) && f.path.test(path) && (f.times ?? 1) > 0);
      if (fault) {
        if (fault.times !== undefined) fault.times--;
        send(fault.status, fault.body ?? { message: `scripted ${fault.status}` }, fault.headers);
        return;
      }
      const auth = request.headers.authorization ?? '';
      if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
        send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
        return;
      }
      route(method, segments.slice(1), body, send);
    });
  });

  type Send = (status: number, payload?: unknown, headers?: Record<string, string>) => void;
  const notFound = (send: Send): void =>
    send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });

  function route(method: string, parts: string[], body: Record<string, unknown> | undefined, send: Send): void {
    // /repos/{owner}/{repo}/...
    if (parts[0] === 'repos' && parts.length >= 3) {
      const fullName = `${parts[1]}/${parts[2]}`;
      if (!repositoryIds.has(fullName)) return notFound(send);
      const rest = parts.slice(3);
      if (rest.length === 0 && method === 'GET')
        return send(200, { id: repositoryIds.get(fullName), full_name: fullName });
      if (rest[0] === 'actions') return scoped(`repo:${fullName}`, method, rest.slice(1), body, send, false);
      if (rest[0] === 'environments' && rest[1] !== undefined) {
        const name = rest[1];
        const known = environments.get(fullName) ?? new Set<string>();
        if (rest.length === 2 && method === 'GET') return known.has(name) ? send(200, { name }) : notFound(send);
        if (rest.length === 2 && method === 'PUT') {
          if (!known.has(name)) addEnvironment(fullName, name);
          return send(200, { name });
        }
        if (!known.has(name)) return notFound(send);
        return scoped(`env:${fullName}:${name}`, method, rest.slice(2), body, send, false);
      }
      return notFound(send);
    }
    if (parts[0] === 'orgs' && parts[1] !== undefined && parts[2] === 'actions') {
      if (!scopes.has(`org:${parts[1]}`)) return notFound(send);
      return scoped(`org:${parts[1]}`, method, parts.slice(3), body, send, true);
    }
    notFound(send);
  }

  /** `secrets/public-key`, `secrets/{name}`, `variables`, `variables/{name}` of one scope. */
  function scoped(
    key: string,
    method: string,
    parts: string[],
    body: Record<string, unknown> | undefined,
    send: Send,
    organization: boolean,
  ): void {
    const scope = scopeOf(key);
    const [collection, name] = parts;
    const orgProblem = (): string | undefined => {
      if (!organization) return undefined;
      const visibility = body?.visibility;
      if (visibility !== 'all' && visibility !== 'private' && visibility !== 'selected')
        return 'visibility is required';
      if (visibility === 'selected' && !Array.isArray(body?.selected_repository_ids)) {
        return 'selected_repository_ids is required when visibility is selected';
      }
      return undefined;
    };
    const orgFields = (): Pick<StoredSecret, 'visibility' | 'selected_repository_ids'> =>
      organization
        ? {
            visibility: String(body?.visibility),
            ...(Array.isArray(body?.selected_repository_ids)
              ? { selected_repository_ids: body.selected_repository_ids as number[] }
              : {}),
          }
        : {};
    if (collection === 'secrets' && name === 'public-key' && method === 'GET') {
      return send(200, {
        key_id: scope.keyId,
        key: sodium.to_base64(scope.publicKey, sodium.base64_variants.ORIGINAL),
      });
    }
    if (collection === 'secrets' && name !== undefined && parts.length === 2) {
      if (method === 'GET') {
        return scope.secrets.has(name) ? send(200, { name, created_at: '2026-01-01T00:00:00Z' }) : notFound(send);
      }
      if (method === 'PUT') {
        const encrypted = body?.encrypted_value;
        const keyId = body?.key_id;
        if (typeof encrypted !== 'string' || typeof keyId !== 'string' || !/^[A-Za-z0-9+/]+=*$/.test(encrypted)) {
          return send(422, { message: 'Invalid request.', errors: ['encrypted_value and key_id are required'] });
        }
        const problem = orgProblem();
        if (problem) return send(422, { message: 'Invalid request.', errors: [problem] });
        const existed = scope.secrets.has(name);
        scope.secrets.set(name, { encrypted_value: encrypted, key_id: keyId, ...orgFields() });
        return existed ? send(204) : send(201, {});
      }
    }
    if (collection === 'variables' && parts.length === 1 && method === 'POST') {
      const variableName = body?.name;
      const value = body?.value;
      if (typeof variableName !== 'string' || typeof value !== 'string') {
        return send(422, { message: 'Invalid request.', errors: ['name and value are required'] });
      }
      const problem = orgProblem();
      if (problem) return send(422, { message: 'Invalid request.', errors: [problem] });
      if (scope.variables.has(variableName)) return send(409, { message: 'Already exists - Variable already exists' });
      scope.variables.set(variableName, { value, ...orgFields() });
      return send(201, {});
    }
    if (collection === 'variables' && name !== undefined && parts.length === 2) {
      const existing = scope.variables.get(name);
      if (!existing) return notFound(send);
      if (method === 'GET') return send(200, { name, value: existing.value });
      if (method === 'PATCH') {
        if (typeof body?.value !== 'string')
          return send(422, { message: 'Invalid request.', errors: ['value is required'] });
        scope.variables.set(name, { value: body.value, ...orgFields() });
        return send(204);
      }
    }
    notFound(send);
  }

  function addEnvironment(fullName: string, environment: string): void {
    const known = environments.get(fullName) ?? new Set<string>();
    known.add(environment);
    environments.set(fullName, known);
    newScope(`env:${fullName}:${environment}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    addRepository: (fullName, id) => {
      repositoryIds.set(fullName, id);
      newScope(`repo:${fullName}`);
    },
    addEnvironment,
    addOrganization: (org) => void newScope(`org:${org}`),
    hasEnvironment: (fullName, environment) => environments.get(fullName)?.has(environment) ?? false,
    secret: (scope, name) => scopeOf(scope).secrets.get(name),
    variable: (scope, name) => scopeOf(scope).variables.get(name),
    seedSecret: (key, name, value) => {
      const scope = scopeOf(key);
      scope.secrets.set(name, { encrypted_value: seal(scope, value), key_id: scope.keyId });
    },
    seedVariable: (key, name, value) => void scopeOf(key).variables.set(name, { value }),
    open: (key, name) => {
      const scope = scopeOf(key);
      const stored = scope.secrets.get(name);
      if (!stored) throw new Error(`no secret ${name} in ${key}`);
      const cipher = sodium.from_base64(stored.encrypted_value, sodium.base64_variants.ORIGINAL);
      return sodium.to_string(sodium.crypto_box_seal_open(cipher, scope.publicKey, scope.privateKey));
    },
    publicKeyOf: (key) => {
      const scope = scopeOf(key);
      return { key_id: scope.keyId, key: sodium.to_base64(scope.publicKey, sodium.base64_variants.ORIGINAL) };
    },
    fail: (fault) => void faults.push(fault),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
