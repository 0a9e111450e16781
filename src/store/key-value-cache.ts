/**
 * A string cache with per-entry lifetimes: the in-process LRU by default,
 * Redis when several API processes should share it. Callers treat a failing
 * cache as a miss, so it never fails a request.
 */
export interface KeyValueCache {
  /** `in-process` or `redis`. */
  readonly kind: 'in-process' | 'redis';
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlSeconds` seconds (> 0). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}
