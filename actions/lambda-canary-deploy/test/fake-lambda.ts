import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordAwsCall } from '@berth/kit/testing/aws-call-recorder';
import type { HttpEndpoint, InMemoryRequestHandler } from '@berth/kit/testing/aws-json-server';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Handler: string;
  Role: string;
  MemorySize: number;
  Timeout: number;
  Architectures: string[];
  Environment: { Variables: Record<string, string> };
  CodeSha256: string;
  CodeSize: number;
  Version: string;
  RevisionId: string;
  State: 'Active';
  LastUpdateStatus: 'Successful' | 'InProgress' | 'Failed';
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
  LastModified: string;
  Description?: string;
}

interface FakeFunction {
  latest: FunctionConfiguration;
  versions: Map<string, FunctionConfiguration>;
  aliases: Map<string, { version: string; weights: Record<string, number> }>;
  /** When the code update in progress finishes (epoch ms), and whether it fails. */
  updateDoneAt?: number;
  updateFailure?: { code: string; reason: string };
}

export interface LambdaCall {
  operation: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  at: number;
  headers: Record<string, string>;
}

export interface FakeLambda {
  requestHandler: InMemoryRequestHandler;
  calls(operation?: string): LambdaCall[];
  /** A function with one published version (1) behind `alias`, running `code`. */
  addFunction(name: string, options?: { alias?: string; code?: Buffer; environment?: Record<string, string> }): void;
  /** Sets the $LATEST environment, as a Terraform apply of a configuration change does. */
  setEnvironment(name: string, variables: Record<string, string>): void;
  /** Code updates take this long (ms) before LastUpdateStatus is Successful. */
  updateTakes(ms: number): void;
  /** The next code update ends Failed with this reason. */
  failNextUpdate(code: string, reason: string): void;
  /** Moves `percent` of the alias's traffic to `version` (100: the alias points at it); what CodeDeploy does. */
  shiftAlias(name: string, alias: string, fromVersion: string, toVersion: string, percent: number): void;
  alias(name: string, alias: string): { version: string; weights: Record<string, number> };
  versions(name: string): string[];
  latest(name: string): FunctionConfiguration;
}

export type ServedFakeLambda = FakeLambda & HttpEndpoint;

/** Lambda's CodeSha256: base64 of the SHA-256 of the deployment package. */
export function codeSha256(zip: Buffer): string {
  return createHash('sha256').update(zip).digest('base64');
}

class LambdaFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Lambda's REST-JSON API (2015-03-31) for the calls a code deployment makes: GetAlias, GetFunctionConfiguration,
 * UpdateFunctionCode, PublishVersion. Code updates finish after a delay by the clock, as on Lambda, so tests on fake
 * timers see LastUpdateStatus InProgress first. Publishing unchanged code and configuration returns the last version.
 */
