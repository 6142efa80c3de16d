import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent } from 'aws-lambda';

type UrlHandler = (event: LambdaFunctionURLEvent) => Promise<unknown>;

export interface FunctionUrlOptions {
  /**
   * Auth type AWS_IAM: a request without a SigV4 Authorization header is answered 403 by "AWS", others reach the
   * handler with `requestContext.authorizer.iam` naming this caller. (The signature itself is recomputed by the
   * notify-lambda-url action's own tests.)
   */
  iamCaller?: string;
}

/** Serves a Lambda handler over local HTTP the way a Function URL does (payload format 2.0). */
export async function serveAsFunctionUrl(
  handler: UrlHandler,
  options: FunctionUrlOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  let requestNumber = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
        }
        if (options.iamCaller !== undefined && !/^AWS4-HMAC-SHA256 Credential=/.test(headers.authorization ?? '')) {
          response.writeHead(403, { 'content-type': 'application/json' });
          response.end('{"Message":"Forbidden"}');
          return;
        }
        const now = Date.now();
        const event: LambdaFunctionURLEvent = {
          version: '2.0',
          routeKey: '$default',
          rawPath: url.pathname,
          rawQueryString: url.search.slice(1),
          headers,
          requestContext: {
            accountId: 'anonymous',
            apiId: 'local',
            domainName: headers.host ?? 'localhost',
            domainPrefix: 'local',
            http: {
              method: request.method ?? 'GET',
              path: url.pathname,
              protocol: 'HTTP/1.1',
              sourceIp: request.socket.remoteAddress ?? '',
              userAgent: headers['user-agent'] ?? '',
            },
            requestId: `local-${++requestNumber}`,
            routeKey: '$default',
            stage: '$default',
            time: new Date(now).toUTCString(),
            timeEpoch: now,
            ...(options.iamCaller !== undefined && {
              authorizer: {
                iam: {
                  accessKey: 'ASIAEXAMPLE',
                  accountId: '123456789012',
                  callerId: 'AROAEXAMPLE:GitHubActions',
                  cognitoIdentity: null,
                  principalOrgId: 'o-exampleorgid',
                  userArn: options.iamCaller,
                  userId: 'AROAEXAMPLE:GitHubActions',
                },
              },
            }),
          },
          body: Buffer.concat(chunks).toString('base64'),
          isBase64Encoded: true,
        };
        const result = (await handler(event)) as {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: string;
        };
        response.writeHead(result.statusCode ?? 200, result.headers ?? {});
        response.end(result.body ?? '');
      })().catch((error: unknown) => {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`handler threw: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
