import type pg from 'pg';
import { GroupCommit } from './group-commit.js';
import { pgCall } from './postgres-errors.js';
import type {
  NewPrediction,
  PredictionClassCount,
  PredictionRepository,
  StoredPrediction,
} from './predictions.js';

interface PredictionRow {
  id: string;
  created_at: Date;
  item_id: string | null;
  api_key_id: string | null;
  model_family: string;
  model_version: string;
  severity: string;
  probabilities: number[];
  confidence: number;
  anomaly_score: number | null;
  text: string;
  text_sha256: string;
  source: string | null;
  published: string | null;
  latency_ms: number;
  cached: boolean;
  details: unknown;
}

const COLUMNS = [
  'id',
  'created_at',
  'item_id',
  'api_key_id',
  'model_family',
  'model_version',
  'severity',
  'probabilities',
  'confidence',
  'anomaly_score',
  'text',
  'text_sha256',
  'source',
  'published',
  'latency_ms',
  'cached',
  'details',
] as const;

function toParams(r: NewPrediction): unknown[] {
  return [
    r.id,
    new Date(r.createdAt),
    r.itemId,
    r.apiKeyId,
    r.modelFamily,
    r.modelVersion,
    r.severity,
    JSON.stringify(r.probabilities),
    r.confidence,
    r.anomalyScore,
    r.text,
    r.textSha256,
    r.source,
    r.published,
    r.latencyMs,
    r.cached,
    JSON.stringify(r.details ?? null),
  ];
}

function fromRow(row: PredictionRow): StoredPrediction {
  return {
    id: row.id,
    createdAt: row.created_at.getTime(),
    itemId: row.item_id,
    apiKeyId: row.api_key_id,
    modelFamily: row.model_family,
    modelVersion: row.model_version,
    severity: row.severity,
    probabilities: row.probabilities,
    confidence: row.confidence,
    anomalyScore: row.anomaly_score,
    text: row.text,
    textSha256: row.text_sha256,
    source: row.source,
    published: row.published,
    latencyMs: row.latency_ms,
    cached: row.cached,
    details: row.details,
  };
}

/** Predictions in PostgreSQL; concurrent inserts share one multi-row INSERT. */
export class PostgresPredictions implements PredictionRepository {
  readonly #pool: pg.Pool;
  readonly #commits: GroupCommit<NewPrediction>;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    // 17 parameters a row: 500 rows stay far below PostgreSQL's 65,535-parameter limit.
    this.#commits = new GroupCommit((records) => this.#insertNow(records), 500);
  }

  async #insertNow(records: NewPrediction[]): Promise<void> {
    const params: unknown[] = [];
    const tuples = records.map((r) => {
      const start = params.length;
      params.push(...toParams(r));
      return `(${COLUMNS.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    await pgCall('Storing predictions', () =>
      this.#pool.query(`INSERT INTO predictions (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params),
    );
  }

  insert(records: readonly NewPrediction[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.#commits.add(records);
  }

  /** Resolves once every queued insert is committed. */
  idle(): Promise<void> {
    return this.#commits.idle();
  }

  async get(id: string): Promise<StoredPrediction | undefined> {
    const { rows } = await pgCall('Reading a prediction', () =>
      this.#pool.query<PredictionRow>('SELECT * FROM predictions WHERE id = $1', [id]),
    );
    return rows[0] && fromRow(rows[0]);
  }

  async latestByTextSha256(textSha256: string): Promise<StoredPrediction | undefined> {
    const { rows } = await pgCall('Reading a prediction', () =>
      this.#pool.query<PredictionRow>(
        'SELECT * FROM predictions WHERE text_sha256 = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
        [textSha256],
      ),
    );
    return rows[0] && fromRow(rows[0]);
  }

  async classCounts(): Promise<PredictionClassCount[]> {
    const { rows } = await pgCall('Counting predictions', () =>
      this.#pool.query<{ model_family: string; model_version: string; severity: string; n: string }>(
        `SELECT model_family, model_version, severity, COUNT(*) AS n FROM predictions
         GROUP BY model_family, model_version, severity ORDER BY model_family, model_version, severity`,
      ),
    );
    return rows.map((r) => ({
      modelFamily: r.model_family,
      modelVersion: r.model_version,
      severity: r.severity,
      count: Number(r.n),
    }));
  }

  async recentLatencies(modelFamily: string, modelVersion: string, limit: number): Promise<number[]> {
    const { rows } = await pgCall('Reading latencies', () =>
      this.#pool.query<{ latency_ms: number }>(
        `SELECT latency_ms FROM predictions WHERE model_family = $1 AND model_version = $2
         ORDER BY created_at DESC LIMIT $3`,
        [modelFamily, modelVersion, limit],
      ),
    );
    return rows.map((r) => r.latency_ms);
  }

  async purgeOlderThan(
    cutoff: number,
    chunkSize = 5_000,
    onDeleted?: (ids: string[]) => Promise<void> | void,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows } = await pgCall('Purging predictions', () =>
        this.#pool.query<{ id: string }>(
          'DELETE FROM predictions WHERE id IN (SELECT id FROM predictions WHERE created_at < $1 LIMIT $2) RETURNING id',
          [new Date(cutoff), chunkSize],
        ),
      );
      const ids = rows.map((r) => r.id);
      total += ids.length;
      if (ids.length > 0) await onDeleted?.(ids);
      if (ids.length < chunkSize) return total;
    }
  }
}
