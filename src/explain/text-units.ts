/**
 * Splitting a text into the units a word explanation attributes to, and
 * rebuilding the text with some units removed (occlusion).
 */

/** A unit of the text: one word, or a run of words when the text has more words than units allowed. */
export interface TextUnit {
  /** The unit as written: `text.slice(start, end)`. */
  text: string;
  /** Offset of the first character (UTF-16 code units, as JavaScript strings index). */
  start: number;
  /** Offset after the last character (exclusive). */
  end: number;
}

// A word: letters or digits, with inner joiners so that CVE ids, versions,
// host names, paths and contractions stay whole (CVE-2024-1234, 1.2.3, a.example.com).
const WORD = /[\p{L}\p{N}]+(?:[._\-/:'’@][\p{L}\p{N}]+)*/gu;

/** The words of `text` with their offsets, in order. Punctuation and spaces belong to no word. */
export function words(text: string): TextUnit[] {
  const out: TextUnit[] = [];
  for (const m of text.matchAll(WORD)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * The units of `text`: its words when there are at most `maxUnits`, else
 * runs of ceil(words / maxUnits) consecutive words (phrases), so that the
 * number of players, and with it the cost, stays bounded for long texts.
 */
export function textUnits(text: string, maxUnits: number): TextUnit[] {
  const ws = words(text);
  if (ws.length <= maxUnits) return ws;
  const size = Math.ceil(ws.length / maxUnits);
  const out: TextUnit[] = [];
  for (let i = 0; i < ws.length; i += size) {
    const start = ws[i]!.start;
    const end = ws[Math.min(i + size, ws.length) - 1]!.end;
    out.push({ text: text.slice(start, end), start, end });
  }
  return out;
}

const SPACE = /\s/;

/**
 * `text` with the units whose `keep` entry is 0 deleted. Punctuation and
 * spacing between units stay; the whitespace after a deleted unit is dropped
 * when whitespace already precedes it, so no double spaces appear where a
 * word was (a hashed character n-gram model would otherwise see a gap no real
 * text has).
 */
export function occlude(text: string, units: readonly TextUnit[], keep: ArrayLike<number>): string {
  let out = '';
  let pos = 0;
  for (let i = 0; i < units.length; i++) {
    if (keep[i] !== 0) continue;
    const u = units[i]!;
    out += text.slice(pos, u.start);
    pos = u.end;
    if (out.length === 0 || SPACE.test(out[out.length - 1]!)) {
      while (pos < text.length && SPACE.test(text[pos]!)) pos++;
    }
  }
  return out + text.slice(pos);
}
