import { AppError } from '../../../src/core/index.js';
import type { ModelRef, Predictor, PredictorInput, PredictorOutput } from '../../../src/http/index.js';

/** A deterministic stand-in for the real predictor, with a call counter and a switchable model. */
export interface FakePredictor extends Predictor {
  /** How many times `predict` ran (cache hits do not call it). */
  calls: number;
  /** Loads another model version, or unloads (undefined). */
  setModel(model: ModelRef | undefined): void;
  /** Makes `predict` throw a plain Error for texts containing this marker. */
  failOn: string | undefined;
  /** Makes `predict` answer asynchronously after this many ms (0: synchronously). */
  delayMs: number;
}

const CVE = /CVE-\d{4}-\d{4,7}/g;

/**
 * Severity from keywords (so tests can aim at a class), probabilities that
 * sum to 1, and CVE ids as entities with their offsets. `null`: no model loaded.
 */
export function fakePredictor(model: ModelRef | null = { family: 'fake', version: 'v1' }): FakePredictor {
  let current: ModelRef | undefined = model ?? undefined;
  const fake: FakePredictor = {
    calls: 0,
    failOn: undefined,
    delayMs: 0,
    setModel: (m) => {
      current = m;
    },
    current: () => current,
    models: () =>
      current === undefined
        ? []
        : [
            {
              family: current.family,
              version: current.version,
              active: true,
              holdout: { macroF1: 0.61, accuracy: 0.68 },
            },
          ],
    predict: (input: PredictorInput) =>
      fake.delayMs === 0
        ? answer(input)
        : new Promise<PredictorOutput>((resolve) => setTimeout(() => resolve(answer(input)), fake.delayMs)),
  };
  const answer = (input: PredictorInput): PredictorOutput => {
    if (current === undefined) throw new AppError('CS_ERR_MODEL_NOT_LOADED', 'no model');
    if (fake.failOn !== undefined && input.text.includes(fake.failOn)) throw new Error('model bug');
    fake.calls++;
    const t = input.text.toLowerCase();
    const severity = t.includes('remote code execution')
      ? 'critical'
      : t.includes('overflow')
        ? 'high'
        : t.includes('denial of service')
          ? 'medium'
          : t.includes('information')
            ? 'low'
            : 'informational';
    const probabilities = { critical: 0.1, high: 0.1, medium: 0.1, low: 0.1, informational: 0.1 };
    probabilities[severity] = 0.6;
    const matches = [...input.text.matchAll(CVE)].map((m) => ({
      type: 'cve',
      value: m[0],
      raw: m[0],
      start: m.index ?? 0,
      end: (m.index ?? 0) + m[0].length,
      warninglists: [],
    }));
    return {
      model: current,
      severity,
      probabilities,
      confidence: 0.6,
      anomalyScore: null,
      entities: { cves: [...new Set(matches.map((m) => m.value))], matches },
      techniques: [],
      explanation: null,
      recommendations: [{ action: 'review', reason: `predicted ${severity}` }],
    };
  };
  return fake;
}
