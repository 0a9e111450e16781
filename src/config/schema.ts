import Type, { type Static } from 'typebox';

/**
 * The environment the service reads, as one schema. Defaults are the embedded,
 * single-machine setup: SQLite in `DATA_DIR`, in-process cache, queue and rate limits.
 */
export const EnvSchema = Type.Object({
  /** Interface to listen on. */
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  /** TCP port to listen on. */
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
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
});

/** The validated, frozen configuration. */
export type Config = Readonly<Static<typeof EnvSchema>>;
