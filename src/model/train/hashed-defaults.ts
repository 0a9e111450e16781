import type { HashedTrainSettings } from './hashed-settings.js';

/**
 * Default settings of `cyberstreams train --task severity`: the winner of
 * the recorded hyperparameter search on the validation months
 * (`bench/train/SEARCH.md`, produced by `scripts/severity-search.ts`).
 */
export const DEFAULT_HASHED_SETTINGS: Readonly<HashedTrainSettings> = Object.freeze({
  features: Object.freeze({
    buckets: 2 ** 18,
    wordNgrams: 2,
    charMin: 3,
    charMax: 5,
    charWeight: 1,
    metaTokens: true,
    metaWeight: 1,
    statedSeverity: true,
    sourceWords: false,
    numberShape: true,
    maxChars: 4000,
  }),
  hiddenDim: 0,
  cvssHeads: true,
  outputMode: 'mix',
  mixWeight: 0.5,
  epochs: 8,
  learningRate: 0.003,
  l2: 0,
  inputDropout: 0,
  hiddenDropout: 0,
  cvssHeadWeight: 0.3,
  initScale: 0.01,
  embeddingOptimizer: 'adam',
  classWeightPower: 0,
  sourceDropout: 0.2,
  precision: 'int8-rows',
  tuneOffsets: false,
  refitOnValidation: true,
  seed: 42,
}) as Readonly<HashedTrainSettings>;
