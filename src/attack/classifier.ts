import type { LabelledUnit, UnitSource } from './data/corpus.js';
import { type FeaturizerConfig, fitIdf, HashingFeaturizer, type SparseVector } from './featurizer.js';
import { type HiddenNetwork, hiddenProbabilities, trainHiddenNetwork } from './hidden-network.js';
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
    'attack-description': settings.descriptionWeight,
  };
  return bySource[unit.source];
}

/**
 * Per-technique weight multipliers under `settings.classWeightPower`: (median count /
 * count)^power over the used technique-bearing units, never below 1 (frequent techniques
 * keep their weight; rare ones gain). All 1 when the power is 0.
 */
export function classWeights(
  units: readonly LabelledUnit[],
  labels: readonly string[],
  settings: TechniqueTrainingSettings,
): Float64Array {
  const out = new Float64Array(labels.length).fill(1);
  if (settings.classWeightPower <= 0) return out;
  const index = new Map(labels.map((l, i) => [l, i]));
  const count = new Float64Array(labels.length);
  for (const u of units) {
    if (unitWeight(u, settings) <= 0) continue;
    for (const t of u.techniques) {
      const k = index.get(t);
      if (k !== undefined) count[k] = (count[k] as number) + 1;
    }
  }
  const sorted = [...count].filter((c) => c > 0).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 1;
  for (let k = 0; k < labels.length; k++) {
    const c = count[k] as number;
    if (c > 0) out[k] = Math.max(1, (median / c) ** settings.classWeightPower);
  }
  return out;
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
  const classWeight = classWeights(units, labels, settings);
  const out: TrainExample[] = [];
  for (const u of units) {
    const weight = unitWeight(u, settings);
    if (weight <= 0) continue;
    const targets = u.techniques.map((t) => index.get(t)).filter((i): i is number => i !== undefined);
    const boost = targets.reduce((m, k) => Math.max(m, classWeight[k] as number), 1);
    out.push({
      x: vectorize(u.text),
      targets: targets.length > 0 ? targets : [labels.length],
      weight: targets.length > 0 && settings.classWeightPower > 0 ? weight * boost : weight,
    });
  }
  return out;
}

/** The featuriser, its idf fitted on the used units, and the training examples. */
interface PreparedTraining {
  config: FeaturizerConfig;
  featurizer: HashingFeaturizer;
  idf: Float32Array;
  examples: TrainExample[];
}

function prepareTraining(
  units: readonly LabelledUnit[],
  labels: readonly string[],
  settings: TechniqueTrainingSettings,
  log: (line: string) => void,
): PreparedTraining {
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
  return { config, featurizer, idf, examples };
}

/** A trained hidden-layer classifier (float32 weights; no shipped format yet). */
export interface FittedHiddenClassifier {
  featurizer: FeaturizerConfig;
  idf: Float32Array;
  network: HiddenNetwork;
  /** Scores of each label for a text. */
  score(text: string): Float32Array;
}

/**
 * Trains the hidden-layer alternative (`settings.hidden` > 0) on the same features and
 * examples as {@link fitClassifier}.
 */
export function fitHiddenClassifier(
  units: readonly LabelledUnit[],
  labels: readonly string[],
  settings: TechniqueTrainingSettings,
  seed: number,
  log: (line: string) => void = () => {},
): FittedHiddenClassifier {
  if (settings.hidden <= 0) throw new RangeError('fitHiddenClassifier needs settings.hidden > 0');
  const { config, featurizer, idf, examples } = prepareTraining(units, labels, settings, log);
  const network = trainHiddenNetwork(examples, config.dim, labels.length + 1, settings, seed, (epoch, loss) =>
    log(
      `techniques: hidden ${settings.hidden} epoch ${epoch}/${settings.hiddenEpochs} loss ${loss.toFixed(4)}`,
    ),
  );
  const scratch = new Float32Array(settings.hidden);
  const K = labels.length;
  return {
    featurizer: config,
    idf,
    network,
    score: (text) => hiddenProbabilities(network, featurizer.transform(text, idf), scratch).slice(0, K),
  };
}

/** Trains on `units` (their weights from `settings`), quantises, and returns the shipped classifier. */
export function fitClassifier(
  units: readonly LabelledUnit[],
  labels: readonly string[],
  settings: TechniqueTrainingSettings,
  seed: number,
  log: (line: string) => void = () => {},
): FittedClassifier {
  const { config, featurizer, idf, examples } = prepareTraining(units, labels, settings, log);
  // `seeds` runs differ only in the order SGD visits the examples; their mean is again one
  // linear model (the mean of the logits), so the shipped format does not change.
  let model: LinearModel | undefined;
  for (let r = 0; r < settings.seeds; r++) {
    const run = trainLinear(
      examples,
      config.dim,
      labels.length + 1,
      {
        output: 'softmax',
        epochs: settings.epochs,
        learningRate: settings.learningRate,
        l2: settings.l2,
        seed: seed + r,
        averageFrom: settings.averageFrom,
      },
      (epoch, loss) =>
        log(
          `techniques: run ${r + 1}/${settings.seeds} epoch ${epoch}/${settings.epochs} loss ${loss.toFixed(4)}`,
        ),
    );
    if (model === undefined) model = run;
    else {
      for (let i = 0; i < run.weights.length; i++)
        model.weights[i] = (model.weights[i] as number) + (run.weights[i] as number);
      for (let k = 0; k < run.bias.length; k++)
        model.bias[k] = (model.bias[k] as number) + (run.bias[k] as number);
    }
  }
  if (model === undefined) throw new RangeError('seeds must be at least 1');
  if (settings.seeds > 1) {
    for (let i = 0; i < model.weights.length; i++)
      model.weights[i] = (model.weights[i] as number) / settings.seeds;
    for (let k = 0; k < model.bias.length; k++) model.bias[k] = (model.bias[k] as number) / settings.seeds;
  }
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
