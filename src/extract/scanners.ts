import { isBase58Address, isSegwitAddress } from './bitcoin.js';
import { isValidDomain } from './domain.js';
import { parseIPv4, parseIPv6Hex } from './ip.js';
import type { OffsetMap } from './offset-map.js';
import type { IndicatorType } from './types.js';
import { parseUrl, trimUrl } from './url.js';

/** An indicator found in the refanged text, before overlaps are resolved. Offsets are refanged ones. */
export interface Candidate {
  type: IndicatorType;
  value: string;
  start: number;
  end: number;
  /** Indicators nested inside this one that are reported too (the host of a URL). */
  children?: Candidate[];
}

/** What a scanner sees: the refanged text, the original input and the map between them. */
export interface ScanContext {
  text: string;
  input: string;
  map: OffsetMap;
}

/** True when the original text behind refanged `[start, end)` differs from it (the writer defanged it). */
export function wasDefanged(ctx: ScanContext, start: number, end: number): boolean {
  if (ctx.map.size === 0) return false;
  const s = ctx.map.toOriginalStart(start);
  const e = ctx.map.toOriginalEnd(end);
  return ctx.input.slice(s, e) !== ctx.text.slice(start, end);
}

/**
 * One pass over the refanged text: a global regular expression whose
 * matches are checked and turned into candidates by `accept`.
 *
 * Linear-time rule for every pattern: it begins with a look-behind that
 * rejects starting inside a run of the characters it consumes (so a 1 MB run
 * of digits or dots has one start, not a million), and every quantifier is
 * bounded, so one attempt costs a bounded number of steps.
 */
