import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SigV4Options {
  region: string;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  now?: Date;
}

/**
 * Signs a POST to a Lambda Function URL (auth type AWS_IAM) for service `lambda`. The exact body bytes, the
 * `host` header (with the port when it is not the scheme's default) and the URL's query are all signed, so
 * the headers returned must be sent unchanged with that body.
 */
export async function sigV4Headers(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  options: SigV4Options,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'lambda',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query,
    headers: { ...headers, host: url.host },
    body,
  });
  const signed = await signer.sign(request, { signingDate: options.now });
  return signed.headers;
}

/** The region in a Function URL host (`<id>.lambda-url.<region>.on.aws`), or undefined for other hosts. */
export function regionOfFunctionUrl(url: URL): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1];
}
