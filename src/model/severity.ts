/**
 * The severity task's public types: the five classes, what a prediction takes
 * and returns, and the contract every loaded severity model fulfils.
 */

export { SEVERITY_CLASS_COUNT, SEVERITY_CLASSES, type SeverityClass } from '../ingest/index.js';

import type { SeverityClass } from '../ingest/index.js';

/** What a severity model reads. Only `text` is required; the rest improves the prediction when known. */
export interface SeverityInput {
  /** The text to score (an advisory, a CVE description, a report paragraph). */
  text: string;
  /** Who published it: a CNA short name (`redhat`, `VulDB`, ...) or a feed name. */
  source?: string;
  /** Publication time, ISO 8601 (`2024-08-01T12:00:00Z`). */
  published?: string;
  /** CWE ids the publisher attached (`CWE-79`), when known. */
  cwes?: readonly string[];
}

/** Which model answered. */
export interface SeverityModelRef {
  /** Model family (`hashed-ngram`, `tfjs-mlp`, ...). */
  family: string;
  /** The model directory's version from its manifest. */
  version: string;
}

/** A model's answer for one input. */
export interface SeverityPrediction {
  /** Calibrated probabilities in {@link SEVERITY_CLASSES} order; five finite numbers in [0, 1] that sum to 1. */
  probabilities: number[];
  /** The most probable class. */
  severity: SeverityClass;
  /** The probability of `severity` (the largest entry of `probabilities`). */
  confidence: number;
  /** Which model answered. */
  model: SeverityModelRef;
}

/**
 * A loaded severity model, ready to predict. Prediction is synchronous and
 * pure CPU work; loading (I/O, backend start) happens once in `loadSeverityModel`.
 */
export interface SeverityModel {
  /** Model family and version, as in the manifest. */
  readonly ref: SeverityModelRef;
  /** Predicts one input. Never throws for any string `text` (empty text gets the prior). */
  predict(doc: SeverityInput): SeverityPrediction;
  /** Predicts many inputs; same results as calling `predict` on each, often faster. */
  predictBatch(docs: readonly SeverityInput[]): SeverityPrediction[];
  /** Releases native or backend memory (TF.js tensors). Safe to call twice. */
  dispose(): void;
}
