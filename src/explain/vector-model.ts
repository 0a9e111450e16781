/**
 * The interface a model must offer for family-level explanations: scoring many
 * 128-slot feature vectors in one call. Kept minimal so any family can expose
 * it (the TF.js MLP stacks the vectors into one tensor; a model that reads
 * text instead of vectors cannot offer it and gets word explanations only).
 */
export interface VectorModel {
  /**
   * Class probabilities for each vector, in input order; each row has the same
   * length (the severity task: 5, in `SEVERITY_CLASSES` order) and must be the
   * same calibrated probabilities the model's `predict` reports, so the
   * explanation adds up to the probability the caller shows. Called once per
   * explanation with up to `2^families × background rows` vectors (256 × B).
   */
  predictVectors(vectors: readonly Float32Array[]): ArrayLike<number>[];
}

/** The interface a model must offer for word-level explanations: class probabilities of a text. */
export interface TextModel {
  /**
   * Class probabilities of `text` (same length for every text). Called with
   * the full text, the empty text and up to `maxEvaluations` texts with words
   * removed; must accept any string, the empty one included.
   */
  predictProba(text: string): ArrayLike<number>;
}
