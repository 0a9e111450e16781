import type Database from 'better-sqlite3';
import {
  FEEDBACK_AGREEMENT_SQL,
  type FeedbackAgreement,
  type FeedbackRepository,
  type NewFeedback,
  type StoredFeedback,
} from './feedback.js';
import { sqliteCall } from './sqlite-errors.js';

interface FeedbackRow {
  id: string;
  created_at: number;
  prediction_id: string | null;
  text: string;
  text_sha256: string;
  correct_label: string;
  techniques: string | null;
  comment: string | null;
  analyst: string | null;
  api_key_id: string | null;
  model_family: string | null;
  model_version: string | null;
  predicted_severity: string | null;
}

function fromRow(row: FeedbackRow): StoredFeedback {
  return {
    id: row.id,
    createdAt: row.created_at,
    predictionId: row.prediction_id,
    text: row.text,
    textSha256: row.text_sha256,
    correctLabel: row.correct_label,
    techniques: row.techniques === null ? null : (JSON.parse(row.techniques) as string[]),
    comment: row.comment,
    analyst: row.analyst,
    apiKeyId: row.api_key_id,
    modelFamily: row.model_family,
    modelVersion: row.model_version,
    predictedSeverity: row.predicted_severity,
  };
}

/** Feedback in the embedded SQLite store. */
export class SqliteFeedback implements FeedbackRepository {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async insert(r: NewFeedback): Promise<void> {
    sqliteCall('Storing feedback', () =>
      this.#db
        .prepare(
          `INSERT INTO feedback (id, created_at, prediction_id, text, text_sha256, correct_label, techniques,
             comment, analyst, api_key_id, model_family, model_version, predicted_severity)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.id,
          r.createdAt,
          r.predictionId,
          r.text,
          r.textSha256,
          r.correctLabel,
          r.techniques === null ? null : JSON.stringify(r.techniques),
          r.comment,
          r.analyst,
          r.apiKeyId,
          r.modelFamily,
          r.modelVersion,
          r.predictedSeverity,
        ),
    );
  }

  async get(id: string): Promise<StoredFeedback | undefined> {
    const row = sqliteCall('Reading feedback', () =>
      this.#db.prepare('SELECT * FROM feedback WHERE id = ?').get(id),
    ) as FeedbackRow | undefined;
    return row && fromRow(row);
  }

  async agreementByModel(): Promise<FeedbackAgreement[]> {
    const rows = sqliteCall('Reading feedback agreement', () =>
      this.#db.prepare(FEEDBACK_AGREEMENT_SQL).all(),
    ) as { model_family: string; model_version: string; total: number; agreed: number }[];
    return rows.map((r) => ({
      modelFamily: r.model_family,
      modelVersion: r.model_version,
      total: r.total,
      agreed: r.agreed,
    }));
  }

  async listAfter(after: { createdAt: number; id: string } | null, limit: number): Promise<StoredFeedback[]> {
    const rows = sqliteCall('Listing feedback', () =>
      after === null
        ? this.#db.prepare('SELECT * FROM feedback ORDER BY created_at, id LIMIT ?').all(limit)
        : this.#db
            .prepare(
              `SELECT * FROM feedback WHERE created_at > ? OR (created_at = ? AND id > ?)
               ORDER BY created_at, id LIMIT ?`,
            )
            .all(after.createdAt, after.createdAt, after.id, limit),
    ) as FeedbackRow[];
    return rows.map(fromRow);
  }

  async latestByPrediction(
    predictionIds: readonly string[],
    upTo: { createdAt: number; id: string },
  ): Promise<StoredFeedback[]> {
    if (predictionIds.length === 0) return [];
    // Ordered oldest first, so the latest item of each prediction is the one kept.
    const rows = sqliteCall('Reading feedback by prediction', () =>
      this.#db
        .prepare(
          `SELECT * FROM feedback
           WHERE prediction_id IN (SELECT value FROM json_each(?))
             AND (created_at < ? OR (created_at = ? AND id <= ?))
           ORDER BY created_at, id`,
        )
        .all(JSON.stringify(predictionIds), upTo.createdAt, upTo.createdAt, upTo.id),
    ) as FeedbackRow[];
    const latest = new Map<string, FeedbackRow>();
    for (const row of rows) latest.set(row.prediction_id as string, row);
    return [...latest.values()].map(fromRow);
  }
}
