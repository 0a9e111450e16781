/**
 * The analysts' review queue reads stored predictions that no feedback has
 * answered yet (no feedback for the same normalised text); ranking by
 * uncertainty happens in the learning module.
 */

/** A stored prediction awaiting review. */
export interface UnansweredPrediction {
  predictionId: string;
  createdAt: number;
  modelFamily: string;
  modelVersion: string;
  severity: string;
  /** In the model's class order. */
  probabilities: number[];
  confidence: number;
  text: string;
  textSha256: string;
  source: string | null;
}

/** Reads for the review queue. */
export interface ReviewRepository {
  /**
   * The `limit` most recent predictions (of one family when given, created at
   * or after `since` when given) whose text has no feedback, newest first.
   */
  unanswered(options: { limit: number; family?: string; since?: number }): Promise<UnansweredPrediction[]>;
}
