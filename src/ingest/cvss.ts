/**
 * CVSS v3 base metrics: parsing a vector string and the CVSS 3.1 base score
 * formula (FIRST, CVSS v3.1 specification, section 7.1 and appendix A).
 */

/** The eight base metrics and their allowed values, in vector order. */
export const CVSS_METRICS = Object.freeze({
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
} as const);

/** A base metric name. */
export type CvssMetric = keyof typeof CVSS_METRICS;

/** The metric names in vector order. */
export const CVSS_METRIC_NAMES = Object.freeze(Object.keys(CVSS_METRICS) as CvssMetric[]);

/** Values of the eight base metrics, each one letter of {@link CVSS_METRICS}. */
export type CvssBaseMetrics = { [M in CvssMetric]: (typeof CVSS_METRICS)[M][number] };

/** A CVSS v3 base assessment as a record carries it. */
export interface CvssV3 {
  version: '3.0' | '3.1';
  /** `CVSS:3.1/AV:N/AC:L/...` */
  vector: string;
  /** The publisher's base score, 0.0-10.0. */
  baseScore: number;
  /** The eight base metrics parsed from `vector`; absent when the vector is malformed. */
  metrics?: CvssBaseMetrics;
}

/**
 * Parses the base metrics of a CVSS v3.x vector (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`).
 * Temporal and environmental metrics are ignored. Returns undefined when a base metric is
 * missing or has a value outside the specification.
 */
export function parseCvssVector(vector: string): CvssBaseMetrics | undefined {
  const parts = vector.trim().split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const found: Partial<Record<CvssMetric, string>> = {};
  for (const part of parts.slice(1)) {
    const [key, value] = part.split(':');
    if (key === undefined || value === undefined) return undefined;
    if (key in CVSS_METRICS) found[key as CvssMetric] = value;
  }
  for (const m of CVSS_METRIC_NAMES) {
    const v = found[m];
    if (v === undefined || !(CVSS_METRICS[m] as readonly string[]).includes(v)) return undefined;
  }
  return found as CvssBaseMetrics;
}

const WEIGHT = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** CVSS 3.1 Roundup: the smallest number with one decimal that is >= x, robust to float error. */
export function cvssRoundup(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** The CVSS 3.1 base score (0.0-10.0) of a set of base metrics. */
export function cvssBaseScore(m: CvssBaseMetrics): number {
  const changed = m.S === 'C';
  const pr = m.PR === 'N' ? 0.85 : m.PR === 'L' ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
  const iss = 1 - (1 - WEIGHT.CIA[m.C]) * (1 - WEIGHT.CIA[m.I]) * (1 - WEIGHT.CIA[m.A]);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * WEIGHT.AV[m.AV] * WEIGHT.AC[m.AC] * pr * WEIGHT.UI[m.UI];
  if (impact <= 0) return 0;
  return changed
    ? cvssRoundup(Math.min(1.08 * (impact + exploitability), 10))
    : cvssRoundup(Math.min(impact + exploitability, 10));
}
