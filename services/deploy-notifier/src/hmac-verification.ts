import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far X-Berth-Timestamp may be from the Lambda's clock before a request counts as a replay. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export type SignatureVerdict = { ok: true; timestampSeconds: number } | { ok: false; reason: string };

/**
 * Checks `X-Berth-Signature: sha256=<hex>` (HMAC-SHA256 of the raw body) and that X-Berth-Timestamp is recent.
 * The caller must also check that the timestamp equals the body's own, which the signature covers.
 */
export function verifyHmacSignature(
  body: Buffer,
  signatureHeader: string | undefined,
  timestampHeader: string | undefined,
  key: string,
  now: Date,
): SignatureVerdict {
  const match = /^sha256=([0-9a-f]{64})$/.exec(signatureHeader?.trim() ?? '');
  if (!match) return { ok: false, reason: 'missing or malformed X-Berth-Signature header (expected sha256=<hex>)' };
  const expected = createHmac('sha256', key).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(match[1]!, 'hex')))
    return { ok: false, reason: 'signature does not match the body' };
  if (!/^\d{1,12}$/.test(timestampHeader?.trim() ?? '')) {
    return { ok: false, reason: 'missing or malformed X-Berth-Timestamp header (expected epoch seconds)' };
  }
  const timestampSeconds = Number(timestampHeader);
  if (Math.abs(now.getTime() / 1000 - timestampSeconds) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: `stale timestamp: more than ${MAX_CLOCK_SKEW_SECONDS} s from the receiver's clock` };
  }
  return { ok: true, timestampSeconds };
}
