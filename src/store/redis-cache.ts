import type { Redis } from 'ioredis';
import type { KeyValueCache } from './key-value-cache.js';

/** A {@link KeyValueCache} in Redis, shared by every API process; keys are namespaced by `prefix`. */
export class RedisCache implements KeyValueCache {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #prefix: string;

  /** @param redis a connected client, owned (and closed) by the caller. */
  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.#redis.set(this.#prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }
}
