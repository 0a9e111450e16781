import { AppError } from '../core/index.js';

/**
 * Settings of a technique training run. Every one can be overridden on the command
 * line with `--set key=value`; all are written to the manifest.
 */
export interface TechniqueTrainingSettings {
  /** log2 of the number of hash buckets. */
  hashBits: number;
  wordNgramMax: number;
  charNgramMin: number;
  charNgramMax: number;
  charWeight: number;
  foldDigits: boolean;
  epochs: number;
  learningRate: number;
  l2: number;
  /** Example weight of report sentences that describe no technique (the "no technique" class). */
  negativeWeight: number;
  /** Example weight of texts describing only techniques outside the label space, as "no technique"; 0 drops them. */
  outsideWeight: number;
  /** Example weight per source of technique-bearing units. */
  spanWeight: number;
  sentenceWeight: number;
  bootstrapWeight: number;
  procedureWeight: number;
  /** Example weight of the sentences of ATT&CK technique descriptions (0: not used). */
  descriptionWeight: number;
  /** Average the weights of the passes from this one on (1-based; 0: keep the last weights). */
  averageFrom: number;
  /**
   * Class weighting of technique-bearing units: each is weighted by (median technique
   * count / count of its rarest technique)^power, so rare techniques weigh more (0: off).
   */
  classWeightPower: number;
  /** SGD runs with seeds seed, seed+1, ... whose weights are averaged into the shipped model. */
  seeds: number;
  /**
   * Width of a ReLU hidden layer between the hashed TF-IDF input and the softmax
   * (0: the linear model). Trained by Adam with the `hidden*` settings below.
   */
  hidden: number;
  /** Passes of the hidden-layer network's trainer. */
  hiddenEpochs: number;
  /** Adam step size of the hidden-layer network at the start (decays linearly to 10 % of it). */
  hiddenLearningRate: number;
  /** Probability of dropping each input feature while training the hidden-layer network. */
  inputDropout: number;
  /** Probability of dropping each hidden unit while training the hidden-layer network. */
  hiddenDropout: number;
  /** At most this many techniques per sentence. */
  maxPerSentence: number;
  /** `global`: one threshold for all techniques; `per-technique`: tuned for each with enough validation support. */
  thresholds: 'global' | 'per-technique';
  /** Validation examples a technique needs for its own threshold. */
  minThresholdSupport: number;
  /**
   * After the thresholds are tuned on validation, fit the shipped model (and the baseline)
   * again on the training and validation reports together, keeping those thresholds. The
   * validation figures then describe the first fit; the test figures the refit.
   */
  refit: boolean;
  /** Seed of the split by report (kept apart from the training seed so the split stays fixed). */
  splitSeed: number;
  validationShare: number;
  testShare: number;
  /** Passes of the baseline's trainer. */
  baselineEpochs: number;
  /** Inverse regularisation strength of the baseline, as scikit-learn's `C` (L2 of 1/(C·n) per example). */
  baselineC: number;
}

/** Defaults: the settings of the shipped model. */
export const DEFAULT_TRAINING_SETTINGS: Readonly<TechniqueTrainingSettings> = Object.freeze({
  hashBits: 16,
  wordNgramMax: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  charWeight: 1,
  foldDigits: true,
  epochs: 10,
  learningRate: 0.5,
  l2: 1e-6,
  averageFrom: 0,
  classWeightPower: 0,
  seeds: 1,
  hidden: 0,
  hiddenEpochs: 6,
  hiddenLearningRate: 0.003,
  inputDropout: 0.1,
  hiddenDropout: 0.3,
  negativeWeight: 0.3,
  outsideWeight: 0,
  spanWeight: 1,
  sentenceWeight: 1,
  bootstrapWeight: 1,
  procedureWeight: 1,
  descriptionWeight: 0,
  maxPerSentence: 3,
  thresholds: 'global',
  minThresholdSupport: 8,
  refit: false,
  splitSeed: 42,
  validationShare: 0.15,
  testShare: 0.15,
  baselineEpochs: 10,
  baselineC: 10,
});

const RANGES: Record<string, [number, number, boolean]> = {
  // key: [min, max, integer]
  hashBits: [8, 24, true],
  wordNgramMax: [1, 4, true],
  charNgramMin: [0, 8, true],
  charNgramMax: [0, 8, true],
  charWeight: [0, 10, false],
  epochs: [1, 200, true],
  learningRate: [1e-6, 100, false],
  l2: [0, 1, false],
  averageFrom: [0, 200, true],
  classWeightPower: [0, 2, false],
  seeds: [1, 16, true],
  hidden: [0, 1024, true],
  hiddenEpochs: [1, 200, true],
  hiddenLearningRate: [1e-6, 1, false],
  inputDropout: [0, 0.9, false],
  hiddenDropout: [0, 0.9, false],
  negativeWeight: [0, 100, false],
  outsideWeight: [0, 100, false],
  spanWeight: [0, 100, false],
  sentenceWeight: [0, 100, false],
  bootstrapWeight: [0, 100, false],
  procedureWeight: [0, 100, false],
  descriptionWeight: [0, 100, false],
  maxPerSentence: [1, 50, true],
  minThresholdSupport: [1, 10000, true],
  splitSeed: [0, 2 ** 32 - 1, true],
  validationShare: [0.01, 0.45, false],
  testShare: [0.01, 0.45, false],
  baselineEpochs: [1, 200, true],
  baselineC: [1e-4, 1e6, false],
};

function bad(message: string): AppError {
  return new AppError('CS_ERR_VALIDATION', message, { details: { usage: true } });
}

/** Applies `--set` overrides to the defaults; unknown keys and out-of-range values are usage errors. */
export function parseTrainingSettings(
  overrides: Readonly<Record<string, string>>,
): TechniqueTrainingSettings {
  const out: TechniqueTrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
  for (const [key, value] of Object.entries(overrides)) {
    if (key === 'foldDigits' || key === 'refit') {
      if (value !== 'true' && value !== 'false')
        throw bad(`--set ${key} expects true or false, got "${value}"`);
      out[key] = value === 'true';
    } else if (key === 'thresholds') {
      if (value !== 'global' && value !== 'per-technique') {
        throw bad(`--set thresholds expects global or per-technique, got "${value}"`);
      }
      out.thresholds = value;
    } else {
      const range = RANGES[key];
      if (range === undefined) {
        const known = ['foldDigits', 'refit', 'thresholds', ...Object.keys(RANGES)].sort().join(', ');
        throw bad(`Unknown setting "${key}" for the techniques task; known: ${known}`);
      }
      const n = Number(value);
      const [min, max, integer] = range;
      if (
        value.trim() === '' ||
        !Number.isFinite(n) ||
        n < min ||
        n > max ||
        (integer && !Number.isInteger(n))
      ) {
        throw bad(
          `--set ${key} expects ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${value}"`,
        );
      }
      (out as unknown as Record<string, number>)[key] = n;
    }
  }
  if (out.charNgramMin > 0 && out.charNgramMax < out.charNgramMin) {
    throw bad('--set charNgramMax must be at least charNgramMin');
  }
  return out;
}
