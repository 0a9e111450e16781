import type Database from 'better-sqlite3';
import { AppError } from '../core/index.js';
import {
  checkTransition,
  type ModelRegistryRepository,
  type ModelStatus,
  type ModelStatusChange,
  type ModelTransition,
  type ModelTransitionResult,
  type NewModelVersion,
  SINGLETON_STATUSES,
  type StoredModelVersion,
} from './model-registry.js';
import { sqliteCall } from './sqlite-errors.js';

interface VersionRow {
  family: string;
  version: string;
  status: string;
  parent_version: string | null;
  artefact_dir: string;
  training_data_sha256: string;
  metrics: string;
  manifest: string;
  evaluation: string | null;
  created_at: number;
  status_changed_at: number;
}

interface HistoryRow {
  seq: number;
  family: string;
  version: string;
  from_status: string | null;
  to_status: string;
  actor: string;
  reason: string;
  at: number;
}

function fromRow(row: VersionRow): StoredModelVersion {
  return {
    family: row.family,
    version: row.version,
    status: row.status as ModelStatus,
    parentVersion: row.parent_version,
    artefactDir: row.artefact_dir,
    trainingDataSha256: row.training_data_sha256,
    metrics: JSON.parse(row.metrics) as Record<string, number>,
    manifest: JSON.parse(row.manifest) as unknown,
    evaluation: row.evaluation === null ? null : (JSON.parse(row.evaluation) as unknown),
    createdAt: row.created_at,
    statusChangedAt: row.status_changed_at,
  };
}

function historyFromRow(row: HistoryRow): ModelStatusChange {
  return {
    seq: row.seq,
    family: row.family,
    version: row.version,
    fromStatus: row.from_status as ModelStatus | null,
    toStatus: row.to_status as ModelStatus,
    actor: row.actor,
    reason: row.reason,
    at: row.at,
  };
}

/** The model registry in the embedded SQLite store. */
export class SqliteModelRegistry implements ModelRegistryRepository {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #insertHistory(
    family: string,
    version: string,
    from: ModelStatus | null,
    to: ModelStatus,
    actor: string,
    reason: string,
    at: number,
  ): void {
    this.#db
      .prepare(
        `INSERT INTO model_status_history (family, version, from_status, to_status, actor, reason, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(family, version, from, to, actor, reason, at);
  }

  #get(family: string, version: string): StoredModelVersion | undefined {
    const row = this.#db
      .prepare('SELECT * FROM model_versions WHERE family = ? AND version = ?')
      .get(family, version) as VersionRow | undefined;
    return row && fromRow(row);
  }

  async register(r: NewModelVersion): Promise<StoredModelVersion> {
    return sqliteCall('Registering a model version', () =>
      this.#db
        .transaction(() => {
          this.#db
            .prepare(
              `INSERT INTO model_versions (family, version, status, parent_version, artefact_dir,
                 training_data_sha256, metrics, manifest, evaluation, created_at, status_changed_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              r.family,
              r.version,
              r.status,
              r.parentVersion,
              r.artefactDir,
              r.trainingDataSha256,
              JSON.stringify(r.metrics),
              JSON.stringify(r.manifest ?? null),
              r.evaluation === null || r.evaluation === undefined ? null : JSON.stringify(r.evaluation),
              r.createdAt,
              r.createdAt,
            );
          this.#insertHistory(r.family, r.version, null, r.status, r.actor, r.reason, r.createdAt);
          return this.#get(r.family, r.version)!;
        })
        .immediate(),
    );
  }

  async get(family: string, version: string): Promise<StoredModelVersion | undefined> {
    return sqliteCall('Reading a model version', () => this.#get(family, version));
  }

  async list(family?: string): Promise<StoredModelVersion[]> {
    const rows = sqliteCall('Listing model versions', () =>
      family === undefined
        ? this.#db.prepare('SELECT * FROM model_versions ORDER BY created_at, family, version').all()
        : this.#db
            .prepare('SELECT * FROM model_versions WHERE family = ? ORDER BY created_at, version')
            .all(family),
    ) as VersionRow[];
    return rows.map(fromRow);
  }

  async withStatus(family: string, status: ModelStatus): Promise<StoredModelVersion[]> {
    const rows = sqliteCall('Listing model versions', () =>
      this.#db
        .prepare(
          `SELECT * FROM model_versions WHERE family = ? AND status = ?
           ORDER BY status_changed_at DESC, created_at DESC, version DESC`,
        )
        .all(family, status),
    ) as VersionRow[];
    return rows.map(fromRow);
  }

  async transition(t: ModelTransition): Promise<ModelTransitionResult> {
    return sqliteCall('Changing a model status', () =>
      this.#db
        .transaction((): ModelTransitionResult => {
          const current = this.#get(t.family, t.version);
          if (current === undefined) {
            throw new AppError('CS_ERR_NOT_FOUND', `No model version ${t.family}/${t.version}`);
          }
          checkTransition(current, t);
          let demoted: StoredModelVersion | null = null;
          if (SINGLETON_STATUSES.includes(t.to)) {
            const holder = this.#db
              .prepare('SELECT * FROM model_versions WHERE family = ? AND status = ?')
              .get(t.family, t.to) as VersionRow | undefined;
            if (holder !== undefined) {
              const demoteTo = t.demoteTo ?? 'retired';
              this.#db
                .prepare(
                  'UPDATE model_versions SET status = ?, status_changed_at = ? WHERE family = ? AND version = ?',
                )
                .run(demoteTo, t.at, holder.family, holder.version);
              this.#insertHistory(
                holder.family,
                holder.version,
                holder.status as ModelStatus,
                demoteTo,
                t.actor,
                `replaced by ${t.version}: ${t.reason}`,
                t.at,
              );
              demoted = this.#get(holder.family, holder.version)!;
            }
          }
          this.#db
            .prepare(
              'UPDATE model_versions SET status = ?, status_changed_at = ? WHERE family = ? AND version = ?',
            )
            .run(t.to, t.at, t.family, t.version);
          this.#insertHistory(t.family, t.version, current.status, t.to, t.actor, t.reason, t.at);
          return { changed: this.#get(t.family, t.version)!, demoted };
        })
        .immediate(),
    );
  }

  async setEvaluation(family: string, version: string, evaluation: unknown): Promise<void> {
    const result = sqliteCall('Storing a model evaluation', () =>
      this.#db
        .prepare('UPDATE model_versions SET evaluation = ? WHERE family = ? AND version = ?')
        .run(JSON.stringify(evaluation ?? null), family, version),
    );
    if (result.changes === 0) throw new AppError('CS_ERR_NOT_FOUND', `No model version ${family}/${version}`);
  }

  async history(family: string, version?: string): Promise<ModelStatusChange[]> {
    const rows = sqliteCall('Reading model history', () =>
      version === undefined
        ? this.#db.prepare('SELECT * FROM model_status_history WHERE family = ? ORDER BY seq').all(family)
        : this.#db
            .prepare('SELECT * FROM model_status_history WHERE family = ? AND version = ? ORDER BY seq')
            .all(family, version),
    ) as HistoryRow[];
    return rows.map(historyFromRow);
  }
}
