import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { systemClock } from '../core/index.js';
import { ensureCatalogueLoaded, forgetThreats, minePatterns, openGraph } from '../graph/index.js';
import { buildApp, ServiceMetrics } from '../http/index.js';
import {
  type KeyValueCache,
  MemoryLruCache,
  openStore,
  RedisCache,
  startRetentionPurge,
} from '../store/index.js';
import { connectRedis } from './connect-redis.js';
import { createThreatRecorder } from './graph-adapters.js';
import { createGraphEnricher } from './graph-enricher.js';
import { startServingLearning } from './learning.js';
import { loadServicePredictor } from './load-predictor.js';
import { createLogger } from './logger.js';
import { VERSION } from './version.js';

/** A running server and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  address: string;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** How a server runs inside a cluster of API workers (see `startService`). */
export interface ServerRole {
  /** Worker processes sharing the port, this one included. */
  workers: number;
  /** Adjusts the metrics before anything registers on them (worker label, export through the primary). */
  prepareMetrics?: (metrics: ServiceMetrics) => void;
  /**
   * This worker's id inside a cluster: its start is logged as `API worker listening`
   * with the id, and the primary alone logs `cyberstreams listening`, once. Absent: one process.
   */
  workerId?: string;
}

/**
 * Wires the concrete parts together from the configuration and starts
 * listening: the store (SQLite in DATA_DIR or PostgreSQL), Redis when
 * REDIS_URL is set (shared rate limits and cache), the shipped model with
 * extraction, the knowledge graph (shipped catalogue loaded on first start,
 * every prediction recorded as a threat, enrichment), the retention purge
 * (which also forgets purged predictions' threats), and the HTTP app.
 */
