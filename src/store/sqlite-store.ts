import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../core/index.js';
import type { Store } from './contract.js';
import { assertMigrationsOrdered, type Migration, SQLITE_MIGRATIONS } from './migrations.js';
import { SqliteApiKeys } from './sqlite-api-keys.js';
import { SqliteExperiments } from './sqlite-experiments.js';
import { SqliteFeedback } from './sqlite-feedback.js';
import { SqliteLearningJobs } from './sqlite-learning-jobs.js';
import { SqliteLearningState } from './sqlite-learning-state.js';
import { SqliteModelRegistry } from './sqlite-model-registry.js';
import { PREDICTION_INSERT_SQL, SqlitePredictions } from './sqlite-predictions.js';
import { SqliteReview } from './sqlite-review.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

/** Options for {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** File path, or `:memory:` for tests. The parent directory is created. */
  path: string;
  /** Override the migration list (tests). */
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) an embedded SQLite store in WAL mode with foreign keys on, and migrates it. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(options.path);
  } catch (cause) {
    throw new AppError('CS_ERR_STORE_UNAVAILABLE', `Cannot open SQLite database at ${options.path}`, {
      cause,
    });
  }
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateSqlite(db, options.migrations ?? SQLITE_MIGRATIONS);
  if (options.path === ':memory:') return new SqliteStore(db);
  // Predictions are committed on a writer thread with its own synchronous=FULL connection:
  // durable like everything else, while the fsync per group (which blocked the event loop
  // for ~14% of a busy API's time when done in-thread, bench/api) waits off the event loop.
  const writer = new SqliteWriterThread({ path: options.path, sql: PREDICTION_INSERT_SQL });
  return new SqliteStore(db, writer);
}

function migrateSqlite(db: Database.Database, migrations: readonly Migration[]): void {
  assertMigrationsOrdered(migrations);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
      }).immediate();
    } catch (cause) {
      throw new AppError('CS_ERR_STORE_MIGRATION', `SQLite migration ${m.version} (${m.name}) failed`, {
        cause,
      });
    }
  }
}

/** The embedded SQLite implementation of {@link Store}. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  /** The open connection, for the repositories built on this store. */
  readonly db: Database.Database;
  readonly predictions: SqlitePredictions;
  readonly feedback: SqliteFeedback;
  readonly apiKeys: SqliteApiKeys;
  readonly models: SqliteModelRegistry;
  readonly jobs: SqliteLearningJobs;
  readonly learning: SqliteLearningState;
  readonly experiments: SqliteExperiments;
  readonly review: SqliteReview;
  #closed = false;

  readonly #writer: SqliteWriterThread | undefined;

  /**
   * Wraps an open, migrated connection, and optionally the writer thread
   * prediction inserts are committed on (see {@link openSqliteStore}).
   */
  constructor(db: Database.Database, predictionWriter?: SqliteWriterThread) {
    this.db = db;
    this.#writer = predictionWriter;
    this.predictions = new SqlitePredictions(db, predictionWriter);
    this.feedback = new SqliteFeedback(db);
    this.apiKeys = new SqliteApiKeys(db);
    this.models = new SqliteModelRegistry(db);
    this.jobs = new SqliteLearningJobs(db);
    this.learning = new SqliteLearningState(db);
    this.experiments = new SqliteExperiments(db);
    this.review = new SqliteReview(db);
  }

  async ping(): Promise<void> {
    try {
      this.db.prepare('SELECT 1').get();
    } catch (cause) {
      throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'SQLite store is not answering', { cause });
    }
  }

  async schemaVersion(): Promise<number> {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
      v: number | null;
    };
    return row.v ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.predictions.idle();
    await this.#writer?.close();
    this.db.close();
  }
}
