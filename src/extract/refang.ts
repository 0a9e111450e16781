import { OffsetMap } from './offset-map.js';

/** A refanged text and the map from its offsets back to the original input. */
export interface Refanged {
  /** The input with every recognised defang form replaced by what it stands for. */
  text: string;
  /** Maps offsets in `text` to offsets in the original input. */
  map: OffsetMap;
}

/*
 * One pass, one regular expression, without capture groups (cheaper matches):
 * the branch that matched is told apart by the match's first character. Every branch is bounded in length and
 * starts with a literal or a small character class, so the scan is linear in
 * the input: no branch can backtrack over more than a few characters.
 * Context rules (what must stand left and right of a token) are checked in
 * code, which is cheaper than look-behinds in every branch.
 */
const REFANG_PATTERN = new RegExp(
  [
    // Zero-width characters and soft hyphens inserted to break indicators: deleted.
    '[\\u200B-\\u200D\\u2060\\uFEFF\\u00AD]',
    // [.] (.) {.} <.> [dot] [at] [@] [:] [://] [/] [//], any bracket pair, optional inner blank.
    '[\\[({<][ \\t]?(?:\\.|dot|at|@|:\\/\\/|:|\\/\\/|\\/)[ \\t]?[\\])}>]',
    // example\.com
    '\\\\\\.',
    // "example dot com", "example . com", "1.1.1 .1": blanks around a dot or the word dot.
    '[ \\t]{1,3}(?:\\.[ \\t]{0,3}|dot[ \\t]{1,3})',
    // Ideographic and full-width full stops between ASCII labels.
    '[\\u3002\\uFF0E\\uFF61]',
    // hxxp hxxps hXXp h**p hxtp htxp h[tt]p meow fxp, directly before a (bracketed) colon.
    '(?:h(?:xx|\\*\\*|xt|tx|\\[tt\\])p(?:s)?|meow|fxps?)(?=[\\[({]?:)',
    // 192,168,1,1: commas inside an IPv4 address (checked in code, replaced one for one).
    '\\d{1,3}[.,]\\d{1,3}[.,]\\d{1,3}[.,]\\d{1,3}',
  ].join('|'),
  'gi',
);

/** Words after which " dot " is English ("the dot com era", "a dot on the map"), not a defanged dot. */
const DOT_WORD_STOP = new Set(['the', 'a', 'an', 'one', 'each', 'every', 'this', 'that', 'polka', 'single']);

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Characters that may end the local part of an e-mail address or a host label. */
const isLabelEnd = (c: number): boolean =>
  isAlnum(c) || c === 45 || c === 95 || c === 46 || c === 43 || c === 37;
const isBlank = (c: number): boolean => c === 32 || c === 9;

/** The word that ends just before `end` in `s` (at most 16 characters back). */
function wordBefore(s: string, end: number): string {
  let i = end;
  while (i > 0 && end - i < 16 && isAlnum(s.charCodeAt(i - 1))) i--;
  return s.slice(i, end).toLowerCase();
}

/** True when the four octets written with commas or dots form a plausible IPv4 address. */
function isCommaIp(token: string): boolean {
  if (!token.includes(',')) return false;
  const octets = token.split(/[.,]/);
  let long = false;
  for (const o of octets) {
    if (o.length > 1 && o.charCodeAt(0) === 48) return false; // 01: a number list, not an address
    if (Number(o) > 255) return false;
    if (o.length > 1) long = true;
  }
  // "1,2,3,4" is a list of small numbers far more often than the address 1.2.3.4.
  return long;
}

const SCHEME_REFANG: Readonly<Record<string, string>> = { meow: 'http', fxp: 'ftp', fxps: 'ftps' };

/**
 * Replaces the defang forms analysts and vendors write with what they stand
 * for: `hxxp`/`hXXp`/`meow` schemes, `[.]` `(.)` `{.}` `[dot]` `(dot)`
 * ` dot `, blanks around dots, `\.`, `[:]` `[://]`, `[at]` `(at)` `[@]`,
 * `[/]`, commas inside IPv4 addresses, full-width dots and zero-width
 * characters. Runs in one linear pass.
 *
 * Context rules keep prose intact: a bracketed or spaced dot is only a dot
 * between two label characters, `[at]` only between an address's parts,
 * `hxxp` only before a colon, commas only inside four octets of which one has
 * two or more digits (`1,2,3,4` stays a list).
 */
