import { type SlotDefinition, saturate } from './slot.js';
import {
  CLAUSE_BREAKS,
  HEDGES,
  NEGATION_WINDOW,
  NEGATORS,
  TONE_LEXICON,
  type TonePhrase,
} from './tone-lexicon.js';

/** The tone family's slots (75-79), in order. */
export const TONE_SLOTS: readonly SlotDefinition[] = Object.freeze([
  {
    name: 'tone.urgency',
    description:
      'Alarming language: exploitation in the wild, zero-day, public exploit, calls to act now, and negated remedies ("no patch is available").',
    range: [0, 1],
    normalisation: '1 - exp(-U/3), U = summed lexicon weights (about 3 for one decisive phrase)',
  },
  {
    name: 'tone.reassurance',
    description:
      'Reassuring language: patch or fix available, mitigations, workarounds, disputed, and negated threats ("no known exploitation").',
    range: [0, 1],
    normalisation: '1 - exp(-R/3), R = summed lexicon weights',
  },
  {
    name: 'tone.sentiment',
    description: 'Balance of the two: above 0 reassuring, below 0 alarming, 0 neutral or absent.',
    range: [-1, 1],
    normalisation: '(R - U) / (R + U + 1)',
  },
  {
    name: 'tone.exploitation_evidence',
    description:
      'Whether the text states exploitation in the wild: 1 stated, -1 explicitly denied ("has not been exploited"), 0 not mentioned.',
    range: [-1, 1],
    normalisation: 'three-valued; a stated phrase wins over a denied one',
  },
  {
    name: 'tone.hedging',
    description:
      'Modal hedges (may, might, could, potentially, possibly): how conditional the impact is stated.',
    range: [0, 1],
    normalisation: 'saturating count 1 - 0.5^n',
  },
]);

/** Phrases indexed by their first token, longest first, built once. */
function buildIndex(lexicon: readonly TonePhrase[]): Map<string, { words: string[]; entry: TonePhrase }[]> {
  const index = new Map<string, { words: string[]; entry: TonePhrase }[]>();
  for (const entry of lexicon) {
    const words = entry.phrase.split(' ');
    const first = words[0]!;
    const list = index.get(first) ?? [];
    list.push({ words, entry });
    index.set(first, list);
  }
  for (const list of index.values()) list.sort((a, b) => b.words.length - a.words.length);
  return index;
}

const INDEX = buildIndex(TONE_LEXICON);

/** Words, contractions and clause punctuation, in order. Hyphens and other symbols split words. */
const TONE_TOKEN = /[a-z0-9]+(?:['\u2019][a-z]+)?|[.,;:!?]/g;

/** Splits lower-case text into the tokens the tone lexicon is matched on (curly apostrophes straightened). */
export function toneTokens(lower: string): string[] {
  const out: string[] = [];
  for (const m of lower.matchAll(TONE_TOKEN)) out.push(m[0].replace('\u2019', "'"));
  return out;
}

function isNegated(tokens: readonly string[], start: number): boolean {
  for (let k = start - 1; k >= 0 && k >= start - NEGATION_WINDOW; k--) {
    const t = tokens[k]!;
    if (CLAUSE_BREAKS.has(t)) return false;
    if (NEGATORS.has(t)) return true;
  }
  return false;
}

/** What the tone lexicon found in one text, before normalisation. */
export interface ToneCounts {
  urgency: number;
  reassurance: number;
  evidenceStated: boolean;
  evidenceDenied: boolean;
  hedges: number;
}

/** Matches the lexicon over tone tokens (longest phrase first, no overlaps) with negation flipping polarity. */
export function scoreTone(tokens: readonly string[]): ToneCounts {
  const counts: ToneCounts = {
    urgency: 0,
    reassurance: 0,
    evidenceStated: false,
    evidenceDenied: false,
    hedges: 0,
  };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (HEDGES.has(token)) counts.hedges++;
    const candidates = INDEX.get(token);
    let matched = 0;
    if (candidates) {
      for (const { words, entry } of candidates) {
        if (i + words.length > tokens.length) continue;
        let ok = true;
        for (let w = 1; w < words.length; w++) {
          if (tokens[i + w] !== words[w]) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        const negated = isNegated(tokens, i);
        const urgent = (entry.polarity === 'urgent') !== negated;
        if (urgent) counts.urgency += entry.weight;
        else counts.reassurance += entry.weight;
        if (entry.evidence) {
          if (negated) counts.evidenceDenied = true;
          else counts.evidenceStated = true;
        }
        matched = words.length;
        break;
      }
    }
    i += matched > 0 ? matched : 1;
  }
  return counts;
}

/** Writes the tone slots for `lower` (the lower-cased text) into `out` from `offset`. */
export function writeTone(lower: string, out: Float32Array, offset: number): void {
  const c = scoreTone(toneTokens(lower));
  out[offset] = 1 - Math.exp(-c.urgency / 3);
  out[offset + 1] = 1 - Math.exp(-c.reassurance / 3);
  out[offset + 2] = (c.reassurance - c.urgency) / (c.reassurance + c.urgency + 1);
  out[offset + 3] = c.evidenceStated ? 1 : c.evidenceDenied ? -1 : 0;
  out[offset + 4] = saturate(c.hedges);
}
