/**
 * Lexicons for the tone of security text, written for advisories, CVE
 * descriptions and threat reports rather than general sentiment (where
 * "critical", "exploit" or "patch" carry no special weight).
 *
 * Each entry is a phrase matched on whole lower-case tokens (hyphens split
 * tokens, so "zero-day" and "zero day" are the same phrase). A phrase preceded
 * by a negator in its clause counts for the other polarity: "no known
 * exploitation" reassures, "no patch is available" alarms.
 */

/** Which way a phrase pushes the tone. */
export type TonePolarity = 'urgent' | 'reassuring';

/** One lexicon phrase. */
export interface TonePhrase {
  /** Lower-case words separated by single spaces (hyphens written as spaces). */
  phrase: string;
  /** Strength, roughly 0.5 (hint) .. 3 (decisive). */
  weight: number;
  polarity: TonePolarity;
  /** True when the phrase states exploitation in the wild (slot `tone.exploitation_evidence`). */
  evidence?: boolean;
}

const urgent = (phrase: string, weight: number, evidence = false): TonePhrase => ({
  phrase,
  weight,
  polarity: 'urgent',
  ...(evidence ? { evidence: true } : {}),
});
const reassuring = (phrase: string, weight: number): TonePhrase => ({
  phrase,
  weight,
  polarity: 'reassuring',
});

/** The tone lexicon. Longer phrases win over their prefixes at the same position. */
export const TONE_LEXICON: readonly TonePhrase[] = Object.freeze([
  // Exploitation observed: the strongest urgency signals.
  urgent('actively exploited', 3, true),
  urgent('active exploitation', 3, true),
  urgent('actively being exploited', 3, true),
  urgent('exploited in the wild', 3, true),
  urgent('exploitation in the wild', 3, true),
  urgent('in the wild', 2, true),
  urgent('under active attack', 3, true),
  urgent('known exploitation', 3, true),
  urgent('known exploited', 3, true),
  urgent('known to be exploited', 3, true),
  urgent('being exploited', 3, true),
  urgent('has been exploited', 3, true),
  urgent('have been exploited', 3, true),
  urgent('been exploited', 3, true),
  urgent('known exploits', 2, true),
  urgent('may have been exploited', 2.5, true),
  urgent('was exploited', 3, true),
  urgent('were exploited', 3, true),
  urgent('exploitation has been observed', 3, true),
  urgent('exploitation was observed', 3, true),
  urgent('observed exploitation', 3, true),
  urgent('limited targeted attacks', 2.5, true),
  urgent('targeted attacks', 2, true),
  urgent('mass exploitation', 3, true),
  urgent('exploitation detected', 3, true),
  urgent('malicious use', 2, true),
  // Capability and exposure.
  urgent('zero day', 2.5),
  urgent('0 day', 2.5),
  urgent('0day', 2.5),
  urgent('weaponized', 2.5),
  urgent('weaponised', 2.5),
  urgent('wormable', 3),
  urgent('ransomware', 2),
  urgent('botnet', 1.5),
  urgent('proof of concept', 1.5),
  urgent('poc', 1.5),
  urgent('exploit code', 1.5),
  urgent('public exploit', 2),
  urgent('public exploits', 2),
  urgent('publicly available exploit', 2),
  urgent('exploit is publicly available', 2),
  urgent('disclosed to the public', 1.5),
  urgent('exploitation is more likely', 1.5),
  urgent('exploitation more likely', 1.5),
  urgent('easily exploitable', 1.5),
  urgent('trivially exploitable', 2),
  urgent('exploitable', 0.5),
  urgent('unpatched', 2),
  // Calls to act.
  urgent('emergency', 2),
  urgent('urgent', 2),
  urgent('urgently', 2),
  urgent('immediately', 1.5),
  urgent('as soon as possible', 1.5),
  urgent('out of band', 1.5),
  urgent('critical', 1),
  urgent('severe', 1),
  // Remedies and limits: reassuring.
  reassuring('patch available', 1.5),
  reassuring('patch is available', 1.5),
  reassuring('patches are available', 1.5),
  reassuring('patched', 1),
  reassuring('fix is available', 1.5),
  reassuring('fixed in', 1),
  reassuring('has been fixed', 1),
  reassuring('was fixed', 1),
  reassuring('is fixed', 1),
  reassuring('has been resolved', 0.5),
  reassuring('addressed', 0.5),
  reassuring('update to', 1),
  reassuring('upgrade to', 1),
  reassuring('upgrading to', 1),
  reassuring('updating to', 1),
  reassuring('mitigated', 1.5),
  reassuring('mitigation', 1),
  reassuring('mitigations', 1),
  reassuring('workaround', 1),
  reassuring('workarounds', 1),
  reassuring('unlikely', 1),
  reassuring('low risk', 1.5),
  reassuring('low severity', 1),
  reassuring('limited impact', 1),
  reassuring('theoretical', 1),
  reassuring('difficult to exploit', 1.5),
  reassuring('exploitability is told to be difficult', 1.5),
  reassuring('hard to exploit', 1.5),
  reassuring('informational', 1),
  reassuring('no evidence of exploitation', 2),
  reassuring('not aware of', 1.5),
  reassuring('disputed', 1.5),
  reassuring('not a security issue', 2),
  reassuring('intended behavior', 1.5),
  reassuring('intended behaviour', 1.5),
  reassuring('by design', 1),
]);

/**
 * Words that negate a phrase when they stand within {@link NEGATION_WINDOW}
 * tokens before it in the same clause ("no known exploitation", "is not aware
 * of any active exploitation", "has not been exploited", "without a patch").
 */
export const NEGATORS: ReadonlySet<string> = new Set([
  'no',
  'not',
  'never',
  'without',
  'none',
  'nor',
  'cannot',
  "can't",
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  "hasn't",
  "haven't",
  "hadn't",
  "doesn't",
  "don't",
  "didn't",
  "won't",
  'unaware',
  'lack',
  'lacks',
  'lacking',
]);

/** How many tokens before a phrase are searched for a negator. */
export const NEGATION_WINDOW = 4;

/** Tokens that end a clause, so negation does not leak across them. */
export const CLAUSE_BREAKS: ReadonlySet<string> = new Set([
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  'but',
  'however',
  'although',
  'though',
  'whereas',
]);

/** Modal and hedging words ("could allow", "may lead to"): counted for `tone.hedging`. */
export const HEDGES: ReadonlySet<string> = new Set([
  'may',
  'might',
  'could',
  'potentially',
  'possibly',
  'perhaps',
]);
