import { SEVERITY_CLASSES } from '../../model/index.js';
import type { ReviewRepository, UnansweredPrediction } from '../../store/index.js';
import { margin, normalisedEntropy } from './uncertainty.js';

/** How the queue ranks: smallest top-1/top-2 margin first, or highest entropy first. */
export type ReviewRanking = 'margin' | 'entropy';

/** One item of the review queue. */
export interface ReviewItem {
  predictionId: string;
  createdAt: number;
  model: { family: string; version: string };
  severity: string;
  /** Probabilities by class name. */
  probabilities: Record<string, number>;
  confidence: number;
  margin: number;
  entropy: number;
  /** The text, cut to `textMaxChars`. */
  text: string;
  /** The text was cut. */
  truncated: boolean;
  source: string | null;
}

/** Options of {@link ReviewQueue.list}. */
export interface ReviewListOptions {
  /** Items to return. */
  limit: number;
  ranking: ReviewRanking;
  /** Only predictions of this model family. */
  family?: string;
}

/**
 * The analysts' review queue: among the most recent `window` predictions no
 * feedback has answered (no feedback for the same normalised text), the ones
 * the model was least sure of, one per distinct text. Answering one through
 * `POST /api/v1/feedback` (by prediction id or text) takes it out.
 */
export class ReviewQueue {
  readonly #repo: ReviewRepository;
  readonly #window: number;
  readonly #textMaxChars: number;

  /**
   * @param window recent unanswered predictions ranked per call (REVIEW_WINDOW).
   * @param textMaxChars longest text returned per item. Default 2,000.
   */
  constructor(repo: ReviewRepository, window: number, textMaxChars = 2_000) {
    this.#repo = repo;
    this.#window = window;
    this.#textMaxChars = textMaxChars;
  }

  /** The `limit` least-sure unanswered predictions, least sure first (ties: newest first). */
  async list(options: ReviewListOptions): Promise<ReviewItem[]> {
    const rows = await this.#repo.unanswered({
      limit: this.#window,
      ...(options.family === undefined ? {} : { family: options.family }),
    });
    const seen = new Set<string>();
    const items: ReviewItem[] = [];
    for (const row of rows) {
      // Rows come newest first: the first prediction of a text is its latest.
      if (seen.has(row.textSha256)) continue;
      seen.add(row.textSha256);
      items.push(this.#item(row));
    }
    const key = options.ranking === 'margin' ? (i: ReviewItem) => i.margin : (i: ReviewItem) => -i.entropy;
    items.sort((a, b) => key(a) - key(b) || b.createdAt - a.createdAt);
    return items.slice(0, options.limit);
  }

  #item(row: UnansweredPrediction): ReviewItem {
    const truncated = row.text.length > this.#textMaxChars;
    return {
      predictionId: row.predictionId,
      createdAt: row.createdAt,
      model: { family: row.modelFamily, version: row.modelVersion },
      severity: row.severity,
      probabilities: Object.fromEntries(SEVERITY_CLASSES.map((c, i) => [c, row.probabilities[i] ?? 0])),
      confidence: row.confidence,
      margin: margin(row.probabilities),
      entropy: normalisedEntropy(row.probabilities),
      text: truncated ? row.text.slice(0, this.#textMaxChars) : row.text,
      truncated,
      source: row.source,
    };
  }
}
