import Type, { type Static } from 'typebox';
import type { FeedbackAgreement, LabelledObservation } from '../../store/index.js';
import { mcnemarExact, twoProportionZ } from './significance.js';

const Num = Type.Number();
const NullableNum = Type.Union([Num, Type.Null()]);
const Latency = Type.Union([
  Type.Object({ p50: Num, p95: Num, mean: Num }, { additionalProperties: false }),
  Type.Null(),
]);

/** A canary or shadow experiment's figures and verdict, as the API and CLI report them. */
export const ExperimentReportSchema = Type.Object(
  {
    family: Type.String(),
    candidateVersion: Type.String(),
    role: Type.Union([Type.Literal('canary'), Type.Literal('shadow')]),
    /** Active versions the candidate was compared with (usually one). */
    activeVersions: Type.Array(Type.String()),
    /** Paired observations read (most recent first, up to the limit). */
    observations: Type.Integer({ minimum: 0 }),
    /** Whose answer clients got, among the observations. */
    served: Type.Object(
      { candidate: Type.Integer(), active: Type.Integer() },
      { additionalProperties: false },
    ),
    /** Share of observations where candidate and active predicted the same class. */
    agreement: NullableNum,
    latencyMs: Type.Object({ candidate: Latency, active: Latency }, { additionalProperties: false }),
    /** Accuracy of both on the observed texts analysts labelled (paired). */
    feedback: Type.Object(
      {
        labelled: Type.Integer({ minimum: 0 }),
        candidateAccuracy: NullableNum,
        activeAccuracy: NullableNum,
        /** Labelled texts only the candidate got right. */
        candidateOnly: Type.Integer({ minimum: 0 }),
        /** Labelled texts only the active model got right. */
        activeOnly: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    /** McNemar's exact test on the paired labelled texts. */
    test: Type.Object(
      {
        name: Type.Literal('mcnemar-exact'),
        pValue: Num,
        alpha: Num,
        significant: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    /**
     * Two-proportion z-test of the feedback agreement of the predictions each
     * version served (canary: the requests it answered); null for a shadow or
     * without feedback on both.
     */
    servedTest: Type.Union([
      Type.Object(
        {
          name: Type.Literal('two-proportion-z'),
          candidate: Type.Object(
            { total: Type.Integer(), agreed: Type.Integer() },
            { additionalProperties: false },
          ),
          active: Type.Object(
            { total: Type.Integer(), agreed: Type.Integer() },
            { additionalProperties: false },
          ),
          z: Num,
          pValue: Num,
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    /** `better`, `worse`, `no-difference` (not significant) or `insufficient-data` (no labelled discordant pair). */
    verdict: Type.Union([
      Type.Literal('better'),
      Type.Literal('worse'),
      Type.Literal('no-difference'),
      Type.Literal('insufficient-data'),
    ]),
    /** The verdict in one sentence, with the p-value. */
    summary: Type.String(),
  },
  { additionalProperties: false },
);

/** An experiment report. */
export type ExperimentReport = Static<typeof ExperimentReportSchema>;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function latency(values: number[]): ExperimentReport['latencyMs']['candidate'] {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    mean: round(values.reduce((s, v) => s + v, 0) / values.length),
  };
}

/** What {@link buildExperimentReport} reads. */
export interface ExperimentReportInput {
  family: string;
  candidateVersion: string;
  role: 'canary' | 'shadow';
  /** Observations of the candidate, each with the latest label of its text (newest first). */
  observations: readonly LabelledObservation[];
  /** Feedback agreement per model version (for the served-traffic test of a canary). */
  agreement: readonly FeedbackAgreement[];
  /** Significance level. Default 0.05. */
  alpha?: number;
}

/**
 * Compares a canary or shadow with the active model: agreement, latency,
 * paired accuracy on the texts analysts labelled, and McNemar's exact test
 * (does the candidate get right significantly more of the texts on which the
 * two disagree in correctness?). For a canary, also a two-proportion z-test
 * of the feedback agreement of the traffic each version served. Pure.
 */
export function buildExperimentReport(input: ExperimentReportInput): ExperimentReport {
  const alpha = input.alpha ?? 0.05;
  const obs = input.observations;
  let agree = 0;
  let servedCandidate = 0;
  const candidateMs: number[] = [];
  const activeMs: number[] = [];
  const activeVersions = new Set<string>();
  // One paired outcome per labelled text (the newest observation of it).
  const labelled = new Map<string, { candidate: boolean; active: boolean }>();
  for (const o of obs) {
    activeVersions.add(o.activeVersion);
    if (o.candidateSeverity === o.activeSeverity) agree++;
    if (o.served === 'candidate') servedCandidate++;
    candidateMs.push(o.candidateLatencyMs);
    activeMs.push(o.activeLatencyMs);
    if (o.correctLabel !== null && !labelled.has(o.textSha256)) {
      labelled.set(o.textSha256, {
        candidate: o.candidateSeverity === o.correctLabel,
        active: o.activeSeverity === o.correctLabel,
      });
    }
  }
  let candidateRight = 0;
  let activeRight = 0;
  let candidateOnly = 0;
  let activeOnly = 0;
  for (const l of labelled.values()) {
    if (l.candidate) candidateRight++;
    if (l.active) activeRight++;
    if (l.candidate && !l.active) candidateOnly++;
    if (l.active && !l.candidate) activeOnly++;
  }
  const n = labelled.size;
  const test = mcnemarExact(candidateOnly, activeOnly);
  const significant = test.pValue < alpha;
  let servedTest: ExperimentReport['servedTest'] = null;
  if (input.role === 'canary' && activeVersions.size > 0) {
    const find = (v: string) =>
      input.agreement.find((a) => a.modelFamily === input.family && a.modelVersion === v);
    const c = find(input.candidateVersion);
    const activeVersion = [...activeVersions][0]!;
    const a = find(activeVersion);
    if (c !== undefined && a !== undefined && c.total > 0 && a.total > 0) {
      const z = twoProportionZ(c.agreed, c.total, a.agreed, a.total);
      servedTest = {
        name: 'two-proportion-z',
        candidate: { total: c.total, agreed: c.agreed },
        active: { total: a.total, agreed: a.agreed },
        z: z.z,
        pValue: z.pValue,
      };
    }
  }
  const who = input.role === 'canary' ? 'The canary' : 'The shadow';
  let verdict: ExperimentReport['verdict'];
  let summary: string;
  const p = test.pValue.toPrecision(3);
  if (candidateOnly + activeOnly === 0) {
    verdict = 'insufficient-data';
    summary = `${who} ${input.candidateVersion} cannot be judged yet: ${n} labelled texts, none on which exactly one model is right (McNemar p = 1).`;
  } else if (!significant) {
    verdict = 'no-difference';
    summary = `${who} ${input.candidateVersion} is not significantly different from the active model: right alone on ${candidateOnly} vs ${activeOnly} of ${n} labelled texts, McNemar exact p = ${p} (alpha ${alpha}).`;
  } else if (candidateOnly > activeOnly) {
    verdict = 'better';
    summary = `${who} ${input.candidateVersion} is better: right alone on ${candidateOnly} vs ${activeOnly} of ${n} labelled texts, McNemar exact p = ${p} < ${alpha}.`;
  } else {
    verdict = 'worse';
    summary = `${who} ${input.candidateVersion} is worse: right alone on ${candidateOnly} vs ${activeOnly} of ${n} labelled texts, McNemar exact p = ${p} < ${alpha}.`;
  }
  return {
    family: input.family,
    candidateVersion: input.candidateVersion,
    role: input.role,
    activeVersions: [...activeVersions],
    observations: obs.length,
    served: { candidate: servedCandidate, active: obs.length - servedCandidate },
    agreement: obs.length === 0 ? null : agree / obs.length,
    latencyMs: { candidate: latency(candidateMs), active: latency(activeMs) },
    feedback: {
      labelled: n,
      candidateAccuracy: n === 0 ? null : candidateRight / n,
      activeAccuracy: n === 0 ? null : activeRight / n,
      candidateOnly,
      activeOnly,
    },
    test: { name: 'mcnemar-exact', pValue: test.pValue, alpha, significant },
    servedTest,
    verdict,
    summary,
  };
}
