import type pg from 'pg';
import { AppError } from '../core/index.js';
import type {
  JobStatus,
  LearningJobPatch,
  LearningJobRepository,
  NewLearningJob,
  StoredLearningJob,
} from './learning-jobs.js';
import { pgCall } from './postgres-errors.js';
import { pgTransaction } from './postgres-transaction.js';

interface JobRow {
  id: string;
  kind: string;
  family: string;
  trigger: string;
  requested_by: string | null;
  payload: unknown;
  status: string;
  progress: number;
  message: string | null;
  attempts: number;
  result: unknown;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

function fromRow(row: JobRow): StoredLearningJob {
  return {
    id: row.id,
    kind: row.kind,
    family: row.family,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    payload: row.payload,
    status: row.status as JobStatus,
    progress: row.progress,
    message: row.message,
    attempts: row.attempts,
    result: row.result,
    error: row.error,
    createdAt: row.created_at.getTime(),
    startedAt: row.started_at?.getTime() ?? null,
    finishedAt: row.finished_at?.getTime() ?? null,
    updatedAt: row.updated_at.getTime(),
  };
}

const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as number));

const PATCH_COLUMNS: Record<keyof LearningJobPatch, [string, (v: unknown) => unknown]> = {
  status: ['status', (v) => v],
  progress: ['progress', (v) => v],
  message: ['message', (v) => v],
  attempts: ['attempts', (v) => v],
  result: ['result', (v) => (v === null || v === undefined ? null : JSON.stringify(v))],
  error: ['error', (v) => v],
  startedAt: ['started_at', toDate],
  finishedAt: ['finished_at', toDate],
};

/** Job records in PostgreSQL. */
export class PostgresLearningJobs implements LearningJobRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async createUnlessQueued(job: NewLearningJob): Promise<{ job: StoredLearningJob; created: boolean }> {
    return pgTransaction(
      this.#pool,
      'Recording a job',
      async (client) => {
        const queued = await client.query<JobRow>(
          `SELECT * FROM learning_jobs WHERE kind = $1 AND family = $2 AND status = 'queued'
           ORDER BY created_at LIMIT 1`,
          [job.kind, job.family],
        );
        if (queued.rows[0] !== undefined) return { job: fromRow(queued.rows[0]), created: false };
        const { rows } = await client.query<JobRow>(
          `INSERT INTO learning_jobs (id, kind, family, trigger, requested_by, payload, status, progress,
             message, attempts, result, error, created_at, started_at, finished_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, NULL, 0, NULL, NULL, $7, NULL, NULL, $7)
           RETURNING *`,
          [
            job.id,
            job.kind,
            job.family,
            job.trigger,
            job.requestedBy,
            JSON.stringify(job.payload ?? null),
            new Date(job.createdAt),
          ],
        );
        return { job: fromRow(rows[0]!), created: true };
      },
      `learning-jobs:${job.kind}:${job.family}`,
    );
  }

  async get(id: string): Promise<StoredLearningJob | undefined> {
    const { rows } = await pgCall('Reading a job', () =>
      this.#pool.query<JobRow>('SELECT * FROM learning_jobs WHERE id = $1', [id]),
    );
    return rows[0] && fromRow(rows[0]);
  }

  async list(options: { family?: string; limit: number }): Promise<StoredLearningJob[]> {
    const { rows } = await pgCall('Listing jobs', () =>
      options.family === undefined
        ? this.#pool.query<JobRow>('SELECT * FROM learning_jobs ORDER BY created_at DESC, id DESC LIMIT $1', [
            options.limit,
          ])
        : this.#pool.query<JobRow>(
            'SELECT * FROM learning_jobs WHERE family = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
            [options.family, options.limit],
          ),
    );
    return rows.map(fromRow);
  }

  async update(id: string, patch: LearningJobPatch, at: number): Promise<StoredLearningJob> {
    const params: unknown[] = [new Date(at)];
    const sets: string[] = ['updated_at = $1'];
    for (const [key, value] of Object.entries(patch) as [keyof LearningJobPatch, unknown][]) {
      if (value === undefined) continue;
      const [column, encode] = PATCH_COLUMNS[key];
      params.push(encode(value));
      sets.push(`${column} = $${params.length}`);
    }
    params.push(id);
    const { rows } = await pgCall('Updating a job', () =>
      this.#pool.query<JobRow>(
        `UPDATE learning_jobs SET ${sets.join(', ')} WHERE id = $${params.length} RETURNING *`,
        params,
      ),
    );
    if (rows[0] === undefined) throw new AppError('CS_ERR_NOT_FOUND', `No job ${id}`);
    return fromRow(rows[0]);
  }

  async withStatus(statuses: readonly JobStatus[]): Promise<StoredLearningJob[]> {
    if (statuses.length === 0) return [];
    const { rows } = await pgCall('Listing jobs', () =>
      this.#pool.query<JobRow>('SELECT * FROM learning_jobs WHERE status = ANY($1) ORDER BY created_at, id', [
        [...statuses],
      ]),
    );
    return rows.map(fromRow);
  }
}
