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
  {
    version: 3,
    name: 'learning: model registry, status history, jobs, leases, cursors, source reputation, experiments',
    // Partial unique indexes: at most one active, one canary and one shadow version per family.
    sql: `
      CREATE TABLE model_versions (
        family TEXT NOT NULL,
        version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('candidate', 'shadow', 'canary', 'active', 'retired')),
        parent_version TEXT,
        artefact_dir TEXT NOT NULL,
        training_data_sha256 TEXT NOT NULL,
        metrics TEXT NOT NULL,
        manifest TEXT NOT NULL,
        evaluation TEXT,
        created_at INTEGER NOT NULL,
        status_changed_at INTEGER NOT NULL,
        PRIMARY KEY (family, version)
      );
      CREATE UNIQUE INDEX model_versions_one_active ON model_versions (family) WHERE status = 'active';
      CREATE UNIQUE INDEX model_versions_one_canary ON model_versions (family) WHERE status = 'canary';
      CREATE UNIQUE INDEX model_versions_one_shadow ON model_versions (family) WHERE status = 'shadow';
      CREATE TABLE model_status_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        family TEXT NOT NULL,
        version TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL,
        at INTEGER NOT NULL,
        FOREIGN KEY (family, version) REFERENCES model_versions (family, version)
      );
      CREATE INDEX model_status_history_version ON model_status_history (family, version, seq);
      CREATE TRIGGER model_status_history_append_only_update BEFORE UPDATE ON model_status_history
        BEGIN SELECT RAISE(ABORT, 'model_status_history is append-only'); END;
      CREATE TRIGGER model_status_history_append_only_delete BEFORE DELETE ON model_status_history
        BEGIN SELECT RAISE(ABORT, 'model_status_history is append-only'); END;
      CREATE TABLE learning_jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        family TEXT NOT NULL,
        trigger TEXT NOT NULL,
        requested_by TEXT,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        progress REAL NOT NULL,
        message TEXT,
        attempts INTEGER NOT NULL,
        result TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX learning_jobs_open ON learning_jobs (kind, family, status, created_at);
      CREATE INDEX learning_jobs_created ON learning_jobs (created_at);
      CREATE TABLE learning_locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE learning_cursors (
        name TEXT PRIMARY KEY,
        position_created_at INTEGER,
        position_id TEXT,
        count INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE source_reputation (
        source TEXT PRIMARY KEY,
        reputation REAL NOT NULL CHECK (reputation >= 0 AND reputation <= 1),
        observations INTEGER NOT NULL,
        corrected INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE experiment_observations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        family TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('canary', 'shadow')),
        candidate_version TEXT NOT NULL,
        active_version TEXT NOT NULL,
        served TEXT NOT NULL CHECK (served IN ('candidate', 'active')),
        text_sha256 TEXT NOT NULL,
        candidate_severity TEXT NOT NULL,
        active_severity TEXT NOT NULL,
        candidate_latency_ms REAL NOT NULL,
        active_latency_ms REAL NOT NULL
      );
      CREATE INDEX experiment_observations_candidate ON experiment_observations (family, candidate_version, created_at);
      CREATE INDEX feedback_text ON feedback (text_sha256, created_at);`,
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
  {
    version: 3,
    name: 'learning: model registry, status history, jobs, leases, cursors, source reputation, experiments',
    // Partial unique indexes: at most one active, one canary and one shadow version per family.
    sql: `
      CREATE TABLE model_versions (
        family TEXT NOT NULL,
        version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('candidate', 'shadow', 'canary', 'active', 'retired')),
        parent_version TEXT,
        artefact_dir TEXT NOT NULL,
        training_data_sha256 TEXT NOT NULL,
        metrics JSONB NOT NULL,
        manifest JSONB NOT NULL,
        evaluation JSONB,
        created_at TIMESTAMPTZ NOT NULL,
        status_changed_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (family, version)
      );
      CREATE UNIQUE INDEX model_versions_one_active ON model_versions (family) WHERE status = 'active';
      CREATE UNIQUE INDEX model_versions_one_canary ON model_versions (family) WHERE status = 'canary';
      CREATE UNIQUE INDEX model_versions_one_shadow ON model_versions (family) WHERE status = 'shadow';
      CREATE TABLE model_status_history (
        seq BIGSERIAL PRIMARY KEY,
        family TEXT NOT NULL,
        version TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TIMESTAMPTZ NOT NULL,
        FOREIGN KEY (family, version) REFERENCES model_versions (family, version)
      );
      CREATE INDEX model_status_history_version ON model_status_history (family, version, seq);
      CREATE FUNCTION model_status_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'model_status_history is append-only'; END $$;
      CREATE TRIGGER model_status_history_append_only BEFORE UPDATE OR DELETE ON model_status_history
        FOR EACH ROW EXECUTE FUNCTION model_status_history_append_only();
      CREATE TABLE learning_jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        family TEXT NOT NULL,
        trigger TEXT NOT NULL,
        requested_by TEXT,
        payload JSONB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        progress DOUBLE PRECISION NOT NULL,
        message TEXT,
        attempts INTEGER NOT NULL,
        result JSONB,
        error TEXT,
        created_at TIMESTAMPTZ NOT NULL,
        started_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ,
        updated_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX learning_jobs_open ON learning_jobs (kind, family, status, created_at);
      CREATE INDEX learning_jobs_created ON learning_jobs (created_at);
      CREATE TABLE learning_locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
      CREATE TABLE learning_cursors (
        name TEXT PRIMARY KEY,
        position_created_at TIMESTAMPTZ,
        position_id TEXT,
        count BIGINT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE source_reputation (
        source TEXT PRIMARY KEY,
        reputation DOUBLE PRECISION NOT NULL CHECK (reputation >= 0 AND reputation <= 1),
        observations INTEGER NOT NULL,
        corrected INTEGER NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE experiment_observations (
        seq BIGSERIAL PRIMARY KEY,
        created_at TIMESTAMPTZ NOT NULL,
        family TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('canary', 'shadow')),
        candidate_version TEXT NOT NULL,
        active_version TEXT NOT NULL,
        served TEXT NOT NULL CHECK (served IN ('candidate', 'active')),
        text_sha256 TEXT NOT NULL,
        candidate_severity TEXT NOT NULL,
        active_severity TEXT NOT NULL,
        candidate_latency_ms DOUBLE PRECISION NOT NULL,
        active_latency_ms DOUBLE PRECISION NOT NULL
      );
      CREATE INDEX experiment_observations_candidate ON experiment_observations (family, candidate_version, created_at);
      CREATE INDEX feedback_text ON feedback (text_sha256, created_at);`,
  },
];

/** Throws when a list is not numbered 1..n in order (a programming error caught by tests). */
export function assertMigrationsOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
