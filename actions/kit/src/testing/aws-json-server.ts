import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a handler returns to make the fake answer with an AWS error, e.g. ThrottlingException. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type AwsJsonHandler = (input: Record<string, unknown>, request: IncomingMessage) => unknown | Promise<unknown>;

export interface AwsJsonCall {
  operation: string;
  input: Record<string, unknown>;
  at: number;
  headers: IncomingMessage['headers'];
}

export interface FakeAwsJsonServer {
  url: string;
  calls: AwsJsonCall[];
  /** Replace or add an operation's handler while the server runs. */
  handle(operation: string, handler: AwsJsonHandler): void;
  close(): Promise<void>;
}

/**
 * A local server speaking the AWS JSON 1.0/1.1 protocol (ECS, ECR, CodeDeploy, DynamoDB…):
 * `POST /` with `X-Amz-Target: <Prefix>.<Operation>`, a JSON body, and errors as `{__type, message}`.
 * Point a client at it with AWS_ENDPOINT_URL_<SERVICE>. Unknown operations answer UnknownOperationException,
 * so a test sees at once that the action made a call nobody scripted.
 */
export async function startFakeAwsJsonServer(handlers: Record<string, AwsJsonHandler>): Promise<FakeAwsJsonServer> {
  const table = new Map(Object.entries(handlers));
  const calls: AwsJsonCall[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      void (async () => {
        const target = String(request.headers['x-amz-target'] ?? '');
        const operation = target.slice(target.lastIndexOf('.') + 1);
        const text = Buffer.concat(chunks).toString('utf8');
        const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
        calls.push({ operation, input, at: Date.now(), headers: request.headers });
        const send = (status: number, body: unknown): void => {
          const payload = JSON.stringify(body);
          response.writeHead(status, {
            'content-type': 'application/x-amz-json-1.1',
            'content-length': Buffer.byteLength(payload),
            'x-amzn-requestid': `req-${calls.length}`,
          });
          response.end(payload);
        };
        const handler = table.get(operation);
        if (!handler) {
          send(400, { __type: 'UnknownOperationException', message: `fake has no handler for ${operation}` });
          return;
        }
        try {
          send(200, (await handler(input, request)) ?? {});
        } catch (error) {
          if (error instanceof AwsFault) send(error.status, { __type: error.code, message: error.message });
          else send(500, { __type: 'InternalFailure', message: String(error) });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    handle: (operation, handler) => table.set(operation, handler),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
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
