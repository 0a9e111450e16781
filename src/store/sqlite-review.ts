import type Database from 'better-sqlite3';
import type { ReviewRepository, UnansweredPrediction } from './review-queue.js';
import { sqliteCall } from './sqlite-errors.js';

interface Row {
  id: string;
  created_at: number;
  model_family: string;
  model_version: string;
  severity: string;
  probabilities: string;
  confidence: number;
  text: string;
  text_sha256: string;
  source: string | null;
}

/** Review-queue reads in the embedded SQLite store. */
export class SqliteReview implements ReviewRepository {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async unanswered(options: {
    limit: number;
    family?: string;
    since?: number;
  }): Promise<UnansweredPrediction[]> {
    const where = ['NOT EXISTS (SELECT 1 FROM feedback f WHERE f.text_sha256 = p.text_sha256)'];
    const params: unknown[] = [];
    if (options.family !== undefined) {
      where.push('p.model_family = ?');
      params.push(options.family);
    }
    if (options.since !== undefined) {
      where.push('p.created_at >= ?');
      params.push(options.since);
    }
    const rows = sqliteCall('Reading the review queue', () =>
      this.#db
        .prepare(
          `SELECT p.id, p.created_at, p.model_family, p.model_version, p.severity, p.probabilities, p.confidence,
             p.text, p.text_sha256, p.source
           FROM predictions p WHERE ${where.join(' AND ')}
           ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
        )
        .all(...params, options.limit),
    ) as Row[];
    return rows.map((r) => ({
      predictionId: r.id,
      createdAt: r.created_at,
      modelFamily: r.model_family,
      modelVersion: r.model_version,
      severity: r.severity,
      probabilities: JSON.parse(r.probabilities) as number[],
      confidence: r.confidence,
      text: r.text,
      textSha256: r.text_sha256,
      source: r.source,
    }));
  }
}
