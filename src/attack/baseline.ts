import { toExamples, unitWeight } from './classifier.js';
import type { LabelledUnit } from './data/corpus.js';
import type { SparseVector } from './featurizer.js';
import { probabilities, trainLinear } from './linear-model.js';
import type { TechniqueTrainingSettings } from './settings.js';

/**
 * The reference baseline: scikit-learn's `TfidfVectorizer()` with its defaults
 * (lower-case, tokens of two or more word characters, unigrams, raw tf, smoothed idf,
 * L2 norm) over an exact vocabulary fitted on the training text. Paired with the same
 * logistic-regression trainer, it is the "TF-IDF + logistic regression" model of TRAM.
 */
export class VocabularyTfidf {
  private readonly index = new Map<string, number>();
  private idf = new Float32Array(0);

  private static tokens(text: string): string[] {
    return text.toLowerCase().match(/\b\w\w+\b/g) ?? [];
  }

  /** Number of terms in the fitted vocabulary. */
  get dim(): number {
    return this.index.size;
  }

  /** Fits the vocabulary and idf on `texts`. */
  fit(texts: readonly string[]): this {
    const df = new Map<string, number>();
    for (const t of texts)
      for (const w of new Set(VocabularyTfidf.tokens(t))) df.set(w, (df.get(w) ?? 0) + 1);
    const terms = [...df.keys()].sort();
    this.idf = new Float32Array(terms.length);
    terms.forEach((w, i) => {
      this.index.set(w, i);
      this.idf[i] = Math.log((1 + texts.length) / (1 + (df.get(w) as number))) + 1;
    });
    return this;
  }

  /** The TF-IDF vector of `text`; unknown words are ignored. */
  transform(text: string): SparseVector {
    const counts = new Map<number, number>();
    for (const w of VocabularyTfidf.tokens(text)) {
      const i = this.index.get(w);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    let norm = 0;
    for (const [i, c] of counts) {
      const v = c * (this.idf[i] as number);
      counts.set(i, v);
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const indices = new Uint32Array(counts.size);
    const values = new Float32Array(counts.size);
    let k = 0;
    for (const [i, v] of counts) {
      indices[k] = i;
      values[k] = v * scale;
      k++;
    }
    return { indices, values };
  }
}

/** A trained baseline: scores of each label for a text. */
export interface BaselineScorer {
  score(text: string): Float32Array;
  /** Vocabulary size. */
  vocabulary: number;
}

/**
 * Trains the baseline on the same units and example weights as the model: softmax
 * logistic regression with scikit-learn's penalty convention (`baselineC`: L2 of 1/(C·n) per example).
 */
export function trainBaseline(
  units: readonly LabelledUnit[],
  labels: readonly string[],
  settings: TechniqueTrainingSettings,
  seed: number,
  log: (line: string) => void = () => {},
): BaselineScorer {
  const used = units.filter((u) => unitWeight(u, settings) > 0);
  const tfidf = new VocabularyTfidf().fit(used.map((u) => u.text));
  const examples = toExamples(used, labels, settings, (t) => tfidf.transform(t));
  log(`baseline: TF-IDF vocabulary ${tfidf.dim} words, ${examples.length} examples`);
  const model = trainLinear(
    examples,
    tfidf.dim,
    labels.length + 1,
    {
      output: 'softmax',
      epochs: settings.baselineEpochs,
      learningRate: settings.learningRate,
      l2: 1 / (settings.baselineC * examples.length),
      seed,
    },
    (epoch, loss) => log(`baseline: epoch ${epoch}/${settings.baselineEpochs} loss ${loss.toFixed(4)}`),
  );
  return {
    vocabulary: tfidf.dim,
    score: (text) => probabilities(model, tfidf.transform(text)).slice(0, labels.length),
  };
}
