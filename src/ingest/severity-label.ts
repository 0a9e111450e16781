/**
 * The severity label set and the mapping from CVSS v3 words to it, exactly as
 * `../shared/data/README.md` defines: CRITICAL, HIGH, MEDIUM, LOW map to the
 * classes of the same name, NONE (score 0.0) maps to informational.
 */

/** The five severity classes, in the fixed order of every probability vector. */
export const SEVERITY_CLASSES = Object.freeze([
  'critical',
  'high',
  'medium',
  'low',
  'informational',
] as const);

/** One severity class. */
export type SeverityClass = (typeof SEVERITY_CLASSES)[number];

/** Number of classes (the length of every probability vector). */
export const SEVERITY_CLASS_COUNT = SEVERITY_CLASSES.length;

const BY_WORD: Readonly<Record<string, SeverityClass>> = Object.freeze({
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  none: 'informational',
  informational: 'informational',
  info: 'informational',
});

/**
 * Maps a severity word to its class, any case: the CVSS v3 `baseSeverity`
 * words (CRITICAL, HIGH, MEDIUM, LOW, NONE), the five class names, and the
 * common synonyms `moderate` and `info`. Returns undefined for anything else.
 */
export function severityFromWord(word: string): SeverityClass | undefined {
  return BY_WORD[word.trim().toLowerCase()];
}

/** Index of a class in {@link SEVERITY_CLASSES}. */
export function severityIndex(label: SeverityClass): number {
  return SEVERITY_CLASSES.indexOf(label);
}

/**
 * The CVSS v3 qualitative rating of a base score (0.0 none, 0.1-3.9 low,
 * 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical), as a class.
 */
export function severityFromScore(score: number): SeverityClass {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'informational';
}
