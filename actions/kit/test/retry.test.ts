import { describe, expect, it } from 'vitest';
import { fullJitterDelay, parseRetryAfter, retryWithBackoff } from '../src/index';

describe('retryWithBackoff', () => {
  it('retries retryable failures with logged, capped full-jitter delays, then succeeds', async () => {
    const delays: number[] = [];
    const log: string[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async (attempt) => {
        calls++;
        if (attempt < 4) throw new Error(`boom ${attempt}`);
        return 'ok';
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 250,
        retryable: () => true,
        label: 'fetch thing',
        log: (line) => log.push(line),
        sleep: async (ms) => void delays.push(ms),
        random: () => 0.999,
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(delays).toEqual([99, 199, 249]);
    expect(log[0]).toBe('fetch thing: attempt 1 of 5 failed (boom 1); retrying in 99 ms');
  });

  it('throws at once on a non-retryable error and after the last attempt otherwise', async () => {
    let calls = 0;
    const options = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, label: 'x', sleep: async () => {} };
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new Error('fatal');
        },
        { ...options, retryable: () => false },
      ),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new Error('flaky');
        },
        { ...options, retryable: () => true },
      ),
    ).rejects.toThrow('flaky');
    expect(calls).toBe(3);
  });

  it('uses a server-requested delay instead of the computed one', async () => {
    const delays: number[] = [];
    let calls = 0;
    await retryWithBackoff(
      async () => {
        if (++calls === 1) throw Object.assign(new Error('429'), { retryAfterMs: 1500 });
      },
      {
        attempts: 2,
        baseDelayMs: 10,
        maxDelayMs: 10,
        label: 'x',
        retryable: () => true,
        requestedDelayMs: (e) => (e as { retryAfterMs?: number }).retryAfterMs,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(delays).toEqual([1500]);
  });
});

describe('fullJitterDelay / parseRetryAfter', () => {
  it('spreads delays uniformly under an exponential, capped ceiling', () => {
    expect(fullJitterDelay(1, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5)).toBe(50);
    expect(fullJitterDelay(3, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5)).toBe(200);
    expect(fullJitterDelay(10, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5)).toBe(500);
    expect(fullJitterDelay(2, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0)).toBe(0);
  });

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