export function refang(input: string): Refanged {
  const map = new OffsetMap();
  const parts: string[] = [];
  let copiedUpTo = 0; // input consumed so far
  let outLen = 0; // length of the refanged text so far

  const emit = (origStart: number, origEnd: number, replacement: string): void => {
    if (origStart > copiedUpTo) {
      parts.push(input.slice(copiedUpTo, origStart));
      outLen += origStart - copiedUpTo;
    }
    map.addEdit(outLen, replacement.length, origStart, origEnd);
    if (replacement.length > 0) parts.push(replacement);
    outLen += replacement.length;
    copiedUpTo = origEnd;
  };

  REFANG_PATTERN.lastIndex = 0;
  for (let m = REFANG_PATTERN.exec(input); m !== null; m = REFANG_PATTERN.exec(input)) {
    const token = m[0];
    const start = m.index;
    const end = start + token.length;
    const first = token.charCodeAt(0);
    const before = start > 0 ? input.charCodeAt(start - 1) : -1;
    const after = end < input.length ? input.charCodeAt(end) : -1;

    if (
      first === 0x200b ||
      first === 0x200c ||
      first === 0x200d ||
      first === 0x2060 ||
      first === 0xfeff ||
      first === 0xad
    ) {
      emit(start, end, ''); // zero-width character
    } else if (first === 91 || first === 40 || first === 123 || first === 60) {
      // [x] (x) {x} <x>
      const inner = token.slice(1, -1).trim().toLowerCase();
      if (inner === '.' || inner === 'dot' || inner === 'at' || inner === '@') {
        // Swallow up to two blanks on each side ("evil [.] com", "user [at] host").
        let s = start;
        while (s > copiedUpTo && start - s < 2 && isBlank(input.charCodeAt(s - 1))) s--;
        let e = end;
        while (e < input.length && e - end < 2 && isBlank(input.charCodeAt(e))) e++;
        const left = s > 0 ? input.charCodeAt(s - 1) : -1;
        const right = e < input.length ? input.charCodeAt(e) : -1;
        if (!isLabelEnd(left) || !isAlnum(right)) continue;
        emit(s, e, inner === '.' || inner === 'dot' ? '.' : '@');
        REFANG_PATTERN.lastIndex = e;
      } else {
        emit(start, end, inner); // : :// / //
      }
    } else if (first === 92 || first === 0x3002 || first === 0xff0e || first === 0xff61) {
      // \. and full-width dots
      if (isAlnum(before) && isAlnum(after)) emit(start, end, '.');
    } else if (first === 32 || first === 9) {
      // blanks around a dot or the word dot
      if (!isAlnum(before) || !isAlnum(after)) continue;
      const isWord = token.toLowerCase().includes('dot');
      if (isWord && DOT_WORD_STOP.has(wordBefore(input, start))) continue;
      emit(start, end, '.');
    } else if (isDigit(first)) {
      // four octets with commas: not part of a longer number list or dotted version
      if (before === 44 || before === 46 || isDigit(before)) continue;
      if (isDigit(after)) continue;
      if ((after === 44 || after === 46) && isDigit(end + 1 < input.length ? input.charCodeAt(end + 1) : -1))
        continue;
      if (isCommaIp(token)) emit(start, end, token.replaceAll(',', '.'));
    } else {
      // scheme: hxxp, meow, fxp
      const s = token.toLowerCase();
      // hxxp is distinctive enough to refang when glued to a word ("URLshxxps://");
      // meow and fxp are words and need a boundary.
      if (isAlnum(before) && !s.startsWith('h')) continue;
      emit(start, end, SCHEME_REFANG[s] ?? (s.endsWith('s') ? 'https' : 'http'));
    }
  }
  if (map.size === 0) return { text: input, map };
  if (copiedUpTo < input.length) parts.push(input.slice(copiedUpTo));
  return { text: parts.join(''), map };
}
