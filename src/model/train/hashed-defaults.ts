import type { HashedTrainSettings } from './hashed-settings.js';

/**
 * Default settings of `cyberstreams train --task severity`: the winner of
 * the recorded hyperparameter search on the validation months
 * (`bench/train/SEARCH.md`, produced by `scripts/severity-search.ts`; trial
 * `manual-11270415-3`, confirmed with another seed in `manual-11270433-1`).
 * Search trials list their settings relative to the defaults of their time;
 * the first trials ran against the earlier defaults (2^18 buckets, character
 * 3-5-grams, linear, mix weight 0.5, 8 epochs, no dropout or class weights).
 */
export const DEFAULT_HASHED_SETTINGS: Readonly<HashedTrainSettings> = Object.freeze({
  features: Object.freeze({
    buckets: 2 ** 16,
    wordNgrams: 2,
    charMin: 3,
    charMax: 4,
    charWeight: 1,
    metaTokens: true,
    metaWeight: 1,
    statedSeverity: true,
    sourceWords: true,
    numberShape: true,
    maxChars: 4000,
  }),
  hiddenDim: 64,
  cvssHeads: true,
  outputMode: 'mix',
  mixWeight: 0.3,
  epochs: 6,
  learningRate: 0.003,
  l2: 0,
  inputDropout: 0.1,
  hiddenDropout: 0.3,
  cvssHeadWeight: 0.3,
  initScale: 0.01,
  embeddingOptimizer: 'adam',
  classWeightPower: 0.25,
  sourceDropout: 0.2,
  recencyHalfLifeMonths: 0,
  precision: 'int8-rows',
  tuneOffsets: false,
  refitOnValidation: true,
  seed: 42,
}) as Readonly<HashedTrainSettings>;
