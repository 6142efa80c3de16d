import { createHmac } from 'node:crypto';

/**
 * Headers proving the body came from a holder of the shared key. The timestamp header repeats the body's
 * own (signed) timestamp in epoch seconds, so the receiver can reject replays of old bodies.
 */
export function hmacHeaders(body: Buffer, secret: string, timestampSeconds: number): Record<string, string> {
  const digest = createHmac('sha256', secret).update(body).digest('hex');
  return { 'x-berth-signature': `sha256=${digest}`, 'x-berth-timestamp': String(timestampSeconds) };
}
