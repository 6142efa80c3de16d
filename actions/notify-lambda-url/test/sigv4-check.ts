import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RecordedRequest } from './recording-server';

export interface SignatureCheck {
  signedHeaders: string[];
  service: string;
  region: string;
  received: string;
  recomputed: string;
}

/**
 * Recomputes a request's SigV4 signature from what the server received, as AWS would: the signed headers
 * as sent, the body hash from the bytes received (not from the client's x-amz-content-sha256), the query.
 */
export async function recomputeSignature(
  request: RecordedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  body: Buffer = request.body,
): Promise<SignatureCheck> {
  const authorization = String(request.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) throw new Error(`not a SigV4 Authorization header: "${authorization}"`);
  const [, , , region, service, signedList] = match;
  const signedHeaders = signedList!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (name !== 'x-amz-content-sha256') headers[name] = String(request.headers[name] ?? '');
  }
  const url = new URL(request.url, `http://${request.headers.host}`);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({ service: service!, region: region!, credentials, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
      body,
    }),
    { signingDate },
  );
  return {
    signedHeaders,
    service: service!,
    region: region!,
    received: authorization,
    recomputed: String(signed.headers.authorization),
  };
}
