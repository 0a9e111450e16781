/**
 * The shape of a recommendation and its stable codes. Clients filter and
 * count by `kind`; codes are never renamed or reused once shipped (add new
 * ones at the end).
 */

/** Every recommendation code, in the order recommendations of equal priority are listed. */
export const RECOMMENDATION_KINDS = [
  /** The CVE is in CISA KEV: exploited in the wild. One per CVE. */
  'cve-known-exploited',
  /** Action for the predicted severity class. Always present, exactly once. */
  'severity-action',
  /** The model was unsure: an analyst should confirm the severity. */
  'low-confidence-review',
  /** The text is unlike the training data: the prediction is less reliable. */
  'anomalous-input-review',
  /** CVEs not in KEV (or KEV not checked): patch on the schedule of the severity. */
  'cve-patch',
  /** Network indicators on no warninglist: block at the perimeter (firewall, proxy, DNS, mail). */
  'indicator-block',
  /** Host artefacts on no warninglist (hashes, paths, registry keys, ...): hunt for them. */
  'indicator-hunt',
  /** Indicators on a warninglist (known benign): do not block them. */
  'indicator-warninglisted',
  /** A technique with known ATT&CK mitigations: apply them. One per technique. */
  'technique-mitigate',
  /** A technique without mitigations in the graph: hunt for its behaviour. One per technique. */
  'technique-detect',
] as const;

/** A stable recommendation code. */
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

/** How soon to act, most urgent first. */
export const RECOMMENDATION_PRIORITIES = ['urgent', 'high', 'medium', 'low', 'info'] as const;

/** How soon to act. */
export type RecommendationPriority = (typeof RECOMMENDATION_PRIORITIES)[number];

/** One piece of advice. */
export interface Recommendation {
  /** Stable code, see {@link RECOMMENDATION_KINDS}. */
  kind: RecommendationKind;
  priority: RecommendationPriority;
  /** What to do, one sentence. */
  action: string;
  /** Why: the evidence behind the advice (prediction, catalogue entry, warninglist, ...). */
  reason: string;
  /** What it is about: CVE ids, indicator values, technique ids. Empty for severity and review advice. */
  subjects: string[];
  /**
   * Subjects left out over the cap (0 when none). For kinds given once per item
   * (`cve-known-exploited`, `technique-*`), the last one of the kind carries how
   * many further items were left out.
   */
  omitted: number;
  /** Machine-readable evidence, varying by kind (KEV entry fields, indicator types, mitigations). */
  evidence?: Record<string, unknown>;
}
