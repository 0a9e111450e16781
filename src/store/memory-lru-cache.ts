import type { Clock } from '../core/index.js';
import type { KeyValueCache } from './key-value-cache.js';

/**
 * In-process LRU cache bounded by entry count. A Map keeps insertion order, so
 * re-inserting on every hit makes its first key the least recently used one.
 */
export class MemoryLruCache implements KeyValueCache {
  readonly kind = 'in-process' as const;
  readonly #max: number;
  readonly #clock: Clock;
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();

  /** @param maxEntries most entries kept (> 0); the least recently used one goes first. */
  constructor(maxEntries: number, clock: Clock) {
    if (!Number.isInteger(maxEntries) || maxEntries <= 0) throw new RangeError('maxEntries must be > 0');
    this.#max = maxEntries;
    this.#clock = clock;
  }

  /** Number of entries held (expired ones included until touched or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#clock.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#clock.now() + ttlSeconds * 1000 });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
