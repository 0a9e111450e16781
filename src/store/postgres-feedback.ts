import type pg from 'pg';
import {
  FEEDBACK_AGREEMENT_SQL,
  type FeedbackAgreement,
  type FeedbackRepository,
  type NewFeedback,
  type StoredFeedback,
} from './feedback.js';
import { pgCall } from './postgres-errors.js';

interface FeedbackRow {
  id: string;
  created_at: Date;
  prediction_id: string | null;
  text: string;
  text_sha256: string;
  correct_label: string;
  techniques: string[] | null;
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
    createdAt: row.created_at.getTime(),
    predictionId: row.prediction_id,
    text: row.text,
    textSha256: row.text_sha256,
    correctLabel: row.correct_label,
    techniques: row.techniques,
    comment: row.comment,
    analyst: row.analyst,
    apiKeyId: row.api_key_id,
    modelFamily: row.model_family,
    modelVersion: row.model_version,
    predictedSeverity: row.predicted_severity,
  };
}

/** Feedback in PostgreSQL. */
export class PostgresFeedback implements FeedbackRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async insert(r: NewFeedback): Promise<void> {
    await pgCall('Storing feedback', () =>
      this.#pool.query(
        `INSERT INTO feedback (id, created_at, prediction_id, text, text_sha256, correct_label, techniques,
           comment, analyst, api_key_id, model_family, model_version, predicted_severity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          r.id,
          new Date(r.createdAt),
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
        ],
      ),
    );
  }

  async get(id: string): Promise<StoredFeedback | undefined> {
    const { rows } = await pgCall('Reading feedback', () =>
      this.#pool.query<FeedbackRow>('SELECT * FROM feedback WHERE id = $1', [id]),
    );
    return rows[0] && fromRow(rows[0]);
  }

  async agreementByModel(): Promise<FeedbackAgreement[]> {
    const { rows } = await pgCall('Reading feedback agreement', () =>
      this.#pool.query<{ model_family: string; model_version: string; total: string; agreed: string }>(
        FEEDBACK_AGREEMENT_SQL,
      ),
    );
    return rows.map((r) => ({
      modelFamily: r.model_family,
      modelVersion: r.model_version,
      total: Number(r.total),
      agreed: Number(r.agreed),
    }));
  }

  async listAfter(after: { createdAt: number; id: string } | null, limit: number): Promise<StoredFeedback[]> {
    const { rows } = await pgCall('Listing feedback', () =>
      after === null
        ? this.#pool.query<FeedbackRow>('SELECT * FROM feedback ORDER BY created_at, id LIMIT $1', [limit])
        : this.#pool.query<FeedbackRow>(
            'SELECT * FROM feedback WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3',
            [new Date(after.createdAt), after.id, limit],
          ),
    );
    return rows.map(fromRow);
  }

  async latestByPrediction(
    predictionIds: readonly string[],
    upTo: { createdAt: number; id: string },
  ): Promise<StoredFeedback[]> {
    if (predictionIds.length === 0) return [];
    const { rows } = await pgCall('Reading feedback by prediction', () =>
      this.#pool.query<FeedbackRow>(
        `SELECT DISTINCT ON (prediction_id) * FROM feedback
         WHERE prediction_id = ANY($1::text[]) AND (created_at, id) <= ($2, $3)
         ORDER BY prediction_id, created_at DESC, id DESC`,
        [predictionIds, new Date(upTo.createdAt), upTo.id],
      ),
    );
    return rows.map(fromRow);
  }
}