interface Scanner {
  name: string;
  /** Cheap test on the whole text; the pattern runs only when it passes. */
  gate: (text: string) => boolean;
  pattern: RegExp;
  accept: (m: RegExpExecArray, ctx: ScanContext) => Candidate | null;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const TLD = '(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59})';
const HOST = `(?:${LABEL}\\.){1,16}${TLD}`;

const always = (): boolean => true;

/** Characters that never belong to a URL: blanks, ASCII and typographic quotes, brackets, CJK punctuation. */
const URL_STOP =
  '\\s<>"\'`{}|\\\\^\\[\\]\\u2018-\\u201F\\u00AB\\u00BB\\u2039\\u203A\\u3000-\\u303F\\uFF08\\uFF09\\uFF0C';

/** A trimmed candidate at `m.index`; `null` when trimming left nothing. */
function trimmed(
  type: IndicatorType,
  m: RegExpExecArray,
  value: (s: string) => string,
  minLength = 1,
): Candidate | null {
  const text = trimUrl(m[0]);
  if (text.length < minLength) return null;
  return { type, value: value(text), start: m.index, end: m.index + text.length };
}

const WIN_SEG = '[^\\\\/\\s:*?"<>|]{1,255}';
// A blank-separated word inside a segment starts with a capital or digit ("Program Files", "Windows NT"):
// "Run and path C:\\x" is prose after a key, not one key.
const WIN_WORD = '[A-Z0-9][^\\\\/\\s:*?"<>|%]{0,63}';
const REG_SEG = '[^\\\\\\s"\'<>|]{1,255}';
const REG_WORD = '[A-Z0-9][^\\\\\\s"\'<>|:%]{0,63}';

/**
 * Collapses doubled backslashes (paths copied from JSON or C strings) to
 * single ones, keeping the two that open a UNC path (`\\\\host\\share`).
 */
function collapseSeparators(path: string): string {
  const unc = path.startsWith('\\\\');
  const rest = (unc ? path.slice(2) : path).replaceAll('\\\\', '\\');
  return unc ? `\\\\${rest}` : rest;
}

/** The scanners, in priority order: on an exact tie of span, the earlier one wins. */
export const SCANNERS: readonly Scanner[] = [
  {
    name: 'url',
    gate: (t) => t.includes('://'),
    // http(s) and ftp(s) may be glued to the word before them (text pulled out of
    // PDFs: "Downloaded fromhttps://…"); rarer schemes need a boundary. Unicode
    // quotes and CJK punctuation end a URL like ASCII quotes do.
    pattern: new RegExp(
      `(?:https?|ftps?|(?<![a-z0-9+.-])(?:sftp|tftp|wss?|smb|tcp|udp|rdp|ssh|telnet|ldaps?|irc|rtsp)):\\/\\/(?:\\[[0-9a-f:.]{2,45}\\](?::\\d{1,5})?|[^${URL_STOP}/?#]{1,260})(?:[/?#][^${URL_STOP}]{0,2048})?`,
      'gi',
    ),
    accept: (m) => {
      // A second scheme glued inside ("…/a1b2http://next.example/") starts the next URL.
      const glued = /[a-z0-9](?:https?|ftps?):\/\//i.exec(m[0].slice(1));
      const parsed = parseUrl(glued === null ? m[0] : m[0].slice(0, glued.index + 2));
      if (parsed === null) return null;
      const host: Candidate = {
        type: parsed.host.type,
        value: parsed.host.value,
        start: m.index + parsed.host.start,
        end: m.index + parsed.host.end,
      };
      return {
        type: 'url',
        value: parsed.value,
        start: m.index,
        end: m.index + parsed.length,
        children: [host],
      };
    },
  },
  {
    name: 'email',
    gate: (t) => t.includes('@'),
    pattern: new RegExp(`(?<![\\w.%+\\-])[a-z0-9._%+\\-]{1,64}@${HOST}(?![\\w@-]|\\.[a-z0-9])`, 'gi'),
    accept: (m, ctx) => {
      const s = m[0];
      const at = s.indexOf('@');
      const local = s.slice(0, at);
      if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
      const end = m.index + s.length;
      if (!isValidDomain(s.slice(at + 1), wasDefanged(ctx, m.index, end))) return null;
      return { type: 'email', value: s.toLowerCase(), start: m.index, end };
    },
  },
  {
    name: 'ipv4',
    gate: always,
    // Letters may touch the address (PDF text: "IP Address194.135.24.241IP"); digits and
    // dots may not (1.2.3.4.5 is a version, 11.2.3.4 inside 111.2.3.4 is not an address).
    pattern: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,3})?(?!\d|\.\d)/g,
    accept: (m) => {
      const s = m[0];
      const slash = s.indexOf('/');
      const ip = slash < 0 ? s : s.slice(0, slash);
      if (parseIPv4(ip) === null) return null;
      if (slash >= 0) {
        const prefix = s.slice(slash + 1);
        if (/^(?:[0-9]|[12][0-9]|3[0-2])$/.test(prefix)) {
          return { type: 'cidr', value: s, start: m.index, end: m.index + s.length };
        }
      }
      return { type: 'ipv4', value: ip, start: m.index, end: m.index + ip.length };
    },
  },
  {
    name: 'ipv6',
    gate: (t) => t.includes(':'),
    pattern:
      /(?<![\w:.])(?=[0-9a-f]{0,4}:[0-9a-f]{0,4}:)[0-9a-f:]{2,39}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:\/\d{1,3})?(?![\w:]|\.\d)/gi,
    accept: (m) => {
      const s = m[0];
      const slash = s.indexOf('/');
      const addr = slash < 0 ? s : s.slice(0, slash);
      // At least two non-empty groups for an address ("d::" is C++'s std::, "::1" is never an
      // indicator), one for a network (fe80::/10).
      let groups = 0;
      for (const g of addr.split(':')) if (g !== '') groups++;
      if (groups < (slash < 0 ? 2 : 1) || parseIPv6Hex(addr) === null) return null;
      const value = s.toLowerCase();
      if (slash >= 0) {
        const prefix = s.slice(slash + 1);
        if (/^(?:[0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/.test(prefix)) {
          return { type: 'cidr', value, start: m.index, end: m.index + s.length };
        }
      }
      return { type: 'ipv6', value: value.slice(0, addr.length), start: m.index, end: m.index + addr.length };
    },
  },
  {
    name: 'domain',
    gate: always,
    pattern: new RegExp(`(?<![\\w.@%+\\-])${HOST}(?![\\w@-]|\\.[a-z0-9])`, 'gi'),
    accept: (m, ctx) => {
      const end = m.index + m[0].length;
      if (!isValidDomain(m[0], wasDefanged(ctx, m.index, end))) return null;
      return { type: 'domain', value: m[0].toLowerCase(), start: m.index, end };
    },
  },
  {
    name: 'hash',
    gate: always,
    // The whole hex run is taken and classified by its exact length, so a
    // SHA-256 never also yields an MD5 and a 33-digit run yields nothing.
    pattern: /(?<![\w])[0-9a-f]{32,128}(?![\w])/gi,
    accept: (m) => {
      const s = m[0];
      const type =
        s.length === 32
          ? 'md5'
          : s.length === 40
            ? 'sha1'
            : s.length === 64
              ? 'sha256'
              : s.length === 128
                ? 'sha512'
                : null;
      if (type === null) return null;
      // All decimal digits: a number; all letters a-f: a word. Either is ~1e-7 likely for a real hash.
      if (/^\d+$/.test(s) || /^[a-f]+$/i.test(s)) return null;
      return { type, value: s.toLowerCase(), start: m.index, end: m.index + s.length };
    },
  },
  {
    name: 'cve',
    gate: (t) => /cve/i.test(t),
    // The CVE prefix is distinctive: letters may touch it (PDF text: "GrandstreamCVE-2020-25223WebAdmin").
    pattern: /(?<![\d-])CVE[-_ \u2010-\u2014]((?:19|20)\d{2})[-_ \u2010-\u2014](\d{4,7})(?!\d)/gi,
    accept: (m) => {
      const year = Number(m[1]);
      if (year < 1999) return null;
      return { type: 'cve', value: `CVE-${m[1]}-${m[2]}`, start: m.index, end: m.index + m[0].length };
    },
  },
  {
    name: 'mac',
    gate: (t) => t.includes(':') || t.includes('-'),
    pattern: /(?<![\w:.-])[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}(?![\w:]|-\w)/gi,
    accept: (m) => ({
      type: 'mac',
      value: m[0].toLowerCase().replaceAll('-', ':'),
      start: m.index,
      end: m.index + m[0].length,
    }),
  },
  {
    name: 'asn',
    gate: (t) => /as/i.test(t),
    pattern: /(?<![\w])(?:AS|[Aa][Ss][Nn][ :]?)(\d{1,10})(?![\w]|[.,]\d)/g,
    accept: (m) => {
      const digits = m[1]!;
      if (digits.length > 1 && digits.startsWith('0')) return null;
      const n = Number(digits);
      if (n < 1 || n > 4294967295) return null;
      return { type: 'asn', value: `AS${n}`, start: m.index, end: m.index + m[0].length };
    },
  },
  {
    name: 'bitcoin',
    gate: always,
    pattern:
      /(?<![\w])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|[bB][cC]1[02-9ac-hj-np-zAC-HJ-NP-Z]{11,87})(?![\w])/g,
    accept: (m) => {
      const s = m[0];
      const ok = s[0] === '1' || s[0] === '3' ? isBase58Address(s) : isSegwitAddress(s);
      if (!ok) return null;
      const value = s[0] === 'b' || s[0] === 'B' ? s.toLowerCase() : s;
      return { type: 'bitcoinAddress', value, start: m.index, end: m.index + s.length };
    },
  },
  {
    name: 'attack',
    gate: always,
    // ATT&CK id ranges in use: techniques T1xxx(.xxx), tactics TA00xx, groups
    // G0xxx/G1xxx, software S0xxx/S1xxx, mitigations M1xxx, campaigns C0xxx.
    pattern:
      /(?<![\w.-])(?:T1\d{3}(?:\.\d{3})?|TA00\d{2}|G[01]\d{3}|S[01]\d{3}|M1\d{3}|C0\d{3})(?![\w]|\.\d)/g,
    accept: (m) => ({ type: 'attackId', value: m[0], start: m.index, end: m.index + m[0].length }),
  },
  {
    name: 'registryKey',
    gate: (t) => /hk/i.test(t),
    pattern: new RegExp(
      `(?<![\\w\\\\])(?:HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)|HK(?:LM|CU|CR|CC|U)|hk(?:lm|cu|cr|cc|u)):?(?:\\\\{1,2}${REG_SEG}(?:(?: ${REG_WORD}){1,3}(?=\\\\))?){1,64}`,
      'g',
    ),
    accept: (m) => trimmed('registryKey', m, (s) => s.replaceAll('\\\\', '\\'), 6),
  },
  {
    name: 'windowsPath',
    gate: (t) => t.includes('\\') || t.includes(':/'),
    // A drive (C:), an environment variable (%APPDATA%) or a UNC host (\\host),
    // then separated segments; a segment may hold single blanks when another
    // separator follows ("C:\Program Files\x.exe").
    pattern: new RegExp(
      `(?<![\\w\\\\%])(?:[A-Za-z]:|%[A-Za-z_][A-Za-z0-9_()]{1,40}%|\\\\\\\\[A-Za-z0-9][A-Za-z0-9.$_-]{0,62})(?:(?:\\\\{1,2}|/)${WIN_SEG}(?:(?: ${WIN_WORD}){1,3}(?=[\\\\/]))?){1,64}`,
      'g',
    ),
    accept: (m) => trimmed('filePath', m, collapseSeparators, 4),
  },
  {
    name: 'unixPath',
    gate: (t) => t.includes('/'),
    pattern:
      /(?<![\w/.:~\\-])(?:~|\/(?:bin|boot|dev|etc|home|lib|lib32|lib64|opt|proc|root|run|sbin|srv|sys|tmp|usr|var|mnt|media|Users|Library|Applications|System|private|Volumes))(?:\/[\w.@%+~$-]{1,255}){1,64}\/?/g,
    accept: (m) => trimmed('filePath', m, (s) => s, 3),
  },
];

/** Runs every scanner over the refanged text and returns all candidates (unsorted, overlapping). */
export function scanAll(ctx: ScanContext): Candidate[] {
  const out: Candidate[] = [];
  for (const scanner of SCANNERS) {
    if (!scanner.gate(ctx.text)) continue;
    const re = scanner.pattern;
    re.lastIndex = 0;
    for (let m = re.exec(ctx.text); m !== null; m = re.exec(ctx.text)) {
      const c = scanner.accept(m, ctx);
      if (c === null) continue;
      out.push(c);
      // A candidate shorter than its match (trimmed, or cut at a glued URL) lets the
      // scan resume right after it; c.end > m.index, so the scan always advances.
      if (c.end < re.lastIndex) re.lastIndex = c.end;
    }
  }
  return out;
}
