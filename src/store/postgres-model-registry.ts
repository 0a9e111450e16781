import type pg from 'pg';
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
import { pgCall } from './postgres-errors.js';
import { pgTransaction } from './postgres-transaction.js';

interface VersionRow {
  family: string;
  version: string;
  status: string;
  parent_version: string | null;
  artefact_dir: string;
  training_data_sha256: string;
  metrics: Record<string, number>;
  manifest: unknown;
  evaluation: unknown;
  created_at: Date;
  status_changed_at: Date;
}

interface HistoryRow {
  seq: string;
  family: string;
  version: string;
  from_status: string | null;
  to_status: string;
  actor: string;
  reason: string;
  at: Date;
}

function fromRow(row: VersionRow): StoredModelVersion {
  return {
    family: row.family,
    version: row.version,
    status: row.status as ModelStatus,
    parentVersion: row.parent_version,
    artefactDir: row.artefact_dir,
    trainingDataSha256: row.training_data_sha256,
    metrics: row.metrics,
    manifest: row.manifest,
    evaluation: row.evaluation,
    createdAt: row.created_at.getTime(),
    statusChangedAt: row.status_changed_at.getTime(),
  };
}

function historyFromRow(row: HistoryRow): ModelStatusChange {
  return {
    seq: Number(row.seq),
    family: row.family,
    version: row.version,
    fromStatus: row.from_status as ModelStatus | null,
    toStatus: row.to_status as ModelStatus,
    actor: row.actor,
    reason: row.reason,
    at: row.at.getTime(),
  };
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

async function getVersion(db: Queryable, family: string, version: string, lock = false) {
  const { rows } = await db.query<VersionRow>(
    `SELECT * FROM model_versions WHERE family = $1 AND version = $2${lock ? ' FOR UPDATE' : ''}`,
    [family, version],
  );
  return rows[0] && fromRow(rows[0]);
}

async function insertHistory(
  db: Queryable,
  family: string,
  version: string,
  from: ModelStatus | null,
  to: ModelStatus,
  actor: string,
  reason: string,
  at: number,
): Promise<void> {
  await db.query(
    `INSERT INTO model_status_history (family, version, from_status, to_status, actor, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [family, version, from, to, actor, reason, new Date(at)],
  );
}

/** The model registry in PostgreSQL; status changes are serialised per family by an advisory lock. */
export class PostgresModelRegistry implements ModelRegistryRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async register(r: NewModelVersion): Promise<StoredModelVersion> {
    return pgTransaction(
      this.#pool,
      'Registering a model version',
      async (client) => {
        await client.query(
          `INSERT INTO model_versions (family, version, status, parent_version, artefact_dir,
             training_data_sha256, metrics, manifest, evaluation, created_at, status_changed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
          [
            r.family,
            r.version,
            r.status,
            r.parentVersion,
            r.artefactDir,
            r.trainingDataSha256,
            JSON.stringify(r.metrics),
            JSON.stringify(r.manifest ?? null),
            r.evaluation === null || r.evaluation === undefined ? null : JSON.stringify(r.evaluation),
            new Date(r.createdAt),
          ],
        );
        await insertHistory(client, r.family, r.version, null, r.status, r.actor, r.reason, r.createdAt);
        return (await getVersion(client, r.family, r.version))!;
      },
      `model-family:${r.family}`,
    );
  }

  async get(family: string, version: string): Promise<StoredModelVersion | undefined> {
    return pgCall('Reading a model version', () => getVersion(this.#pool, family, version));
  }

  async list(family?: string): Promise<StoredModelVersion[]> {
    const { rows } = await pgCall('Listing model versions', () =>
      family === undefined
        ? this.#pool.query<VersionRow>('SELECT * FROM model_versions ORDER BY created_at, family, version')
        : this.#pool.query<VersionRow>(
            'SELECT * FROM model_versions WHERE family = $1 ORDER BY created_at, version',
            [family],
          ),
    );
    return rows.map(fromRow);
  }

  async withStatus(family: string, status: ModelStatus): Promise<StoredModelVersion[]> {
    const { rows } = await pgCall('Listing model versions', () =>
      this.#pool.query<VersionRow>(
        `SELECT * FROM model_versions WHERE family = $1 AND status = $2
         ORDER BY status_changed_at DESC, created_at DESC, version DESC`,
        [family, status],
      ),
    );
    return rows.map(fromRow);
  }

  async transition(t: ModelTransition): Promise<ModelTransitionResult> {
    return pgTransaction(
      this.#pool,
      'Changing a model status',
      async (client) => {
        const current = await getVersion(client, t.family, t.version, true);
        if (current === undefined) {
          throw new AppError('CS_ERR_NOT_FOUND', `No model version ${t.family}/${t.version}`);
        }
        checkTransition(current, t);
        let demoted: StoredModelVersion | null = null;
        if (SINGLETON_STATUSES.includes(t.to)) {
          const { rows } = await client.query<VersionRow>(
            'SELECT * FROM model_versions WHERE family = $1 AND status = $2 FOR UPDATE',
            [t.family, t.to],
          );
          const holder = rows[0] && fromRow(rows[0]);
          if (holder !== undefined) {
            const demoteTo = t.demoteTo ?? 'retired';
            await client.query(
              'UPDATE model_versions SET status = $1, status_changed_at = $2 WHERE family = $3 AND version = $4',
              [demoteTo, new Date(t.at), holder.family, holder.version],
            );
            await insertHistory(
              client,
              holder.family,
              holder.version,
              holder.status,
              demoteTo,
              t.actor,
              `replaced by ${t.version}: ${t.reason}`,
              t.at,
            );
            demoted = (await getVersion(client, holder.family, holder.version))!;
          }
        }
        await client.query(
          'UPDATE model_versions SET status = $1, status_changed_at = $2 WHERE family = $3 AND version = $4',
          [t.to, new Date(t.at), t.family, t.version],
        );
        await insertHistory(client, t.family, t.version, current.status, t.to, t.actor, t.reason, t.at);
        return { changed: (await getVersion(client, t.family, t.version))!, demoted };
      },
      `model-family:${t.family}`,
    );
  }

  async setEvaluation(family: string, version: string, evaluation: unknown): Promise<void> {
    const { rowCount } = await pgCall('Storing a model evaluation', () =>
      this.#pool.query('UPDATE model_versions SET evaluation = $1 WHERE family = $2 AND version = $3', [
        JSON.stringify(evaluation ?? null),
        family,
        version,
      ]),
    );
    if (rowCount === 0) throw new AppError('CS_ERR_NOT_FOUND', `No model version ${family}/${version}`);
  }

  async history(family: string, version?: string): Promise<ModelStatusChange[]> {
    const { rows } = await pgCall('Reading model history', () =>
      version === undefined
        ? this.#pool.query<HistoryRow>('SELECT * FROM model_status_history WHERE family = $1 ORDER BY seq', [
            family,
          ])
        : this.#pool.query<HistoryRow>(
            'SELECT * FROM model_status_history WHERE family = $1 AND version = $2 ORDER BY seq',
            [family, version],
          ),
    );
    return rows.map(historyFromRow);
  }
}
