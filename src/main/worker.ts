import type { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import { systemClock } from '../core/index.js';
import { createLearningCore, RedisModelEvents, startBullMqWorker } from '../learning/index.js';
import { openStore } from '../store/index.js';
import { connectRedis, redisLocation } from './connect-redis.js';
import { processOwner, trainerFor } from './learning.js';
import { createLogger } from './logger.js';

/** A running worker and how to stop it. */
export interface RunningWorker {
  /** What it works for, e.g. `bullmq 127.0.0.1:6379/7 queue cyberstreams-learning` (with the DB index, never the password). */
  address: string;
  stop(): Promise<void>;
}

/**
 * Starts a retraining worker (`cyberstreams worker`): takes jobs from the
 * BullMQ queue on REDIS_URL one at a time, trains each candidate in a child
 * process (RETRAIN_IN_CHILD_PROCESS) so BullMQ's lock renewal keeps running,
 * writes status and progress to the store, and publishes promotions so every
 * API replica swaps at once. Also consumes feedback for source reputations.
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  if (config.REDIS_URL === undefined) throw new Error('startWorker needs REDIS_URL');
  const logger = createLogger(config);
  const store = await openStore(config);
  let redis: Redis;
  try {
    redis = await connectRedis(config.REDIS_URL, { logger });
  } catch (err) {
    await store.close();
    throw err;
  }
  try {
    const events = new RedisModelEvents(redis, config.REDIS_PREFIX);
    const core = createLearningCore({
      store,
      config,
      clock: systemClock,
      trainer: trainerFor(config),
      owner: processOwner('worker'),
      logger,
      onRegistryChange: (family) =>
        events
          .publish(family)
          .catch((err) => logger.warn({ err }, 'announcing a model change on Redis failed')),
    });
    const worker = await startBullMqWorker({
      settings: {
        url: config.REDIS_URL,
        prefix: config.REDIS_PREFIX,
        attempts: core.settings.attempts,
        backoffMs: core.settings.backoffMs,
      },
      jobs: store.jobs,
      runner: core.runner,
      onError: (err) => logger.error({ err }, 'worker error'),
      onFinished: (job) =>
        logger.info({ job: job.id, status: job.status, message: job.message }, 'retraining job finished'),
    });
    const reputation = setInterval(() => {
      core.reputation.catchUp().catch((err) => logger.warn({ err }, 'source reputation learning failed'));
    }, 30_000).unref();
    logger.info({ queue: 'cyberstreams-learning', store: store.kind }, 'cyberstreams worker started');
    let stopping: Promise<void> | undefined;
    return {
      address: `bullmq ${redisLocation(config.REDIS_URL)} queue cyberstreams-learning`,
      stop: () =>
        (stopping ??= (async () => {
          clearInterval(reputation);
          await worker.close();
          redis.disconnect();
          await store.close();
        })()),
    };
  } catch (err) {
    redis.disconnect();
    await store.close();
    throw err;
  }
}
