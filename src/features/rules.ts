import { CLAUSE_BREAKS, NEGATION_WINDOW, NEGATORS } from './tone-lexicon.js';

/**
 * A text rule of the keyword and pattern families: a global regular
 * expression over the lower-cased text. Patterns are written without nested
 * unbounded quantifiers so matching stays linear on hostile input.
 */
export interface TextRule {
  /** Slot name the rule feeds. */
  name: string;
  /** What the rule detects (copied into the spec). */
  description: string;
  /** A global (`g`) regular expression over lower-case text (its `lastIndex` is used while counting). */
  pattern: RegExp;
  /**
   * When set, a match preceded by a negator in its clause ("does not require
   * authentication") is not counted for this rule but for the rule named here,
   * or dropped when the value is `'drop'`.
   */
  negated?: string;
}

const PRECEDING_CHARS = 48;
const WORDS = /[a-z0-9]+(?:['\u2019][a-z]+)?|[.,;:!?]/g;

/** True when a negator stands within the few words before `start` in the same clause. */
export function negatedAt(lower: string, start: number): boolean {
  const before = lower.slice(Math.max(0, start - PRECEDING_CHARS), start);
  const words = before.match(WORDS);
  if (!words) return false;
  for (let k = words.length - 1, seen = 0; k >= 0 && seen < NEGATION_WINDOW; k--, seen++) {
    const w = words[k]!.replace('\u2019', "'");
    if (CLAUSE_BREAKS.has(w)) return false;
    if (NEGATORS.has(w)) return true;
  }
  return false;
}

/** The index after `i` in `s`: one code point on when `unicode`, else one code unit (AdvanceStringIndex). */
function advance(s: string, i: number, unicode: boolean): number {
  if (!unicode || i + 1 >= s.length) return i + 1;
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return i + 1;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? i + 2 : i + 1;
}

/**
 * Counts every rule's matches in `lower`, moving negated matches to the rule
 * their `negated` field names. Returns counts by rule name.
 */
export function countRules(lower: string, rules: readonly TextRule[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rule of rules) counts.set(rule.name, counts.get(rule.name) ?? 0);
  for (const rule of rules) {
    // An exec loop on the rule's own (global) expression finds the matches `matchAll` finds,
    // without the copy of the expression `matchAll` builds on every call (38 rules a text).
    const re = rule.pattern;
    // matchAll refuses these too; here one would loop for ever.
    if (!re.global) throw new TypeError(`rule ${rule.name}: the pattern must be global (g)`);
    re.lastIndex = 0;
    for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
      // As matchAll does: step over an empty match so the loop moves on.
      if (m[0] === '') re.lastIndex = advance(lower, re.lastIndex, /[uv]/.test(re.flags));
      let target = rule.name;
      if (rule.negated !== undefined && negatedAt(lower, m.index)) {
        if (rule.negated === 'drop') continue;
        target = rule.negated;
      }
      counts.set(target, (counts.get(target) ?? 0) + 1);
    }
  }
  return counts;
}
