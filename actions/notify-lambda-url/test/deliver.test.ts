import { describe, expect, it } from 'vitest';
import { deliver, DeliveryFailure } from '../src/deliver';
import { reply, startRecordingServer } from './recording-server';

describe('deliver', () => {
  it('waits a full-jitter exponential delay between attempts after network errors', async () => {
    const delays: number[] = [];
    const closed = await startRecordingServer(() => undefined);
    const url = new URL(closed.url);
    await closed.close();

    const failure = await deliver({
      url,
      body: Buffer.from('{}'),
      headersForAttempt: async () => ({}),
      maxAttempts: 4,
      timeoutMs: 1000,
      baseDelayMs: 1000,
      maxDelayMs: 3000,
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DeliveryFailure);
    expect((failure as DeliveryFailure).attempts).toBe(4);
    expect((failure as DeliveryFailure).lastResponse).toBeUndefined();
    // Ceilings 1000, 2000, then capped at 3000; half of each with random() = 0.5.
    expect(delays).toEqual([500, 1000, 1500]);
  });

  it('caps a Retry-After the server asks for at 30 seconds', async () => {
    const delays: number[] = [];
    const receiver = await startRecordingServer((_, index, response) =>
      index === 0 ? reply(response, 429, 'slow down', { 'retry-after': '3600' }) : reply(response, 200, 'ok'),
    );
    try {
      const delivery = await deliver({
        url: new URL(receiver.url),
        body: Buffer.from('{}'),
        headersForAttempt: async () => ({}),
        maxAttempts: 3,
        timeoutMs: 1000,
        sleep: async (ms) => {
          delays.push(ms);
        },
      });
      expect(delivery).toEqual({ statusCode: 200, attempts: 2, response: 'ok' });
      expect(delays).toEqual([30_000]);
    } finally {
      await receiver.close();
    }
  });

  it('stops at a 403 and says which permission the runner needs', async () => {
    const receiver = await startRecordingServer((_, __, response) => reply(response, 403, { Message: 'Forbidden' }));
    try {
      const failure = await deliver({
        url: new URL(receiver.url),
        body: Buffer.from('{}'),
        headersForAttempt: async () => ({}),
        maxAttempts: 4,
        timeoutMs: 1000,
      }).then(
        () => undefined,
        (error: unknown) => error as DeliveryFailure,
      );
      expect(failure).toBeInstanceOf(DeliveryFailure);
      expect(receiver.requests).toHaveLength(1);
      expect(failure?.attempts).toBe(1);
      expect(failure?.message).toContain('lambda:InvokeFunctionUrl');
      expect(failure?.lastResponse?.statusCode).toBe(403);
    } finally {
      await receiver.close();
    }
  });
});
