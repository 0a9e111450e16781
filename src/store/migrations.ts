/**
 * Versioned schema migrations, one list per dialect, applied in order inside a
 * transaction each and recorded in `schema_migrations`. Append only: a shipped
 * migration is never edited, a change is a new version.
 */
export interface Migration {
  /** Strictly increasing from 1. */
  version: number;
  /** Short description, recorded with the version. */
  name: string;
  /** SQL for the dialect, possibly several statements. */
  sql: string;
}

/** Migrations for SQLite. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meta',
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  },
  {
    version: 2,
    name: 'predictions, feedback, api keys',
    // Times are integer milliseconds since the epoch; JSON columns are TEXT.
    sql: `
      CREATE TABLE predictions (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        item_id TEXT,
        api_key_id TEXT,
        model_family TEXT NOT NULL,
        model_version TEXT NOT NULL,
        severity TEXT NOT NULL,
        probabilities TEXT NOT NULL,
        confidence REAL NOT NULL,
        anomaly_score REAL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        source TEXT,
        published TEXT,
        latency_ms REAL NOT NULL,
        cached INTEGER NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX predictions_created_at ON predictions (created_at);
      CREATE INDEX predictions_text ON predictions (text_sha256, created_at);
      CREATE INDEX predictions_model_class ON predictions (model_family, model_version, severity);
      CREATE INDEX predictions_model_time ON predictions (model_family, model_version, created_at);
      CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        prediction_id TEXT REFERENCES predictions (id) ON DELETE SET NULL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        correct_label TEXT NOT NULL,
        techniques TEXT,
        comment TEXT,
        analyst TEXT,
        api_key_id TEXT,
        model_family TEXT,
        model_version TEXT,
        predicted_severity TEXT
      );
      CREATE INDEX feedback_created_at ON feedback (created_at, id);
      CREATE INDEX feedback_prediction ON feedback (prediction_id);
      CREATE INDEX feedback_model ON feedback (model_family, model_version);
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT,
        role TEXT NOT NULL CHECK (role IN ('predict', 'feedback', 'admin')),
        key_sha256 TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );`,
  },
];

/** Migrations for PostgreSQL. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meta',
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);`,
  },
  {
    version: 2,
    name: 'predictions, feedback, api keys',
    sql: `
      CREATE TABLE predictions (
        id TEXT PRIMARY KEY,
        created_at TIMESTAMPTZ NOT NULL,
        item_id TEXT,
        api_key_id TEXT,
        model_family TEXT NOT NULL,
        model_version TEXT NOT NULL,
        severity TEXT NOT NULL,
        probabilities JSONB NOT NULL,
        confidence DOUBLE PRECISION NOT NULL,
        anomaly_score DOUBLE PRECISION,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        source TEXT,
        published TEXT,
        latency_ms DOUBLE PRECISION NOT NULL,
        cached BOOLEAN NOT NULL,
        details JSONB NOT NULL
      );
      CREATE INDEX predictions_created_at ON predictions (created_at);
      CREATE INDEX predictions_text ON predictions (text_sha256, created_at);
      CREATE INDEX predictions_model_class ON predictions (model_family, model_version, severity);
      CREATE INDEX predictions_model_time ON predictions (model_family, model_version, created_at);
      CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        created_at TIMESTAMPTZ NOT NULL,
        prediction_id TEXT REFERENCES predictions (id) ON DELETE SET NULL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        correct_label TEXT NOT NULL,
        techniques JSONB,
        comment TEXT,
        analyst TEXT,
        api_key_id TEXT,
        model_family TEXT,
        model_version TEXT,
        predicted_severity TEXT
      );
      CREATE INDEX feedback_created_at ON feedback (created_at, id);
      CREATE INDEX feedback_prediction ON feedback (prediction_id);
      CREATE INDEX feedback_model ON feedback (model_family, model_version);
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT,
        role TEXT NOT NULL CHECK (role IN ('predict', 'feedback', 'admin')),
        key_sha256 TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
      );`,
  },
];

/** Throws when a list is not numbered 1..n in order (a programming error caught by tests). */
export function assertMigrationsOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
