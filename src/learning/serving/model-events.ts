import type { Redis } from 'ioredis';

/** Announces registry changes to every replica, so they swap at once instead of at their next poll. */
export interface ModelEvents {
  /** Tells every subscriber that `family`'s statuses changed. */
  publish(family: string): Promise<void>;
  /** Calls `handler` on each announcement; resolves once subscribed. Returns an unsubscribe function. */
  subscribe(handler: (family: string) => void): Promise<() => Promise<void>>;
}

/**
 * {@link ModelEvents} over Redis pub/sub on the channel `<prefix>models:changed`.
 * Subscribing takes a dedicated connection (a subscribed Redis connection can do nothing else).
 */
export class RedisModelEvents implements ModelEvents {
  readonly #redis: Redis;
  readonly #channel: string;

  /** @param prefix the deployment's Redis key prefix (REDIS_PREFIX). */
  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#channel = `${prefix}models:changed`;
  }

  async publish(family: string): Promise<void> {
    await this.#redis.publish(this.#channel, family);
  }

  async subscribe(handler: (family: string) => void): Promise<() => Promise<void>> {
    const sub = this.#redis.duplicate({
      lazyConnect: true,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    sub.on('error', () => {
      // Reconnects on its own; polling covers the gap.
    });
    await sub.connect();
    sub.on('message', (channel, message) => {
      if (channel === this.#channel) handler(message);
    });
    await sub.subscribe(this.#channel);
    return async () => {
      await sub.unsubscribe(this.#channel).catch(() => {});
      sub.disconnect();
    };
  }
}
