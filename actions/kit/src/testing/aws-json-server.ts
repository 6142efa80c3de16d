import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordAwsCall } from './aws-call-recorder';

/** What a handler throws to make the fake answer with an AWS error, e.g. ThrottlingException. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type AwsJsonHandler = (
  input: Record<string, unknown>,
  request: { headers: IncomingHttpHeaders },
) => unknown | Promise<unknown>;

export interface AwsJsonCall {
  operation: string;
  input: Record<string, unknown>;
  at: number;
  headers: IncomingHttpHeaders;
}

/** The part of an AWS SDK v3 client's `requestHandler` the SDK calls: one request in, one response out. */
export interface InMemoryRequestHandler {
  handle(request: {
    headers: Record<string, string>;
    body?: unknown;
  }): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }>;
}

export interface AwsJsonFake {
  calls: AwsJsonCall[];
  /** Replace or add an operation's handler while the fake runs. */
  handle(operation: string, handler: AwsJsonHandler): void;
  /**
   * The fake as an SDK `requestHandler`: `new ECSClient({ requestHandler: fake.requestHandler, … })` talks to it
   * in this process, with no socket, so tests may run on fake timers.
   */
  requestHandler: InMemoryRequestHandler;
  /** Answers one request, given its headers and body text. */
  dispatch(headers: IncomingHttpHeaders, text: string): Promise<AwsJsonAnswer>;
}

export interface AwsJsonAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface HttpEndpoint {
  url: string;
  close(): Promise<void>;
}

export interface FakeAwsJsonServer extends AwsJsonFake, HttpEndpoint {}

/**
 * A fake speaking the AWS JSON 1.0/1.1 protocol (ECS, ECR, CodeDeploy, DynamoDB…): `POST /` with
 * `X-Amz-Target: <Prefix>.<Operation>`, a JSON body, and errors as `{__type, message}`. Unknown operations answer
 * UnknownOperationException, so a test sees at once that the action made a call nobody scripted.
 */
export function createAwsJsonFake(handlers: Record<string, AwsJsonHandler>): AwsJsonFake {
  const table = new Map(Object.entries(handlers));
  const calls: AwsJsonCall[] = [];

  const dispatch = async (headers: IncomingHttpHeaders, text: string): Promise<AwsJsonAnswer> => {
    const target = String(headers['x-amz-target'] ?? '');
    const operation = target.slice(target.lastIndexOf('.') + 1);
    const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    calls.push({ operation, input, at: Date.now(), headers });
    recordAwsCall(headers, operation, input);
    const answer = (status: number, body: unknown): AwsJsonAnswer => ({
      status,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` },
    });
    const handler = table.get(operation);
    if (!handler) {
      return answer(400, { __type: 'UnknownOperationException', message: `fake has no handler for ${operation}` });
    }
    try {
      return answer(200, (await handler(input, { headers })) ?? {});
    } catch (error) {
      if (error instanceof AwsFault) return answer(error.status, { __type: error.code, message: error.message });
      return answer(500, { __type: 'InternalFailure', message: String(error) });
    }
  };

  const requestHandler: InMemoryRequestHandler = {
    async handle(request) {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
      // The SDK's JSON body is a Uint8Array that also pretends to be a string; decode its bytes.
      const body =
        typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
      const answer = await dispatch(headers, body);
      return {
        response: { statusCode: answer.status, headers: answer.headers, body: new TextEncoder().encode(answer.body) },
      };
    },
  };

  return { calls, handle: (operation, handler) => void table.set(operation, handler), dispatch, requestHandler };
}

/** Serves a fake on a local port; point a client or a bundled action at it with AWS_ENDPOINT_URL_<SERVICE>. */
export async function serveAwsJsonFake(fake: Pick<AwsJsonFake, 'dispatch'>): Promise<HttpEndpoint> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      void fake.dispatch(request.headers, Buffer.concat(chunks).toString('utf8')).then((answer) => {
        response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
        response.end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A fake behind a local HTTP server, for bundled actions and services that call AWS over the network. */
export async function startFakeAwsJsonServer(handlers: Record<string, AwsJsonHandler>): Promise<FakeAwsJsonServer> {
  const fake = createAwsJsonFake(handlers);
  return { ...fake, ...(await serveAwsJsonFake(fake)) };
}

/** Environment for a child process or client: dummy credentials and the fake's URL for one service. */
export function fakeAwsEnv(service: string, url: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: region,
    [`AWS_ENDPOINT_URL_${service.toUpperCase().replace(/[ -]/g, '_')}`]: url,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Static dummy credentials for a client that talks to a fake through its requestHandler. */
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
} as const;
