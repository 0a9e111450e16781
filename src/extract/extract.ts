import { refang } from './refang.js';
import { type Candidate, type ScanContext, scanAll } from './scanners.js';
import {
  type Extraction,
  INDICATOR_TYPES,
  type IndicatorMatch,
  type IndicatorType,
  LIST_KEY,
  type WarninglistRef,
} from './types.js';
import type { WarninglistIndex } from './warninglist-index.js';

/** Options of {@link extractIndicators}. */
export interface ExtractOptions {
  /** Flag indicators found in these warninglists (kept, never dropped). Default: no flagging. */
  warninglists?: WarninglistIndex;
}

/** An empty {@link Extraction}: every list key present and empty. */
export function emptyExtraction(): Extraction {
  // Lists first, then matches: the key order of the JSON the CLI prints.
  const out = Object.fromEntries(INDICATOR_TYPES.map((t) => [LIST_KEY[t], [] as string[]])) as Record<
    string,
    unknown
  >;
  out.matches = [];
  return out as Extraction;
}

/**
 * Keeps one candidate per stretch of text: sorted by start, longest first,
 * a candidate that overlaps an already kept one is dropped (a CIDR's address,
 * a domain inside a file path or an e-mail address). The nested children of a
 * kept candidate (a URL's host) are added as well.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const order = candidates.map((c, i) => ({ c, i }));
  order.sort((a, b) => a.c.start - b.c.start || b.c.end - a.c.end || a.i - b.i);
  const kept: Candidate[] = [];
  let coveredTo = 0;
  for (const { c } of order) {
    if (c.start < coveredTo) continue;
    kept.push(c);
    if (c.children) kept.push(...c.children);
    coveredTo = c.end;
  }
  kept.sort((a, b) => a.start - b.start || b.end - a.end);
  return kept;
}

/**
 * Extracts indicators from `text`: refangs it, finds every indicator type of
 * {@link INDICATOR_TYPES}, validates each (IPv4 octets, IPv6 parsing, IANA
 * TLDs, hash lengths, CVE years, checksums of Bitcoin addresses, port and
 * host of URLs), and, when `options.warninglists` is given, flags those that
 * appear in a warninglist.
 *
 * Pure and linear in the length of `text` (every pattern is bounded; see
 * `scanners.ts`). Offsets in `matches` index the original `text`.
 */
export function extractIndicators(text: string, options: ExtractOptions = {}): Extraction {
  const refanged = refang(text);
  const ctx: ScanContext = { text: refanged.text, input: text, map: refanged.map };
  const kept = resolveOverlaps(scanAll(ctx));

  const out = emptyExtraction();
  const seen = new Map<IndicatorType, Set<string>>();
  const flags = new Map<string, WarninglistRef[]>();
  const index = options.warninglists;
  for (const c of kept) {
    const start = refanged.map.toOriginalStart(c.start);
    const end = refanged.map.toOriginalEnd(c.end);
    let warninglists: WarninglistRef[] = [];
    if (index !== undefined) {
      const key = `${c.type}\u0000${c.value}`;
      let hit = flags.get(key);
      if (hit === undefined) {
        const host = c.type === 'url' ? c.children?.[0]?.value : undefined;
        hit = index.match(
          host === undefined ? { type: c.type, value: c.value } : { type: c.type, value: c.value, host },
        );
        flags.set(key, hit);
      }
      warninglists = hit;
    }
    const match: IndicatorMatch = {
      type: c.type,
      value: c.value,
      raw: text.slice(start, end),
      start,
      end,
      warninglists,
    };
    out.matches.push(match);
    let values = seen.get(c.type);
    if (values === undefined) {
      values = new Set();
      seen.set(c.type, values);
    }
    if (!values.has(c.value)) {
      values.add(c.value);
      out[LIST_KEY[c.type]].push(c.value);
    }
  }
  return out;
}

/** Options of {@link countIndicators}. */
export interface CountOptions {
  /** Do not count values whose every occurrence is flagged by a warninglist. Default false. */
  excludeWarninglisted?: boolean;
}

/**
 * Number of UNIQUE values per indicator type (the lengths of the lists of
 * `extraction`; occurrences are `extraction.matches`). With
 * `excludeWarninglisted`, values flagged by a warninglist are not counted.
 */
export function countIndicators(
  extraction: Extraction,
  options: CountOptions = {},
): Record<IndicatorType, number> {
  const counts = Object.fromEntries(INDICATOR_TYPES.map((t) => [t, 0])) as Record<IndicatorType, number>;
  if (!options.excludeWarninglisted) {
    for (const t of INDICATOR_TYPES) counts[t] = extraction[LIST_KEY[t]].length;
    return counts;
  }
  const clean = new Set<string>();
  for (const m of extraction.matches) {
    if (m.warninglists.length === 0) clean.add(`${m.type}\u0000${m.value}`);
  }
  for (const t of INDICATOR_TYPES) {
    counts[t] = extraction[LIST_KEY[t]].filter((v) => clean.has(`${t}\u0000${v}`)).length;
  }
  return counts;
}
