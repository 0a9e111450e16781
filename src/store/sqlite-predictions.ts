import type Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';
import type {
  NewPrediction,
  PredictionClassCount,
  PredictionRepository,
  StoredPrediction,
} from './predictions.js';
import { mapSqliteError, sqliteCall } from './sqlite-errors.js';
import type { SqliteWriterThread } from './sqlite-writer-thread.js';

interface PredictionRow {
  id: string;
  created_at: number;
  item_id: string | null;
  api_key_id: string | null;
  model_family: string;
  model_version: string;
  severity: string;
  probabilities: string;
  confidence: number;
  anomaly_score: number | null;
  text: string;
  text_sha256: string;
  source: string | null;
  published: string | null;
  latency_ms: number;
  cached: number;
  details: string;
}

function fromRow(row: PredictionRow): StoredPrediction {
  return {
    id: row.id,
    createdAt: row.created_at,
    itemId: row.item_id,
    apiKeyId: row.api_key_id,
    modelFamily: row.model_family,
    modelVersion: row.model_version,
    severity: row.severity,
    probabilities: JSON.parse(row.probabilities) as number[],
    confidence: row.confidence,
    anomalyScore: row.anomaly_score,
    text: row.text,
    textSha256: row.text_sha256,
    source: row.source,
    published: row.published,
    latencyMs: row.latency_ms,
    cached: row.cached === 1,
    details: JSON.parse(row.details) as unknown,
  };
}

const INSERT_SQL = `INSERT INTO predictions (id, created_at, item_id, api_key_id, model_family, model_version, severity,
   probabilities, confidence, anomaly_score, text, text_sha256, source, published, latency_ms, cached, details)
 VALUES (@id, @createdAt, @itemId, @apiKeyId, @modelFamily, @modelVersion, @severity,
   @probabilities, @confidence, @anomalyScore, @text, @textSha256, @source, @published, @latencyMs, @cached, @details)`;

/** The statement's parameters for one prediction (plain values, so they cross to the writer thread cheaply). */
function rowOf(r: NewPrediction): Record<string, unknown> {
  return {
    id: r.id,
    createdAt: r.createdAt,
    itemId: r.itemId,
    apiKeyId: r.apiKeyId,
    modelFamily: r.modelFamily,
    modelVersion: r.modelVersion,
    severity: r.severity,
    probabilities: JSON.stringify(r.probabilities),
    confidence: r.confidence,
    anomalyScore: r.anomalyScore,
    text: r.text,
    textSha256: r.textSha256,
    source: r.source,
    published: r.published,
    latencyMs: r.latencyMs,
    cached: r.cached ? 1 : 0,
    details: JSON.stringify(r.details ?? null),
  };
}

/** The INSERT the writer thread prepares. */
export const PREDICTION_INSERT_SQL = INSERT_SQL;

/** Predictions in the embedded SQLite store (times as integer milliseconds). */
export class SqlitePredictions implements PredictionRepository {
  readonly #db: Database.Database;
  readonly #commits: GroupCommit<NewPrediction>;

  /**
   * @param db the store's connection, for reads, the purge, and inserts when no writer thread is given.
   * @param writer the thread inserts are committed on (see `openSqliteStore`): durable
   *   (`synchronous=FULL`) without blocking the event loop on the fsync.
   */
  constructor(db: Database.Database, writer?: SqliteWriterThread) {
    this.#db = db;
    let write: (rows: Record<string, unknown>[]) => Promise<void> | void;
    if (writer === undefined) {
      const insert = db.prepare(INSERT_SQL);
      write = db.transaction((rows: Record<string, unknown>[]) => {
        for (const row of rows) insert.run(row);
      });
    } else {
      write = (rows) => writer.write(rows);
    }
    this.#commits = new GroupCommit(async (records) => {
      try {
        await write(records.map(rowOf));
      } catch (cause) {
        throw mapSqliteError('Storing predictions', cause);
      }
    });
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
    const row = sqliteCall('Reading a prediction', () =>
      this.#db.prepare('SELECT * FROM predictions WHERE id = ?').get(id),
    ) as PredictionRow | undefined;
    return row && fromRow(row);
  }

  async latestByTextSha256(textSha256: string): Promise<StoredPrediction | undefined> {
    const row = sqliteCall('Reading a prediction', () =>
      this.#db
        .prepare('SELECT * FROM predictions WHERE text_sha256 = ? ORDER BY created_at DESC, id DESC LIMIT 1')
        .get(textSha256),
    ) as PredictionRow | undefined;
    return row && fromRow(row);
  }

  async classCounts(): Promise<PredictionClassCount[]> {
    const rows = sqliteCall('Counting predictions', () =>
      this.#db
        .prepare(
          `SELECT model_family, model_version, severity, COUNT(*) AS n FROM predictions
           GROUP BY model_family, model_version, severity ORDER BY model_family, model_version, severity`,
        )
        .all(),
    ) as { model_family: string; model_version: string; severity: string; n: number }[];
    return rows.map((r) => ({
      modelFamily: r.model_family,
      modelVersion: r.model_version,
      severity: r.severity,
      count: r.n,
    }));
  }

  async recentLatencies(modelFamily: string, modelVersion: string, limit: number): Promise<number[]> {
    const rows = sqliteCall('Reading latencies', () =>
      this.#db
        .prepare(
          `SELECT latency_ms FROM predictions WHERE model_family = ? AND model_version = ?
           ORDER BY created_at DESC LIMIT ?`,
        )
        .all(modelFamily, modelVersion, limit),
    ) as { latency_ms: number }[];
    return rows.map((r) => r.latency_ms);
  }

  async purgeOlderThan(
    cutoff: number,
    chunkSize = 5_000,
    onDeleted?: (ids: string[]) => Promise<void> | void,
  ): Promise<number> {
    const del = this.#db.prepare(
      'DELETE FROM predictions WHERE id IN (SELECT id FROM predictions WHERE created_at < ? LIMIT ?) RETURNING id',
    );
    let total = 0;
    for (;;) {
      const ids = (
        sqliteCall('Purging predictions', () => del.all(cutoff, chunkSize)) as { id: string }[]
      ).map((r) => r.id);
      total += ids.length;
      if (ids.length > 0) await onDeleted?.(ids);
      if (ids.length < chunkSize) return total;
      // Let queued requests run between chunks.
      await new Promise((r) => setImmediate(r));
    }
  }
}
