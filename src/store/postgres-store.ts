import pg from 'pg';
import { AppError } from '../core/index.js';
import type { Store } from './contract.js';
import { assertMigrationsOrdered, type Migration, POSTGRES_MIGRATIONS } from './migrations.js';
import { PostgresApiKeys } from './postgres-api-keys.js';
import { PostgresExperiments } from './postgres-experiments.js';
import { PostgresFeedback } from './postgres-feedback.js';
import { PostgresLearningJobs } from './postgres-learning-jobs.js';
import { PostgresLearningState } from './postgres-learning-state.js';
import { PostgresModelRegistry } from './postgres-model-registry.js';
import { PostgresPredictions } from './postgres-predictions.js';
import { PostgresReview } from './postgres-review.js';

/** Options for {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/db` */
  url: string;
  /** Schema to use (created if missing); lets tests run isolated in one database. Default `public`. */
  schema?: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** Override the migration list (tests). */
  migrations?: readonly Migration[];
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
// Any fixed number works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 0x63796273;

/** Connects a pool to PostgreSQL, migrates the schema under an advisory lock, and returns the store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new AppError('CS_ERR_CONFIG_INVALID', `Invalid PostgreSQL schema name: ${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    // Every connection works in the chosen schema.
    options: `-c search_path=${schema}`,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await migratePostgres(client, options.migrations ?? POSTGRES_MIGRATIONS);
    } finally {
      client.release();
    }
  } catch (cause) {
    await pool.end().catch(() => {});
    if (cause instanceof AppError) throw cause;
    throw new AppError(
      'CS_ERR_STORE_UNAVAILABLE',
      `Cannot connect to PostgreSQL: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return new PostgresStore(pool, schema);
}

async function migratePostgres(client: pg.PoolClient, migrations: readonly Migration[]): Promise<void> {
  assertMigrationsOrdered(migrations);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())',
          [m.version, m.name],
        );
        await client.query('COMMIT');
      } catch (cause) {
        await client.query('ROLLBACK').catch(() => {});
        throw new AppError('CS_ERR_STORE_MIGRATION', `PostgreSQL migration ${m.version} (${m.name}) failed`, {
          cause,
        });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

/** The PostgreSQL implementation of {@link Store}. */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  /** The connection pool, for the repositories built on this store. */
  readonly pool: pg.Pool;
  /** The schema every connection uses. */
  readonly schema: string;
  readonly predictions: PostgresPredictions;
  readonly feedback: PostgresFeedback;
  readonly apiKeys: PostgresApiKeys;
  readonly models: PostgresModelRegistry;
  readonly jobs: PostgresLearningJobs;
  readonly learning: PostgresLearningState;
  readonly experiments: PostgresExperiments;
  readonly review: PostgresReview;
  #closed = false;

  /** Wraps a connected pool whose schema is migrated. */
  constructor(pool: pg.Pool, schema: string) {
    this.pool = pool;
    this.schema = schema;
    this.predictions = new PostgresPredictions(pool);
    this.feedback = new PostgresFeedback(pool);
    this.apiKeys = new PostgresApiKeys(pool);
    this.models = new PostgresModelRegistry(pool);
    this.jobs = new PostgresLearningJobs(pool);
    this.learning = new PostgresLearningState(pool);
    this.experiments = new PostgresExperiments(pool);
    this.review = new PostgresReview(pool);
  }

  async ping(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (cause) {
      throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'PostgreSQL store is not answering', { cause });
    }
  }

  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM schema_migrations',
    );
    return rows[0]?.v ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.predictions.idle();
    await this.pool.end();
  }
}
