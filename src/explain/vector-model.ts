/**
 * The interface a model must offer for family-level explanations: scoring many
 * 128-slot feature vectors in one call. Kept minimal so any family can expose
 * it; a model that reads text instead of vectors cannot, and gets word
 * explanations only.
 *
 * How the severity families can offer it:
 * - `tfjs-mlp` (`MlpSeverityModel`): standardise each raw `featurize` vector
 *   with the manifest's `standardize` mean/std (as its `vector()` does), stack
 *   them into one `tensor2d([n, 128])`, `network.predict`, then apply the same
 *   temperature (`temper`) as `predictBatch`; one TF.js call per explanation.
 *   The vectors must be built as the model builds its own (same artefacts,
 *   same reference-time rule), or the explanation describes other inputs.
 * - `hashed-ngram`: none (it reads text); use {@link TextModel}.
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

/**
 * The interface a model must offer for word-level explanations: class
 * probabilities of a text. Any `SeverityModel` offers it as
 * `{ predictProba: (text) => model.predict({ text, source, published }).probabilities }`,
 * with the request's own `source` and `published`, so that only the words vary.
 */
export interface TextModel {
  /**
   * Class probabilities of `text` (same length for every text). Called with
   * the full text, the empty text and up to `maxEvaluations` texts with words
   * removed; must accept any string, the empty one included.
   */
  predictProba(text: string): ArrayLike<number>;
}
