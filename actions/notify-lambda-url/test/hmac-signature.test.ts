import { describe, expect, it } from 'vitest';
import { hmacHeaders } from '../src/hmac-signature';

// The signed string is defined twice, here and in the deploy-notifier's verification (a service may not import an
// action's code): both sides pin it with the same vector, computed with
//   printf '%s\n%s\n%s' 1795514400 'gh:octo-org/berth-demo:4242:1:staging:deployed' \
//     '{"event":"deployed","environment":"staging"}' | openssl dgst -sha256 -hmac berth-signing-test-vector-key
const VECTOR = {
  key: 'berth-signing-test-vector-key',
  timestampSeconds: 1795514400,
  idempotencyKey: 'gh:octo-org/berth-demo:4242:1:staging:deployed',
  body: '{"event":"deployed","environment":"staging"}',
  signature: 'sha256=3f8897dcc9ab1139380b178c286f7f70b35f5573841f9606acc632f7adfe4189',
};

describe('hmacHeaders', () => {
  it('signs the timestamp, the Idempotency-Key and the body (the shared test vector)', () => {
    expect(hmacHeaders(Buffer.from(VECTOR.body), VECTOR.key, VECTOR.timestampSeconds, VECTOR.idempotencyKey)).toEqual({
      'x-berth-signature': VECTOR.signature,
      'x-berth-timestamp': '1795514400',
    });
  });

  it('gives a captured request no signature that fits another Idempotency-Key or timestamp', () => {
    const sign = (timestamp: number, key: string) =>
      hmacHeaders(Buffer.from(VECTOR.body), VECTOR.key, timestamp, key)['x-berth-signature'];
    expect(sign(VECTOR.timestampSeconds, 'gh:octo-org/berth-demo:4242:2:staging:deployed')).toBe(
      'sha256=84275971c8fa0c84bb25d327d0bcb116261332db85be19c7206102ba5a9f34a4',
    );
    expect(sign(VECTOR.timestampSeconds + 1, VECTOR.idempotencyKey)).not.toBe(VECTOR.signature);
  });
});
