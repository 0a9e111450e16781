/**
 * What a canary or shadow model answered next to the active one, per request,
 * so experiments can be compared on agreement, latency and (once analysts
 * label the text) accuracy. Linked to feedback by the text's SHA-256.
 */

/** The two kinds of experiment. */
export type ExperimentRole = 'canary' | 'shadow';

/** One paired observation. Times are milliseconds since the Unix epoch. */
export interface ExperimentObservation {
  createdAt: number;
  family: string;
  role: ExperimentRole;
  /** The canary or shadow version. */
  candidateVersion: string;
  /** The active version it was compared with. */
  activeVersion: string;
  /** Whose answer the client got. */
  served: 'candidate' | 'active';
  /** SHA-256 (hex) of the normalised text (as feedback stores it). */
  textSha256: string;
  candidateSeverity: string;
  activeSeverity: string;
  /** Model time of the candidate, ms. */
  candidateLatencyMs: number;
  /** Model time of the active model, ms. */
  activeLatencyMs: number;
}

/** An observation with the analysts' label of its text, when there is one (the latest feedback). */
export interface LabelledObservation extends ExperimentObservation {
  correctLabel: string | null;
}

/** Persistence of experiment observations. */
export interface ExperimentRepository {
  /** Stores observations; resolves once durable. */
  insert(observations: readonly ExperimentObservation[]): Promise<void>;
  /**
   * The `limit` most recent observations of one candidate version, newest
   * first, each with the latest feedback label of its text (or null).
   */
  labelled(family: string, candidateVersion: string, limit: number): Promise<LabelledObservation[]>;
}
