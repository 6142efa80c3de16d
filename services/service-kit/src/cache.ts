/**
 * A small key/value store: Redis in production, an in-process map when no REDIS_URL is given.
 * Methods reject when the store cannot be reached; callers decide how to bypass it.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Stores `value` unless the key exists; resolves with whatever the key holds afterwards. */
  setIfAbsent(key: string, value: string): Promise<string>;
  delete(key: string): Promise<void>;
  /**
   * Adds `by` (default 1) to a counter that lives for `windowMs` from its first increment (a fixed
   * window); resolves with the new count and the time left in the window.
   */
  increment(key: string, windowMs: number, by?: number): Promise<{ count: number; ttlMs: number }>;
  ping(): Promise<void>;
  /**
   * Calls `listener` whenever the connection to the store is lost. Writes made while it is down
   * cannot announce themselves, so holders of derived data drop it here.
   */
  onConnectionLost(listener: () => void): void;
  close(): Promise<void>;
}
