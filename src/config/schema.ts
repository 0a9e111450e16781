import Type, { type Static } from 'typebox';
import { LEARNING_ENV } from './learning-env.js';

/**
 * The environment the service reads, as one schema. Defaults are the embedded,
 * single-machine setup: SQLite in `DATA_DIR`, in-process cache, queue and rate limits.
 */
export const EnvSchema = Type.Object({
  /** Interface to listen on. */
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  /** TCP port to listen on. */
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
  /**
   * API worker processes sharing the port (node:cluster); 1 serves from this process. Each worker
   * loads the models and serves on its own, like a replica: metrics carry a `worker` label, rate
   * limits without REDIS_URL are counted per worker (RATE_LIMIT_MAX / API_WORKERS each), and a model
   * promoted through one worker reaches the others within MODEL_POLL_MS. Default 1.
   */
  API_WORKERS: Type.Integer({ default: 1, minimum: 1, maximum: 64 }),
  /** Where the embedded store, model versions and caches live. */
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  /** Unset: embedded SQLite file in DATA_DIR. `postgres://…`: PostgreSQL. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^(postgres|postgresql)://' })),
  /** Unset: in-process cache, rate limits and job queue. `redis://…`: Redis and BullMQ. */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** pino level. */
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  /** Directory of the shipped model versions (read-only). */
  MODELS_DIR: Type.String({ default: 'models', minLength: 1 }),
  /**
   * `true` switches API-key authentication off: every request is treated as an
   * admin. For local experiments only; the server logs a warning on every start
   * (docs/adr/0001-authentication-default.md). Default `false`.
   */
  AUTH_DISABLED: Type.Boolean({ default: false }),
  /**
   * How long a verified API key is remembered in process, in milliseconds, so a
   * request costs no store round trip; also the longest a revoked key keeps working
   * on a running server. 0 checks the store on every request. Default 5,000.
   */
  AUTH_CACHE_TTL_MS: Type.Integer({ default: 5_000, minimum: 0, maximum: 300_000 }),
  /** Requests one API key (or, with auth off, one client address) may make per window. Default 600. */
  RATE_LIMIT_MAX: Type.Integer({ default: 600, minimum: 1, maximum: 10_000_000 }),
  /** Length of the rate-limit window, in milliseconds. Default 60,000. */
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 100, maximum: 86_400_000 }),
  /** Stored predictions older than this many days are purged; 0 keeps them for ever. Default 90. Feedback is kept. */
  PREDICTION_RETENTION_DAYS: Type.Integer({ default: 90, minimum: 0, maximum: 36_500 }),
  /** Minutes between two retention purges (the first runs at start). Default 60. */
  RETENTION_INTERVAL_MINUTES: Type.Integer({ default: 60, minimum: 1, maximum: 10_080 }),
  /** Largest body of a single-item request, in bytes. Default 1 MiB (a 100,000-character text fits). */
  BODY_MAX_BYTES: Type.Integer({ default: 1_048_576, minimum: 1_024, maximum: 104_857_600 }),
  /** Most items in one `POST /api/v1/predict/batch`. Default 1,000. */
  BATCH_MAX_ITEMS: Type.Integer({ default: 1_000, minimum: 1, maximum: 10_000 }),
  /** Largest body of a batch request, in bytes. Default 5 MiB. */
  BATCH_MAX_BYTES: Type.Integer({ default: 5_242_880, minimum: 1_024, maximum: 104_857_600 }),
  /**
   * Time allowed to receive a whole request (slow clients get 408), and to score
   * a batch (items not started by then get 503 entries), in milliseconds. Default 30,000.
   */
  REQUEST_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 600_000 }),
  /**
   * Load shedding: while the event loop lags more than this many milliseconds (the requests
   * now starting have waited at least that long), `POST /api/v1/predict`, `/predict/batch` and
   * `/enrich` are answered at once with 503 CS_ERR_OVERLOADED and `Retry-After: 1` instead of
   * queueing until they time out; health, metrics and feedback are always served. 0 (default)
   * turns it off. A value near the latency budget (for example 50-100) keeps the answered
   * requests' latency bounded under overload.
   */
  SHED_EVENT_LOOP_LAG_MS: Type.Integer({ default: 0, minimum: 0, maximum: 60_000 }),
  /** Entries of the in-process prediction cache (LRU); 0 disables the cache. Ignored with REDIS_URL. Default 10,000. */
  PREDICTION_CACHE_MAX_ENTRIES: Type.Integer({ default: 10_000, minimum: 0, maximum: 10_000_000 }),
  /** Lifetime of a cached prediction, in seconds; 0 disables the cache (in process and in Redis). Default 3,600. */
  PREDICTION_CACHE_TTL_SECONDS: Type.Integer({ default: 3_600, minimum: 0, maximum: 2_592_000 }),
  /** Prefix of every Redis key this service writes (rate limits, cache), so deployments can share a Redis. */
  REDIS_PREFIX: Type.String({ default: 'cyberstreams:', minLength: 1, maxLength: 100 }),
  /** The self-learning loop's variables (see `learning-env.ts`). */
  ...LEARNING_ENV,
});

/** The validated, frozen configuration. */
export type Config = Readonly<Static<typeof EnvSchema>>;
