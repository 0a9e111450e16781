/**
 * Splits report text into sentences with character offsets, for per-sentence
 * technique mapping. Rule-based and dependency-free: threat reports are mostly
 * web pages and PDFs where a line break ends a paragraph, a heading or a table
 * cell, and where dots also occur inside file names (`cmd.exe`) and versions.
 */

/** One sentence of a text: `text === source.slice(start, end)`. Offsets are UTF-16 code units. */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

/** Options of {@link splitSentences}. */
export interface SplitOptions {
  /** Longer stretches without a boundary are cut at the last space before this length (default 1000). */
  maxLength?: number;
}

// Words after which a dot does not end a sentence (compared lower-case, without the dot).
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'fig',
  'figs',
  'no',
  'nos',
  'inc',
  'ltd',
  'corp',
  'co',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'approx',
  'ver',
  'v',
  'cf',
  'al',
  'u.s',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);

const CLOSERS = new Set(['"', "'", ')', ']', '\u201d', '\u2019']);

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\u00a0' || ch === '\r' || ch === '\f' || ch === '\v';
}

function isLowerLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch.toLowerCase() === ch && ch.toUpperCase() !== ch;
}

/** The word that ends just before index `dot` (letters, digits and inner dots). */
function wordBefore(text: string, dot: number): string {
  let i = dot;
  while (i > 0) {
    const ch = text[i - 1] as string;
    if (/[\p{L}\p{N}.]/u.test(ch)) i--;
    else break;
  }
  return text.slice(i, dot);
}

/** True when the punctuation at `i` (one of `.!?`) ends a sentence. Returns the end index or -1. */
function sentenceEndAt(text: string, i: number): number {
  const ch = text[i];
  let end = i + 1;
  while (end < text.length && (text[end] === '.' || text[end] === '!' || text[end] === '?')) end++;
  while (end < text.length && CLOSERS.has(text[end] as string)) end++;
  if (end < text.length && !isSpace(text[end]) && text[end] !== '\n') return -1;
  let next = end;
  while (next < text.length && isSpace(text[next])) next++;
  if (next >= text.length || text[next] === '\n') return end;
  if (isLowerLetter(text[next])) return -1;
  if (ch === '.') {
    const word = wordBefore(text, i);
    if (ABBREVIATIONS.has(word.toLowerCase())) return -1;
    // An initial ("J. Smith") or a lone capital is rarely a sentence end.
    if (/^\p{Lu}$/u.test(word)) return -1;
  }
  return end;
}

function pushTrimmed(out: SentenceSpan[], text: string, start: number, end: number, maxLength: number): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] as string)) s++;
  while (e > s && /\s/.test(text[e - 1] as string)) e--;
  if (s >= e) return;
  while (e - s > maxLength) {
    let cut = text.lastIndexOf(' ', s + maxLength);
    if (cut <= s) cut = s + maxLength;
    pushTrimmed(out, text, s, cut, maxLength);
    s = cut;
    while (s < e && /\s/.test(text[s] as string)) s++;
  }
  const piece = text.slice(s, e);
  // Lines of only punctuation, bullets or separators carry no sentence.
  if (!/[\p{L}\p{N}]/u.test(piece)) return;
  out.push({ text: piece, start: s, end: e });
}

/**
 * Splits `text` into sentences. Boundaries: every line break; `.`, `!` or `?`
 * (with closing quotes or brackets) followed by white space and a character
 * that is not a lower-case letter, unless the dot ends a known abbreviation or
 * an initial. Sentences are trimmed; empty and punctuation-only ones are dropped.
 */
export function splitSentences(text: string, options: SplitOptions = {}): SentenceSpan[] {
  const maxLength = options.maxLength ?? 1000;
  const out: SentenceSpan[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') {
      pushTrimmed(out, text, start, i, maxLength);
      start = i + 1;
    } else if (ch === '.' || ch === '!' || ch === '?') {
      const end = sentenceEndAt(text, i);
      if (end >= 0) {
        pushTrimmed(out, text, start, end, maxLength);
        start = end;
        i = end - 1;
      }
    }
  }
  pushTrimmed(out, text, start, text.length, maxLength);
  return out;
}
