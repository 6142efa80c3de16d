import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far X-Berth-Timestamp may be from the Lambda's clock before a request counts as a replay. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export type SignatureVerdict = { ok: true; timestampSeconds: number } | { ok: false; reason: string };

/**
 * The bytes the HMAC covers: `<timestamp>\n<Idempotency-Key>\n<body>`, so a captured request cannot be replayed under
 * a new key (which would be recorded and mailed again). Neither the timestamp (digits) nor the key (printable, no
 * spaces) can hold a newline, so the parts cannot be shifted. The notify-lambda-url action signs the same string
 * (actions/notify-lambda-url/src/hmac-signature.ts); both pin it with one test vector.
 */
export function signedContent(timestampSeconds: number, idempotencyKey: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestampSeconds}\n${idempotencyKey}\n`, 'utf8'), body]);
}

function hmac(key: string, content: Buffer): Buffer {
  return createHmac('sha256', key).update(content).digest();
}

/**
 * Checks `X-Berth-Signature: sha256=<hex>` (HMAC-SHA256 of signedContent) and that X-Berth-Timestamp is recent.
 * The caller must also check that the timestamp equals the body's own.
 */
export function verifyHmacSignature(
  request: { body: Buffer; idempotencyKey: string; signature: string | undefined; timestamp: string | undefined },
  key: string,
  now: Date,
): SignatureVerdict {
  const match = /^sha256=([0-9a-f]{64})$/.exec(request.signature?.trim() ?? '');
  if (!match) return { ok: false, reason: 'missing or malformed X-Berth-Signature header (expected sha256=<hex>)' };
  if (!/^\d{1,12}$/.test(request.timestamp?.trim() ?? '')) {
    return { ok: false, reason: 'missing or malformed X-Berth-Timestamp header (expected epoch seconds)' };
  }
  const timestampSeconds = Number(request.timestamp);
  const received = Buffer.from(match[1]!, 'hex');
  if (!timingSafeEqual(hmac(key, signedContent(timestampSeconds, request.idempotencyKey, request.body)), received)) {
    // The scheme before the key was signed covered the body alone; say so rather than blame the key.
    const bodyOnly = timingSafeEqual(hmac(key, request.body), received);
    return {
      ok: false,
      reason: bodyOnly
        ? 'signature covers the body only, the old scheme that leaves Idempotency-Key unsigned: sign ' +
          '"<X-Berth-Timestamp>\\n<Idempotency-Key>\\n<body>" (update notify-lambda-url)'
        : 'signature does not match the timestamp, Idempotency-Key and body',
    };
  }
  if (Math.abs(now.getTime() / 1000 - timestampSeconds) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: `stale timestamp: more than ${MAX_CLOCK_SKEW_SECONDS} s from the receiver's clock` };
  }
  return { ok: true, timestampSeconds };
}
