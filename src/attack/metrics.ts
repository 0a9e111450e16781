import { alignAllToDepth } from './technique-id.js';

/**
 * Multi-label scores of technique predictions against labelled sentences, with ids
 * compared at the depth the data gives (see {@link alignAllToDepth}).
 */

/** Counts and scores of one technique. */
export interface TechniqueScore {
  /** Examples whose labels name it. */
  support: number;
  /** Examples it was predicted for (after depth alignment). */
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** What `eval --task techniques` prints. Scores are in [0, 1]; 0 where undefined (no prediction, no support). */
export interface TechniqueEvaluation {
  /** Examples scored. */
  n: number;
  /** F1 over all (example, technique) decisions pooled. */
  microF1: number;
  /** Mean F1 over the techniques the data names (support > 0). */
  macroF1: number;
  /** Pooled precision. */
  precision: number;
  /** Pooled recall. */
  recall: number;
  /** Examples whose predicted set equals their label set exactly (both empty counts). */
  exactMatch: number;
  /** Examples labelled with no technique, and how many of them got no prediction. */
  noTechnique: { n: number; correct: number };
  /** Per technique id, sorted by id; includes ids only predicted, never named. */
  perTechnique: Record<string, TechniqueScore>;
}

/** One scored example: its labels and the model's predictions. */
export interface ScoredExample {
  gold: readonly string[];
  predicted: readonly string[];
}

function f1Of(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** Scores `examples`. The depth vocabulary is every id the labels name. */
export function evaluateTechniques(examples: readonly ScoredExample[]): TechniqueEvaluation {
  const vocabulary = new Set<string>();
  for (const e of examples) for (const g of e.gold) vocabulary.add(g);
  const counts = new Map<string, { support: number; predicted: number; tp: number }>();
  const entry = (id: string) => {
    let c = counts.get(id);
    if (c === undefined) {
      c = { support: 0, predicted: 0, tp: 0 };
      counts.set(id, c);
    }
    return c;
  };
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let exact = 0;
  let noneN = 0;
  let noneCorrect = 0;
  for (const e of examples) {
    const gold = new Set(e.gold);
    const predicted = alignAllToDepth(e.predicted, gold, vocabulary);
    let same = gold.size === predicted.size;
    for (const g of gold) {
      entry(g).support++;
      if (predicted.has(g)) {
        tp++;
        entry(g).tp++;
      } else {
        fn++;
        same = false;
      }
    }
    for (const p of predicted) {
      entry(p).predicted++;
      if (!gold.has(p)) fp++;
    }
    if (same) exact++;
    if (gold.size === 0) {
      noneN++;
      if (predicted.size === 0) noneCorrect++;
    }
  }
  const perTechnique: Record<string, TechniqueScore> = {};
  let macroSum = 0;
  let macroN = 0;
  for (const id of [...counts.keys()].sort()) {
    const c = counts.get(id)!;
    const precision = c.predicted === 0 ? 0 : c.tp / c.predicted;
    const recall = c.support === 0 ? 0 : c.tp / c.support;
    const f1 = f1Of(precision, recall);
    perTechnique[id] = {
      support: c.support,
      predicted: c.predicted,
      truePositives: c.tp,
      precision,
      recall,
      f1,
    };
    if (c.support > 0) {
      macroSum += f1;
      macroN++;
    }
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    n: examples.length,
    microF1: f1Of(precision, recall),
    macroF1: macroN === 0 ? 0 : macroSum / macroN,
    precision,
    recall,
    exactMatch: examples.length === 0 ? 0 : exact / examples.length,
    noTechnique: { n: noneN, correct: noneCorrect },
    perTechnique,
  };
}
