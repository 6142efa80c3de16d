import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordAwsCall } from '@berth/kit/testing/aws-call-recorder';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Answers one request; `index` counts from 0. Returning nothing leaves the request hanging (a timeout). */
export type Responder = (request: RecordedRequest, index: number, response: ServerResponse) => void;

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export function reply(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

/**
 * The Lambda operation of a signed request this server receives: the Lambda API's GetFunctionUrlConfig, or else an
 * invocation of a Function URL (IAM authorizes it as lambda:InvokeFunctionUrl).
 */
function lambdaOperationOf(method: string, url: string): string {
  return method === 'GET' && /^\/2021-10-31\/functions\/[^/]+\/url(\?|$)/.test(url)
    ? 'GetFunctionUrlConfig'
    : 'InvokeFunctionUrl';
}

/**
 * A local HTTP server that records every request with its exact body bytes; a SigV4-signed one is also an AWS call
 * for the recorder (aws-call-recorder), unsigned ones (auth hmac or none) are not.
 */
export async function startRecordingServer(responder: Responder): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      recordAwsCall(recorded.headers, lambdaOperationOf(recorded.method, recorded.url));
      responder(recorded, requests.length - 1, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
