import type { GateSettings } from '../settings.js';

/** One model's figures for the gate. */
export interface GateModelFigures {
  /** Macro-F1 on the fixed holdout. */
  holdoutMacroF1: number;
  /** Accuracy on the fixed holdout. */
  holdoutAccuracy: number;
  /** Accuracy on the recent feedback held out of training; null without such feedback. */
  feedbackAccuracy: number | null;
}

/** What the gate compares. */
export interface GateInput {
  candidate: GateModelFigures;
  /** The active model's figures on the same data; null when the family has no active model. */
  active: GateModelFigures | null;
  /** Recent feedback items both were scored on. */
  feedbackItems: number;
}

/** One check of the gate. */
export interface GateCheck {
  name: 'holdout-macro-f1' | 'recent-feedback';
  passed: boolean;
  detail: string;
}

/** The gate's decision, stored with the candidate. */
export interface GateDecision {
  passed: boolean;
  checks: GateCheck[];
  /** The failed checks' details (empty when passed). */
  reasons: string[];
  settings: GateSettings;
}

const f = (x: number) => x.toFixed(4);

/**
 * The promotion gate: a candidate passes when its holdout macro-F1 is not
 * lower than the active model's by more than `maxMacroF1Drop`, AND its
 * accuracy on recent held-out feedback beats the active's by more than
 * `minFeedbackGain` on at least `minFeedbackItems` items. Without an active
 * model both checks compare with nothing and pass. Pure.
 */
export function decideGate(settings: GateSettings, input: GateInput): GateDecision {
  const checks: GateCheck[] = [];
  const { candidate, active } = input;
  if (active === null) {
    checks.push({ name: 'holdout-macro-f1', passed: true, detail: 'no active model to compare with' });
    checks.push({ name: 'recent-feedback', passed: true, detail: 'no active model to compare with' });
  } else {
    const floor = active.holdoutMacroF1 - settings.maxMacroF1Drop;
    checks.push({
      name: 'holdout-macro-f1',
      passed: candidate.holdoutMacroF1 >= floor,
      detail: `holdout macro-F1 ${f(candidate.holdoutMacroF1)} vs active ${f(active.holdoutMacroF1)} (allowed drop ${settings.maxMacroF1Drop})`,
    });
    if (
      input.feedbackItems < settings.minFeedbackItems ||
      candidate.feedbackAccuracy === null ||
      active.feedbackAccuracy === null
    ) {
      checks.push({
        name: 'recent-feedback',
        passed: false,
        detail: `${input.feedbackItems} recent feedback items held out, ${settings.minFeedbackItems} needed to judge`,
      });
    } else {
      const gain = candidate.feedbackAccuracy - active.feedbackAccuracy;
      checks.push({
        name: 'recent-feedback',
        passed: gain > settings.minFeedbackGain,
        detail: `recent-feedback accuracy ${f(candidate.feedbackAccuracy)} vs active ${f(active.feedbackAccuracy)} on ${input.feedbackItems} items (gain must exceed ${settings.minFeedbackGain})`,
      });
    }
  }
  const reasons = checks.filter((c) => !c.passed).map((c) => c.detail);
  return { passed: reasons.length === 0, checks, reasons, settings: { ...settings } };
}
