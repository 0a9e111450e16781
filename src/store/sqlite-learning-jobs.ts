import type Database from 'better-sqlite3';
import { AppError } from '../core/index.js';
import type {
  JobStatus,
  LearningJobPatch,
  LearningJobRepository,
  NewLearningJob,
  StoredLearningJob,
} from './learning-jobs.js';
import { sqliteCall } from './sqlite-errors.js';

interface JobRow {
  id: string;
  kind: string;
  family: string;
  trigger: string;
  requested_by: string | null;
  payload: string;
  status: string;
  progress: number;
  message: string | null;
  attempts: number;
  result: string | null;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

function fromRow(row: JobRow): StoredLearningJob {
  return {
    id: row.id,
    kind: row.kind,
    family: row.family,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status as JobStatus,
    progress: row.progress,
    message: row.message,
    attempts: row.attempts,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}

/** Column and JSON encoding of each patch field (shared shape with the PostgreSQL implementation). */
const PATCH_COLUMNS: Record<keyof LearningJobPatch, [string, (v: unknown) => unknown]> = {
  status: ['status', (v) => v],
  progress: ['progress', (v) => v],
  message: ['message', (v) => v],
  attempts: ['attempts', (v) => v],
  result: ['result', (v) => (v === null || v === undefined ? null : JSON.stringify(v))],
  error: ['error', (v) => v],
  startedAt: ['started_at', (v) => v],
  finishedAt: ['finished_at', (v) => v],
};

/** Job records in the embedded SQLite store. */
export class SqliteLearningJobs implements LearningJobRepository {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #get(id: string): StoredLearningJob | undefined {
    const row = this.#db.prepare('SELECT * FROM learning_jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row && fromRow(row);
  }

  async createUnlessQueued(job: NewLearningJob): Promise<{ job: StoredLearningJob; created: boolean }> {
    return sqliteCall('Recording a job', () =>
      this.#db
        .transaction(() => {
          const queued = this.#db
            .prepare(
              `SELECT * FROM learning_jobs WHERE kind = ? AND family = ? AND status = 'queued'
               ORDER BY created_at LIMIT 1`,
            )
            .get(job.kind, job.family) as JobRow | undefined;
          if (queued !== undefined) return { job: fromRow(queued), created: false };
          this.#db
            .prepare(
              `INSERT INTO learning_jobs (id, kind, family, trigger, requested_by, payload, status, progress,
                 message, attempts, result, error, created_at, started_at, finished_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, NULL, 0, NULL, NULL, ?, NULL, NULL, ?)`,
            )
            .run(
              job.id,
              job.kind,
              job.family,
              job.trigger,
              job.requestedBy,
              JSON.stringify(job.payload ?? null),
              job.createdAt,
              job.createdAt,
            );
          return { job: this.#get(job.id)!, created: true };
        })
        .immediate(),
    );
  }

  async get(id: string): Promise<StoredLearningJob | undefined> {
    return sqliteCall('Reading a job', () => this.#get(id));
  }

  async list(options: { family?: string; limit: number }): Promise<StoredLearningJob[]> {
    const rows = sqliteCall('Listing jobs', () =>
      options.family === undefined
        ? this.#db
            .prepare('SELECT * FROM learning_jobs ORDER BY created_at DESC, id DESC LIMIT ?')
            .all(options.limit)
        : this.#db
            .prepare('SELECT * FROM learning_jobs WHERE family = ? ORDER BY created_at DESC, id DESC LIMIT ?')
            .all(options.family, options.limit),
    ) as JobRow[];
    return rows.map(fromRow);
  }

  async update(id: string, patch: LearningJobPatch, at: number): Promise<StoredLearningJob> {
    const sets: string[] = ['updated_at = ?'];
    const params: unknown[] = [at];
    for (const [key, value] of Object.entries(patch) as [keyof LearningJobPatch, unknown][]) {
      if (value === undefined) continue;
      const [column, encode] = PATCH_COLUMNS[key];
      sets.push(`${column} = ?`);
      params.push(encode(value));
    }
    return sqliteCall('Updating a job', () => {
      const result = this.#db
        .prepare(`UPDATE learning_jobs SET ${sets.join(', ')} WHERE id = ?`)
        .run(...params, id);
      if (result.changes === 0) throw new AppError('CS_ERR_NOT_FOUND', `No job ${id}`);
      return this.#get(id)!;
    });
  }

  async withStatus(statuses: readonly JobStatus[]): Promise<StoredLearningJob[]> {
    if (statuses.length === 0) return [];
    const rows = sqliteCall('Listing jobs', () =>
      this.#db
        .prepare(
          `SELECT * FROM learning_jobs WHERE status IN (${statuses.map(() => '?').join(', ')})
           ORDER BY created_at, id`,
        )
        .all(...statuses),
    ) as JobRow[];
    return rows.map(fromRow);
  }
}
