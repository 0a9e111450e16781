import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use; CI starts it (see `.ci/run`). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A connected client and a random key prefix, so tests sharing one Redis never
 * see each other's keys; `dispose` deletes the prefix's keys and disconnects.
 */
export async function redisTestClient(): Promise<{
  redis: Redis;
  prefix: string;
  dispose: () => Promise<void>;
}> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  const prefix = `cs-test-${randomBytes(6).toString('hex')}:`;
  return {
    redis,
    prefix,
    dispose: async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
