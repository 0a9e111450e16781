import type pg from 'pg';
import { pgCall } from './postgres-errors.js';
import type { ReviewRepository, UnansweredPrediction } from './review-queue.js';

interface Row {
  id: string;
  created_at: Date;
  model_family: string;
  model_version: string;
  severity: string;
  probabilities: number[];
  confidence: number;
  text: string;
  text_sha256: string;
  source: string | null;
}

/** Review-queue reads in PostgreSQL. */
export class PostgresReview implements ReviewRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async unanswered(options: {
    limit: number;
    family?: string;
    since?: number;
  }): Promise<UnansweredPrediction[]> {
    const where = ['NOT EXISTS (SELECT 1 FROM feedback f WHERE f.text_sha256 = p.text_sha256)'];
    const params: unknown[] = [];
    if (options.family !== undefined) {
      params.push(options.family);
      where.push(`p.model_family = $${params.length}`);
    }
    if (options.since !== undefined) {
      params.push(new Date(options.since));
      where.push(`p.created_at >= $${params.length}`);
    }
    params.push(options.limit);
    const { rows } = await pgCall('Reading the review queue', () =>
      this.#pool.query<Row>(
        `SELECT p.id, p.created_at, p.model_family, p.model_version, p.severity, p.probabilities, p.confidence,
           p.text, p.text_sha256, p.source
         FROM predictions p WHERE ${where.join(' AND ')}
         ORDER BY p.created_at DESC, p.id DESC LIMIT $${params.length}`,
        params,
      ),
    );
    return rows.map((r) => ({
      predictionId: r.id,
      createdAt: r.created_at.getTime(),
      modelFamily: r.model_family,
      modelVersion: r.model_version,
      severity: r.severity,
      probabilities: r.probabilities,
      confidence: r.confidence,
      text: r.text,
      textSha256: r.text_sha256,
      source: r.source,
    }));
  }
}
