import { SEVERITY_CLASSES, type SeverityClass } from '../../ingest/index.js';
import { type CalibrationReport, calibrationReport } from './calibration.js';
import { type ClassMetrics, classificationReport, selectiveAccuracy } from './metrics.js';

/** Coverages at which selective accuracy is reported. */
export const SELECTIVE_COVERAGES = Object.freeze(['0.5', '0.8', '1.0'] as const);

/** The evaluation of a severity model on labelled examples (the `eval` command's JSON contract). */
export interface SeverityEvaluation {
  /** Examples evaluated. */
  n: number;
  accuracy: number;
  macroF1: number;
  /** Per class name: precision, recall, f1, support. */
  perClass: Record<string, ClassMetrics>;
  /** Class names in the order of the confusion matrix rows (truth) and columns (prediction). */
  classes: string[];
  confusion: number[][];
  /** Expected calibration error of the top-class confidence, 15 equal-width bins. */
  ece: number;
  /** Accuracy on the most confident 50 %, 80 % and 100 % of the examples. */
  selective: Record<(typeof SELECTIVE_COVERAGES)[number], number>;
  /** The reliability table behind `ece`. */
  calibration: CalibrationReport['bins'];
}

/**
 * Evaluates predicted probability vectors (in SEVERITY_CLASSES order) against
 * true classes. With `classes: 4` the task is the four CVSS classes of the
 * reference figures: examples whose truth is informational are left out and
 * each prediction is the argmax over critical, high, medium and low with the
 * probabilities renormalised over those four.
 */
export function evaluateSeverity(
  truth: readonly SeverityClass[],
  probabilities: readonly ArrayLike<number>[],
  options: { classes: 4 | 5 } = { classes: 5 },
): SeverityEvaluation {
  const k = options.classes;
  const t: number[] = [];
  const p: number[] = [];
  const conf: number[] = [];
  truth.forEach((label, i) => {
    const ti = SEVERITY_CLASSES.indexOf(label);
    if (ti >= k) return;
    const probs = probabilities[i] as ArrayLike<number>;
    let sum = 0;
    let best = 0;
    for (let c = 0; c < k; c++) {
      sum += probs[c] as number;
      if ((probs[c] as number) > (probs[best] as number)) best = c;
    }
    t.push(ti);
    p.push(best);
    conf.push(sum > 0 ? (probs[best] as number) / sum : 1 / k);
  });
  const rep = classificationReport(t, p, k);
  const correct = t.map((ti, i) => ti === p[i]);
  const cal = calibrationReport(conf, correct);
  const classes = SEVERITY_CLASSES.slice(0, k);
  return {
    n: rep.n,
    accuracy: rep.accuracy,
    macroF1: rep.macroF1,
    perClass: Object.fromEntries(classes.map((c, i) => [c, rep.perClass[i] as ClassMetrics])),
    classes: [...classes],
    confusion: rep.confusion,
    ece: cal.ece,
    selective: {
      '0.5': selectiveAccuracy(correct, conf, 0.5),
      '0.8': selectiveAccuracy(correct, conf, 0.8),
      '1.0': selectiveAccuracy(correct, conf, 1),
    },
    calibration: cal.bins,
  };
}