export function createFakeLambda(): FakeLambda {
  const functions = new Map<string, FakeFunction>();
  const calls: LambdaCall[] = [];
  let updateMs = 1500;
  let nextFailure: { code: string; reason: string } | undefined;
  let revision = 0;
  const revisionId = (): string => `rev-${String(++revision).padStart(4, '0')}`;

  const find = (name: string): FakeFunction => {
    const fn = functions.get(decodeURIComponent(name).replace(/^arn:.*:function:/, ''));
    if (!fn) throw new LambdaFault('ResourceNotFoundException', `Function not found: ${name}`, 404);
    return fn;
  };

  /** Finishes a due code update, lazily, when a request arrives after its time. */
  const settle = (fn: FakeFunction): void => {
    if (fn.updateDoneAt === undefined || Date.now() < fn.updateDoneAt) return;
    fn.updateDoneAt = undefined;
    fn.latest.LastUpdateStatus = fn.updateFailure ? 'Failed' : 'Successful';
    if (fn.updateFailure) {
      fn.latest.LastUpdateStatusReason = fn.updateFailure.reason;
      fn.latest.LastUpdateStatusReasonCode = fn.updateFailure.code;
    }
    fn.updateFailure = undefined;
  };

  const sameContent = (a: FunctionConfiguration, b: FunctionConfiguration): boolean =>
    a.CodeSha256 === b.CodeSha256 && JSON.stringify(a.Environment) === JSON.stringify(b.Environment);

  const routes: {
    method: string;
    pattern: RegExp;
    operation: string;
    run(fn: FakeFunction, m: RegExpExecArray, call: LambdaCall): unknown;
  }[] = [
    {
      method: 'GET',
      pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/,
      operation: 'GetAlias',
      run: (fn, m) => {
        const name = decodeURIComponent(m[2]!);
        const alias = fn.aliases.get(name);
        if (!alias)
          throw new LambdaFault('ResourceNotFoundException', `Alias not found: ${fn.latest.FunctionArn}:${name}`, 404);
        return {
          AliasArn: `${fn.latest.FunctionArn}:${name}`,
          Name: name,
          FunctionVersion: alias.version,
          RevisionId: revisionId(),
          ...(Object.keys(alias.weights).length > 0
            ? { RoutingConfig: { AdditionalVersionWeights: alias.weights } }
            : {}),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
      operation: 'GetFunctionConfiguration',
      run: (fn, _m, call) => {
        const qualifier = call.query.Qualifier;
        if (!qualifier || qualifier === '$LATEST') return fn.latest;
        const alias = fn.aliases.get(qualifier);
        const version = fn.versions.get(alias ? alias.version : qualifier);
        if (!version)
          throw new LambdaFault(
            'ResourceNotFoundException',
            `Function not found: ${fn.latest.FunctionArn}:${qualifier}`,
            404,
          );
        return version;
      },
    },
    {
      method: 'PUT',
      pattern: /^\/2015-03-31\/functions\/([^/]+)\/code$/,
      operation: 'UpdateFunctionCode',
      run: (fn, _m, call) => {
        if (fn.updateDoneAt !== undefined)
          throw new LambdaFault(
            'ResourceConflictException',
            'An update is in progress for resource: ' + fn.latest.FunctionArn,
            409,
          );
        const zip = Buffer.from(String(call.body.ZipFile ?? ''), 'base64');
        if (zip.length === 0) throw new LambdaFault('InvalidParameterValueException', 'ZipFile is empty', 400);
        fn.latest = {
          ...fn.latest,
          CodeSha256: codeSha256(zip),
          CodeSize: zip.length,
          RevisionId: revisionId(),
          LastUpdateStatus: 'InProgress',
          LastUpdateStatusReason: undefined,
          LastUpdateStatusReasonCode: undefined,
          LastModified: new Date().toISOString(),
        };
        fn.updateDoneAt = Date.now() + updateMs;
        fn.updateFailure = nextFailure;
        nextFailure = undefined;
        return fn.latest;
      },
    },
    {
      method: 'POST',
      pattern: /^\/2015-03-31\/functions\/([^/]+)\/versions$/,
      operation: 'PublishVersion',
      run: (fn, _m, call) => {
        if (fn.latest.LastUpdateStatus === 'InProgress')
          throw new LambdaFault(
            'ResourceConflictException',
            'The operation cannot be performed at this time. An update is in progress',
            409,
          );
        if (call.body.CodeSha256 !== undefined && call.body.CodeSha256 !== fn.latest.CodeSha256)
          throw new LambdaFault(
            'InvalidParameterValueException',
            `CodeSHA256 (${String(call.body.CodeSha256)}) is different from current CodeSHA256 in $LATEST (${fn.latest.CodeSha256}). Please try again`,
            400,
          );
        const newest = [...fn.versions.values()].at(-1)!;
        if (sameContent(newest, fn.latest)) return newest;
        const version = String(fn.versions.size + 1);
        const published: FunctionConfiguration = {
          ...fn.latest,
          Version: version,
          FunctionArn: `${fn.latest.FunctionArn}:${version}`,
          Description: typeof call.body.Description === 'string' ? call.body.Description : '',
          RevisionId: revisionId(),
        };
        fn.versions.set(version, published);
        return published;
      },
    },
  ];

  const dispatch = async (
    method: string,
    path: string,
    query: Record<string, string>,
    headers: Record<string, string>,
    text: string,
  ): Promise<{ status: number; body: string; headers: Record<string, string> }> => {
    const route = routes.find((r) => r.method === method && r.pattern.test(path));
    const call: LambdaCall = {
      operation: route?.operation ?? `${method} ${path}`,
      path,
      query,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      at: Date.now(),
      headers,
    };
    calls.push(call);
    recordAwsCall(headers, call.operation, call.body);
    try {
      if (!route)
        throw new LambdaFault('UnknownOperationException', `fake Lambda has no route for ${method} ${path}`, 404);
      const match = route.pattern.exec(path)!;
      const fn = find(match[1]!);
      settle(fn);
      const answer = route.run(fn, match, call);
      return {
        status: route.operation === 'PublishVersion' ? 201 : 200,
        body: JSON.stringify(answer),
        headers: { 'content-type': 'application/json' },
      };
    } catch (error) {
      const fault = error instanceof LambdaFault ? error : new LambdaFault('ServiceException', String(error), 500);
      return {
        status: fault.status,
        body: JSON.stringify({ Type: 'User', message: fault.message }),
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': fault.code },
      };
    }
  };

  const requestHandler: InMemoryRequestHandler = {
    async handle(request) {
      const r = request as unknown as {
        method: string;
        path: string;
        query?: Record<string, string | string[] | null>;
        headers: Record<string, string>;
        body?: unknown;
      };
      const query = Object.fromEntries(
        Object.entries(r.query ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')]),
      );
      const body =
        r.body === undefined || r.body === null
          ? ''
          : typeof r.body === 'string'
            ? r.body
            : new TextDecoder().decode(r.body as Uint8Array);
      const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const answer = await dispatch(r.method, r.path, query, headers, body);
      return {
        response: { statusCode: answer.status, headers: answer.headers, body: new TextEncoder().encode(answer.body) },
      };
    },
  };

  return {
    requestHandler,
    dispatchHttp: dispatch,
    calls: (operation) => calls.filter((c) => operation === undefined || c.operation === operation),
    addFunction(name, options = {}) {
      const code = options.code ?? Buffer.from('PK fake v1');
      const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      const latest: FunctionConfiguration = {
        FunctionName: name,
        FunctionArn: arn,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: `arn:aws:iam::${ACCOUNT}:role/${name}`,
        MemorySize: 256,
        Timeout: 15,
        Architectures: ['arm64'],
        Environment: { Variables: options.environment ?? { ENVIRONMENT: 'prod' } },
        CodeSha256: codeSha256(code),
        CodeSize: code.length,
        Version: '$LATEST',
        RevisionId: revisionId(),
        State: 'Active',
        LastUpdateStatus: 'Successful',
        LastModified: new Date().toISOString(),
      };
      const v1 = { ...latest, Version: '1', FunctionArn: `${arn}:1`, RevisionId: revisionId() };
      functions.set(name, {
        latest,
        versions: new Map([['1', v1]]),
        aliases: new Map([[options.alias ?? 'live', { version: '1', weights: {} }]]),
      });
    },
    setEnvironment(name, variables) {
      const fn = find(name);
      fn.latest = { ...fn.latest, Environment: { Variables: variables }, RevisionId: revisionId() };
    },
    updateTakes(ms) {
      updateMs = ms;
    },
    failNextUpdate(code, reason) {
      nextFailure = { code, reason };
    },
    shiftAlias(name, alias, fromVersion, toVersion, percent) {
      const target = find(name).aliases.get(alias);
      if (!target) throw new Error(`fake Lambda: no alias ${alias} on ${name}`);
      if (percent >= 100) Object.assign(target, { version: toVersion, weights: {} });
      else if (percent <= 0) Object.assign(target, { version: fromVersion, weights: {} });
      else Object.assign(target, { version: fromVersion, weights: { [toVersion]: percent / 100 } });
    },
    alias: (name, alias) => ({ ...find(name).aliases.get(alias)! }),
    versions: (name) => [...find(name).versions.keys()],
    latest: (name) => find(name).latest,
  } as FakeLambda & { dispatchHttp: typeof dispatch };
}

/** The same fake behind a local HTTP server, for the bundled action (AWS_ENDPOINT_URL_LAMBDA). */
export async function startFakeLambda(): Promise<ServedFakeLambda> {
  const fake = createFakeLambda() as FakeLambda & {
    dispatchHttp(
      method: string,
      path: string,
      query: Record<string, string>,
      headers: Record<string, string>,
      text: string,
    ): Promise<{ status: number; body: string; headers: Record<string, string> }>;
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      void fake
        .dispatchHttp(
          request.method ?? 'GET',
          url.pathname,
          Object.fromEntries(url.searchParams),
          headers,
          Buffer.concat(chunks).toString('utf8'),
        )
        .then((answer) => {
          response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
          response.end(answer.body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
