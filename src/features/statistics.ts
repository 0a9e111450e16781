import { logScale, type SlotDefinition } from './slot.js';

/** The statistics family's slots (80-89), in order. */
export const STATISTICS_SLOTS: readonly SlotDefinition[] = Object.freeze([
  {
    name: 'stats.length',
    description: 'Length of the text in characters (UTF-16 code units).',
    range: [0, 2],
    normalisation: 'ln(1+chars)/ln(1+10000), capped at 2',
  },
  {
    name: 'stats.words',
    description: 'Number of words (runs of letters or digits).',
    range: [0, 2],
    normalisation: 'ln(1+words)/ln(1+2000), capped at 2',
  },
  {
    name: 'stats.sentences',
    description: 'Number of sentences (ends: . ! ? followed by space or end, or a blank line).',
    range: [0, 2],
    normalisation: 'ln(1+sentences)/ln(1+100), capped at 2',
  },
  {
    name: 'stats.mean_word_length',
    description: 'Mean word length in characters.',
    range: [0, 2],
    normalisation: 'mean / 10, capped at 2',
  },
  {
    name: 'stats.mean_sentence_words',
    description: 'Mean number of words per sentence.',
    range: [0, 2],
    normalisation: 'mean / 50, capped at 2',
  },
  {
    name: 'stats.digit_ratio',
    description: 'Share of characters that are ASCII digits (versions, ids, addresses).',
    range: [0, 1],
    normalisation: 'digits / chars',
  },
  {
    name: 'stats.uppercase_ratio',
    description: 'Share of letters that are upper case (acronyms, product names, shouting).',
    range: [0, 1],
    normalisation: 'upper-case letters / letters',
  },
  {
    name: 'stats.punctuation_ratio',
    description:
      'Share of characters that are neither letters, digits nor white space (code, paths, markup).',
    range: [0, 1],
    normalisation: 'symbols / chars',
  },
  {
    name: 'stats.type_token_ratio',
    description: 'Distinct words over words, case-insensitive (lexical variety; low for repetitive text).',
    range: [0, 1],
    normalisation: 'distinct / words; 0 for no words',
  },
  {
    name: 'stats.technical_token_ratio',
    description:
      'Share of white-space separated tokens that look technical: identifiers with _ or ::, calls (), paths with / or \\, dotted versions or names, camelCase.',
    range: [0, 1],
    normalisation: 'technical tokens / tokens',
  },
]);

const WORD = /[\p{L}\p{N}]+/gu;
const SENTENCE_END = /[.!?]+(?=\s|$)|\n\s*\n/g;
const TECHNICAL = /[_\\/]|::|\(\)|[a-z][A-Z]|\w\.\w/;

/** Writes the statistics slots for `text` (original case) and `lower` into `out` from `offset`. */
export function writeStatistics(text: string, lower: string, out: Float32Array, offset: number): void {
  const chars = text.length;
  let digits = 0;
  let letters = 0;
  let upper = 0;
  let symbols = 0;
  for (let i = 0; i < chars; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c >= 97 && c <= 122) letters++;
    else if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0) {
      // white space
    } else if (c < 128) symbols++;
    else {
      // Non-ASCII: count letters by case so accented text is not all "symbols".
      const ch = text[i]!;
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      if (lo !== up) {
        letters++;
        if (ch === up) upper++;
      } else if (!/\s/.test(ch)) symbols++;
    }
  }
  let words = 0;
  let wordChars = 0;
  const distinct = new Set<string>();
  for (const m of lower.matchAll(WORD)) {
    words++;
    wordChars += m[0].length;
    distinct.add(m[0]);
  }
  let sentences = 0;
  let last = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    if (/[\p{L}\p{N}]/u.test(text.slice(last, m.index))) sentences++;
    last = m.index + m[0].length;
  }
  if (/[\p{L}\p{N}]/u.test(text.slice(last))) sentences++;
  let tokens = 0;
  let technical = 0;
  for (const m of text.matchAll(/\S+/g)) {
    tokens++;
    if (TECHNICAL.test(m[0])) technical++;
  }
  out[offset] = logScale(chars, 10000);
  out[offset + 1] = logScale(words, 2000);
  out[offset + 2] = logScale(sentences, 100);
  out[offset + 3] = words === 0 ? 0 : Math.min(2, wordChars / words / 10);
  out[offset + 4] = sentences === 0 ? 0 : Math.min(2, words / sentences / 50);
  out[offset + 5] = chars === 0 ? 0 : digits / chars;
  out[offset + 6] = letters === 0 ? 0 : upper / letters;
  out[offset + 7] = chars === 0 ? 0 : symbols / chars;
  out[offset + 8] = words === 0 ? 0 : distinct.size / words;
  out[offset + 9] = tokens === 0 ? 0 : technical / tokens;
}
