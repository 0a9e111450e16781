import type { DriftReference } from '../drift/reference.js';

/** What the router needs from a request: the (normalised) text and an optional sticky routing key. */
export interface RoutableInput {
  text: string;
  /** API key id or client item id; requests with the same key go to the same variant. Absent: the text's hash. */
  routingKey?: string;
}

/** What the router needs from an answer. */
export interface ScoredOutput {
  model: { family: string; version: string };
  severity: string;
}

/** Something that answers requests with one model version (the service's predictor around one model). */
export interface VariantPredictor<I, O> {
  predict(input: I): O | Promise<O>;
  /** Releases the model; called once no request uses it any more. */
  dispose(): void;
}

/** A loaded model version, ready to serve in a slot. */
export interface LoadedVariant<I, O> {
  family: string;
  version: string;
  predictor: VariantPredictor<I, O>;
  /** Figures for `GET /api/v1/metrics` (the registry's metrics), or null. */
  holdout: Record<string, number> | null;
  /** The training reference for drift, when the model directory has one. */
  driftReference?: DriftReference;
  /** Computes the 128-slot vector of an input for drift, when feature artefacts are available. */
  featurize?: (input: I, referenceTime: number) => Float32Array;
}

/** The three serving slots. */
export type SlotName = 'active' | 'canary' | 'shadow';
