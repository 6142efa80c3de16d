import { afterEach, beforeEach, vi } from 'vitest';

/** The clocks a rollout reads: timers and Date. Microtasks, setImmediate and I/O stay real. */
export const FAKE_CLOCKS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;

/**
 * Awaits `work` while advancing fake timers from one due timer to the next, so minutes of polling take
 * milliseconds. Real I/O (files the action writes) gets a turn of the event loop between timers.
 * Call after `vi.useFakeTimers({ toFake: [...FAKE_CLOCKS] })`.
 */
export async function settleOnFakeTimers<T>(work: Promise<T>): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!settled && vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
  }
  return work;
}

/** Runs every test of the calling file on fake timers and Date: the fakes' timelines and the action's polls. */
export function onVirtualTime(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: [...FAKE_CLOCKS], shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
