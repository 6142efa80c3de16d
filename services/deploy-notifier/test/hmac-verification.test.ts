import { describe, expect, it } from 'vitest';
import { verifyHmacSignature } from '../src/hmac-verification';

// The signed string is defined twice, here and in notify-lambda-url's signing (a service may not import an action's
// code): both sides pin it with the same vector, computed with
//   printf '%s\n%s\n%s' 1795514400 'gh:octo-org/berth-demo:4242:1:staging:deployed' \
//     '{"event":"deployed","environment":"staging"}' | openssl dgst -sha256 -hmac berth-signing-test-vector-key
const VECTOR = {
  key: 'berth-signing-test-vector-key',
  timestampSeconds: 1795514400,
  idempotencyKey: 'gh:octo-org/berth-demo:4242:1:staging:deployed',
  body: '{"event":"deployed","environment":"staging"}',
  signature: 'sha256=3f8897dcc9ab1139380b178c286f7f70b35f5573841f9606acc632f7adfe4189',
};
const AT_VECTOR_TIME = new Date(VECTOR.timestampSeconds * 1000 + 30_000);

function verify(overrides: Partial<{ idempotencyKey: string; signature: string; timestamp: string }> = {}) {
  return verifyHmacSignature(
    {
      body: Buffer.from(VECTOR.body),
      idempotencyKey: overrides.idempotencyKey ?? VECTOR.idempotencyKey,
      signature: overrides.signature ?? VECTOR.signature,
      timestamp: overrides.timestamp ?? String(VECTOR.timestampSeconds),
    },
    VECTOR.key,
    AT_VECTOR_TIME,
  );
}

describe('verifyHmacSignature', () => {
  it('accepts the shared test vector', () => {
    expect(verify()).toEqual({ ok: true, timestampSeconds: VECTOR.timestampSeconds });
  });

  it('refuses the vector replayed under another Idempotency-Key or timestamp', () => {
    expect(verify({ idempotencyKey: 'gh:octo-org/berth-demo:4242:2:staging:deployed' })).toEqual({
      ok: false,
      reason: 'signature does not match the timestamp, Idempotency-Key and body',
    });
    expect(verify({ timestamp: String(VECTOR.timestampSeconds + 1) }).ok).toBe(false);
  });

  it('names the old body-only scheme when a signature uses it', () => {
    // printf '%s' '{"event":"deployed","environment":"staging"}' | openssl dgst -sha256 -hmac berth-signing-test-vector-key
    const bodyOnly = 'sha256=476e01100a07d4504e42c03290a805d6c1eebd1a415db18e4baac5d19832337f';
    const verdict = verify({ signature: bodyOnly });
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain('signature covers the body only');
  });
});
