import type { LabelledUnit, UnitSource } from './data/corpus.js';
import { type FeaturizerConfig, fitIdf, HashingFeaturizer, type SparseVector } from './featurizer.js';
import { activate, type LinearModel, type TrainExample, trainLinear } from './linear-model.js';
import type { TechniqueTrainingSettings } from './settings.js';
import { decodeWeights, encodeWeights, type QuantizedLinear, quantizedLogits } from './weights-file.js';

/**
 * Fits the sentence classifier: hashed TF-IDF features and a softmax over the
 * label space plus one "no technique" output.
 */

/** The trained classifier before thresholds are chosen. */
export interface FittedClassifier {
  featurizer: FeaturizerConfig;
  /** Encoded `cstw-1` weights (quantised), as shipped. */
  weights: Uint8Array;
  /** The decoded weights: what the shipped model computes. */
  quantized: QuantizedLinear;
  /** Scores of each label for a text, from the quantised weights. */
  score(text: string): Float32Array;
}

/** The featuriser settings implied by the training settings. */
export function featurizerConfigOf(settings: TechniqueTrainingSettings): FeaturizerConfig {
  return {
    dim: 2 ** settings.hashBits,
    wordNgramMax: settings.wordNgramMax,
    charNgramMin: settings.charNgramMin,
    charNgramMax: settings.charNgramMax,
    charWeight: settings.charWeight,
    foldDigits: settings.foldDigits,
  };
}

/** Example weight of a unit under `settings`; 0 means the unit is not used. */
export function unitWeight(unit: LabelledUnit, settings: TechniqueTrainingSettings): number {
  if (unit.techniques.length === 0) return unit.outside ? settings.outsideWeight : settings.negativeWeight;
  const bySource: Record<UnitSource, number> = {
    'tram-span': settings.spanWeight,
    'report-sentence': settings.sentenceWeight,
    bootstrap: settings.bootstrapWeight,
    'attack-procedure': settings.procedureWeight,
  };
  return bySource[unit.source];
}

/**
 * Builds softmax training examples: a unit's targets are its label indices, or the
 * "no technique" output (index `labels.length`) when it has none.
 */
export function toExamples(
  units: readonly LabelledUnit[],
  labels: readonly string[],
  settings: TechniqueTrainingSettings,
  vectorize: (text: string) => SparseVector,
): TrainExample[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const out: TrainExample[] = [];
  for (const u of units) {
    const weight = unitWeight(u, settings);
    if (weight <= 0) continue;
    const targets = u.techniques.map((t) => index.get(t)).filter((i): i is number => i !== undefined);
    out.push({ x: vectorize(u.text), targets: targets.length > 0 ? targets : [labels.length], weight });
  }
  return out;
}

/** Trains on `units` (their weights from `settings`), quantises, and returns the shipped classifier. */
export function fitClassifier(
  units: readonly LabelledUnit[],
  labels: readonly string[],
  settings: TechniqueTrainingSettings,
  seed: number,
  log: (line: string) => void = () => {},
): FittedClassifier {
  const config = featurizerConfigOf(settings);
  const featurizer = new HashingFeaturizer(config);
  const used = units.filter((u) => unitWeight(u, settings) > 0);
  const idf = fitIdf(
    featurizer,
    used.map((u) => u.text),
  );
  const examples = toExamples(used, labels, settings, (t) => featurizer.transform(t, idf));
  log(
    `techniques: training on ${examples.length} examples, ${labels.length} techniques + none, ${config.dim} buckets`,
  );
  const model: LinearModel = trainLinear(
    examples,
    config.dim,
    labels.length + 1,
    {
      output: 'softmax',
      epochs: settings.epochs,
      learningRate: settings.learningRate,
      l2: settings.l2,
      seed,
    },
    (epoch, loss) => log(`techniques: epoch ${epoch}/${settings.epochs} loss ${loss.toFixed(4)}`),
  );
  const weights = encodeWeights(model, idf);
  const quantized = decodeWeights(weights);
  const K = labels.length;
  return {
    featurizer: config,
    weights,
    quantized,
    score: (text) =>
      activate('softmax', quantizedLogits(quantized, featurizer.transform(text, quantized.idf))).slice(0, K),
  };
}
