/**
 * Analyst feedback: the correct label for a text, linked to the prediction it
 * corrects (when known) and to the model version that made it. Feedback is the
 * training data of the self-learning loop, so it is never purged and keeps its
 * own copy of the text.
 */

/** A feedback item to store. Times are milliseconds since the Unix epoch. */
export interface NewFeedback {
  /** Unique id chosen by the caller (a UUID). */
  id: string;
  createdAt: number;
  /** The prediction it answers, or null when the caller sent a text no stored prediction matches. */
  predictionId: string | null;
  /** The text the label applies to. */
  text: string;
  /** SHA-256 (hex) of `text`. */
  textSha256: string;
  /** The class the analyst says is right. */
  correctLabel: string;
  /** ATT&CK technique ids the analyst says the text describes, or null when not given. */
  techniques: readonly string[] | null;
  comment: string | null;
  /** Who gave it (free text from the client). */
  analyst: string | null;
  /** The API key that sent it, or null with authentication off. */
  apiKeyId: string | null;
  /** Family of the model whose answer this corrects, or of the active model when no prediction matched. */
  modelFamily: string | null;
  /** Version of that model. */
  modelVersion: string | null;
  /** What that model predicted, or null when no prediction matched. */
  predictedSeverity: string | null;
}

/** A stored feedback item as read back. */
export type StoredFeedback = NewFeedback;

/** How often analysts agreed with one model version. */
/**
 * The agreement query, the same SQL on SQLite and PostgreSQL: the latest item
 * (creation time, then id) of each prediction's feedback, and every item
 * linked to no prediction, counted per model version.
 */
export const FEEDBACK_AGREEMENT_SQL = `WITH latest AS (
  SELECT model_family, model_version, correct_label, predicted_severity,
    ROW_NUMBER() OVER (
      PARTITION BY prediction_id IS NULL, COALESCE(prediction_id, id)
      ORDER BY created_at DESC, id DESC
    ) AS recency
  FROM feedback WHERE predicted_severity IS NOT NULL AND model_version IS NOT NULL
)
SELECT model_family, model_version, COUNT(*) AS total,
  SUM(CASE WHEN correct_label = predicted_severity THEN 1 ELSE 0 END) AS agreed
FROM latest WHERE recency = 1
GROUP BY model_family, model_version ORDER BY model_family, model_version`;

export interface FeedbackAgreement {
  modelFamily: string;
  modelVersion: string;
  /**
   * Predictions of this version with feedback, each counted once with its
   * latest item (storage order), plus feedback items linked to no prediction.
   */
  total: number;
  /** Of those, how many gave the label the model predicted. */
  agreed: number;
}

/** Persistence of feedback. */
export interface FeedbackRepository {
  /** Stores one item; resolves once it is durable. CS_ERR_CONFLICT when the id exists. */
  insert(record: NewFeedback): Promise<void>;
  /** The item with this id, or undefined. */
  get(id: string): Promise<StoredFeedback | undefined>;
  /**
   * Agreement per model version, over feedback that names what the model
   * predicted; a prediction corrected twice counts once, with its latest
   * item ({@link FEEDBACK_AGREEMENT_SQL}).
   */
  agreementByModel(): Promise<FeedbackAgreement[]>;
  /**
   * Feedback in storage order (creation time, then id), starting after the
   * given position; for retraining jobs that read it page by page.
   */
  listAfter(after: { createdAt: number; id: string } | null, limit: number): Promise<StoredFeedback[]>;
  /**
   * For each of the prediction ids, its latest feedback item (storage order)
   * at or before the given position, if any; one item per prediction, in no
   * particular order. For the reputation learner, which counts the latest
   * feedback per prediction once.
   */
  latestByPrediction(
    predictionIds: readonly string[],
    upTo: { createdAt: number; id: string },
  ): Promise<StoredFeedback[]>;
}
