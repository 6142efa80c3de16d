import { createHmac } from 'node:crypto';

/**
 * The bytes the HMAC covers: `<timestamp>\n<Idempotency-Key>\n<body>`. The key is signed so that a captured request
 * cannot be replayed under a new key (which the receiver would record and mail again); neither the timestamp (digits)
 * nor the key (printable, no spaces) can contain a newline, so the parts cannot be shifted. The deploy-notifier
 * verifies the same string (services/deploy-notifier/src/hmac-verification.ts); both pin it with one test vector.
 */
export function signedContent(timestampSeconds: number, idempotencyKey: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestampSeconds}\n${idempotencyKey}\n`, 'utf8'), body]);
}

/**
 * Headers proving the request came from a holder of the shared key. The timestamp header repeats the body's
 * own (signed) timestamp in epoch seconds, so the receiver can reject replays of old requests.
 */
export function hmacHeaders(
  body: Buffer,
  secret: string,
  timestampSeconds: number,
  idempotencyKey: string,
): Record<string, string> {
  const digest = createHmac('sha256', secret)
    .update(signedContent(timestampSeconds, idempotencyKey, body))
    .digest('hex');
  return { 'x-berth-signature': `sha256=${digest}`, 'x-berth-timestamp': String(timestampSeconds) };
}