export async function startServer(config: Config, role: ServerRole = { workers: 1 }): Promise<RunningServer> {
  const logger = createLogger(config);
  // Closers in creation order; stopping runs them in reverse.
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
  };
  try {
    const store = await openStore(config);
    closers.push(() => store.close());
    let redis: Redis | undefined;
    if (config.REDIS_URL !== undefined) {
      // Connect before serving (a configured Redis that is down, or answers with an error, is a
      // startup error); later outages fail fast instead of queueing, and the cache and rate limits
      // let requests through.
      const client = await connectRedis(config.REDIS_URL, { logger });
      closers.push(() => client.disconnect());
      redis = client;
    }
    const parts = await loadServicePredictor(config, logger);
    const predictor = parts.predictor;
    closers.push(() => predictor.dispose());
    // The knowledge graph: its own SQLite file in DATA_DIR, or graph_* tables in DATABASE_URL.
    const graph = await openGraph({
      DATABASE_URL: config.DATABASE_URL,
      DATA_DIR: config.DATA_DIR,
      clock: systemClock,
    });
    closers.push(() => graph.close());
    // The catalogue the predictor read for its recommendations is handed over, so the file is read once.
    const catalogue = await ensureCatalogueLoaded(graph, {
      catalogue: parts.takeCatalogue(),
      afterLoad: (g) => minePatterns(g),
    });
    if (catalogue.loaded) logger.info({ ...catalogue }, 'knowledge-graph catalogue loaded');
    const threats = createThreatRecorder(graph);
    closers.push(() => threats.idle());
    const enricher = createGraphEnricher({
      graph,
      warninglists: parts.warninglists,
      techniques: parts.techniques,
      predictions: store.predictions,
    });
    let cache: KeyValueCache | undefined;
    if (config.PREDICTION_CACHE_TTL_SECONDS > 0) {
      if (redis !== undefined) cache = new RedisCache(redis, config.REDIS_PREFIX);
      else if (config.PREDICTION_CACHE_MAX_ENTRIES > 0) {
        cache = new MemoryLruCache(config.PREDICTION_CACHE_MAX_ENTRIES, systemClock);
      }
    }
    const metrics = new ServiceMetrics();
    role.prepareMetrics?.(metrics);
    // The self-learning loop serves the registry's active model (the shipped one on a fresh data dir).
    const learning = await startServingLearning({
      config,
      store,
      redis,
      logger,
      metrics,
      variant: parts.variant,
    });
    closers.push(() => learning.close());
    predictor.setSeverityModel(undefined);
    const app = await buildApp({
      store,
      logger,
      clock: systemClock,
      version: VERSION,
      predictor: learning.predictor,
      learning: learning.http,
      metrics,
      enricher,
      threats,
      ...(cache === undefined ? {} : { cache }),
      ...(redis === undefined ? {} : { redis }),
      redisPrefix: config.REDIS_PREFIX,
      settings: {
        authDisabled: config.AUTH_DISABLED,
        authCacheTtlMs: config.AUTH_CACHE_TTL_MS,
        // In process, each worker counts its own share of a key's requests (the primary deals
        // connections round-robin); Redis counts them all in one place.
        rateLimitMax:
          redis === undefined && role.workers > 1
            ? Math.max(1, Math.ceil(config.RATE_LIMIT_MAX / role.workers))
            : config.RATE_LIMIT_MAX,
        rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS,
        bodyMaxBytes: config.BODY_MAX_BYTES,
        batchMaxItems: config.BATCH_MAX_ITEMS,
        batchMaxBytes: config.BATCH_MAX_BYTES,
        requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
        cacheTtlSeconds: config.PREDICTION_CACHE_TTL_SECONDS,
        shedEventLoopLagMs: config.SHED_EVENT_LOOP_LAG_MS,
      },
    });
    closers.push(() => app.close());
    const retention = startRetentionPurge({
      predictions: store.predictions,
      clock: systemClock,
      retentionDays: config.PREDICTION_RETENTION_DAYS,
      intervalMs: config.RETENTION_INTERVAL_MINUTES * 60_000,
      onPurged: (n) => {
        metrics.predictionsPurged.inc(n);
        if (n > 0)
          logger.info({ deleted: n, retentionDays: config.PREDICTION_RETENTION_DAYS }, 'predictions purged');
      },
      onError: (err) => logger.error({ err }, 'retention purge failed'),
      onDeleted: async (ids) => {
        await forgetThreats(graph, ids);
      },
    });
    closers.push(() => retention.stop());
    await warnAboutAuth(config, store.apiKeys.countActive.bind(store.apiKeys), logger);
    const worker = role.workerId;
    const address = await app.listen({
      host: config.HOST,
      port: config.PORT,
      ...(worker === undefined
        ? {}
        : { listenTextResolver: (a: string) => `API worker ${worker} shares the port at ${a}` }),
    });
    learning.start();
    logger.info(
      {
        address,
        ...(worker === undefined ? {} : { worker }),
        store: store.kind,
        redis: redis !== undefined,
        model: learning.predictor.current() ?? null,
      },
      worker === undefined ? 'cyberstreams listening' : 'API worker listening',
    );
    let stopping: Promise<void> | undefined;
    return { app, address, stop: () => (stopping ??= closeAll()) };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Says loudly when authentication is off, and how to get a key when none exists. */
async function warnAboutAuth(
  config: Config,
  countActiveKeys: () => Promise<number>,
  logger: Logger,
): Promise<void> {
  if (config.AUTH_DISABLED) {
    logger.warn(
      { host: config.HOST },
      'AUTHENTICATION IS DISABLED (AUTH_DISABLED=true): every request is treated as an admin. For local use only.',
    );
    if (!LOOPBACK.has(config.HOST)) {
      logger.warn(
        { host: config.HOST },
        'AUTHENTICATION IS DISABLED ON A NON-LOOPBACK INTERFACE: anyone who can reach this port is an admin',
      );
    }
  } else if ((await countActiveKeys()) === 0) {
    logger.warn('no API keys exist yet: create one with `npx cyberstreams keys create --role admin`');
  }
}
