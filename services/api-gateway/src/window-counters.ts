import type { Cache } from '@berth/service-kit';

interface Window {
  /** When the window ends (aligned with the shared counter's expiry once it has answered). */
  endsAt: number;
  windowMs: number;
  /** The shared count at the last exchange with the cache (every task's requests). */
  shared: number;
  /** Requests counted here and not yet added to the shared count. */
  pending: number;
  /** An exchange with the cache is in flight. */
  sending: boolean;
}

/**
 * Fixed-window request counters shared by every gateway task through the cache, without a cache
 * round trip on the request path: a request is counted here at once (shared count + what this task
 * has not sent yet), and the pending increments are added to the shared counter in one command
 * per key every `syncIntervalMs`. Other tasks' requests show up within one interval; when the
 * cache is unreachable the counts stay local, so each task still limits on its own.
 */
export class WindowCounters {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cache: Cache,
    private readonly prefix: string,
    private readonly syncIntervalMs = 100,
    /** Clients tracked at most; beyond it the oldest window is dropped. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one request for `key`; returns the count in the current window and the time it has left. */
  hit(key: string, windowMs: number, now = Date.now()): { count: number; ttlMs: number } {
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      if (window === undefined && this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next();
        if (!oldest.done) this.windows.delete(oldest.value);
      }
      window = { endsAt: now + windowMs, windowMs, shared: 0, pending: 0, sending: false };
      this.windows.set(key, window);
    }
    window.pending += 1;
    this.timer ??= setTimeout(() => void this.sync(), this.syncIntervalMs).unref();
    return { count: window.shared + window.pending, ttlMs: window.endsAt - now };
  }

  /** Adds the pending counts to the shared counters and learns the other tasks' counts. */
  async sync(now = Date.now()): Promise<void> {
    this.timer = undefined;
    const exchanges: Promise<void>[] = [];
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now && window.pending === 0) {
        this.windows.delete(key);
        continue;
      }
      if (window.pending === 0 || window.sending) continue;
      const sent = window.pending;
      window.pending = 0;
      window.sending = true;
      exchanges.push(
        this.cache.increment(`${this.prefix}${key}`, window.windowMs, sent).then(
          ({ count, ttlMs }) => {
            window.sending = false;
            window.shared = count;
            window.endsAt = now + ttlMs;
          },
          () => {
            // Unreachable cache: keep the count here, so this task still limits on its own.
            window.sending = false;
            window.shared += sent;
          },
        ),
      );
    }
    await Promise.all(exchanges);
    if (this.timer === undefined && [...this.windows.values()].some((window) => window.pending > 0)) {
      this.timer = setTimeout(() => void this.sync(), this.syncIntervalMs).unref();
    }
  }

  get size(): number {
    return this.windows.size;
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
