import { AppError } from '../core/index.js';
import { parseIpRange } from './cidr.js';
import { RangeTable } from './range-table.js';
import { SubstringMatcher } from './substring-matcher.js';
import { INDICATOR_TYPES, type IndicatorType, type WarninglistRef } from './types.js';
import type { WarninglistFile, WarninglistMeta } from './warninglist-data.js';

/**
 * Which MISP attribute types each indicator type stands for: a list applies
 * to an indicator when one of these is in its `matching_attributes` (or the
 * list has none, which MISP reads as "every type").
 */
const MISP_ATTRIBUTES: Readonly<Record<IndicatorType, readonly string[]>> = {
  ipv4: ['ip-src', 'ip-dst', 'ip', 'domain|ip', 'ip-src|port', 'ip-dst|port'],
  ipv6: ['ip-src', 'ip-dst', 'ip', 'domain|ip', 'ip-src|port', 'ip-dst|port'],
  cidr: ['ip-src', 'ip-dst', 'ip', 'domain|ip', 'ip-src|port', 'ip-dst|port'],
  domain: ['domain', 'hostname', 'domain|ip', 'hostname|port'],
  url: ['url', 'uri', 'link'],
  email: ['email', 'email-src', 'email-dst', 'target-email', 'whois-registrant-email', 'dns-soa-email'],
  cve: ['vulnerability'],
  md5: ['md5', 'filename|md5', 'x509-fingerprint-md5'],
  sha1: ['sha1', 'filename|sha1', 'x509-fingerprint-sha1'],
  sha256: ['sha256', 'filename|sha256', 'x509-fingerprint-sha256'],
  sha512: ['sha512', 'filename|sha512'],
  asn: ['AS'],
  mac: ['mac-address', 'mac-eui-64'],
  bitcoinAddress: ['btc'],
  attackId: [],
  registryKey: ['regkey', 'regkey|value'],
  filePath: ['filename'],
};

const TYPE_BIT: Readonly<Record<IndicatorType, number>> = Object.fromEntries(
  INDICATOR_TYPES.map((t, i) => [t, 1 << i]),
) as Record<IndicatorType, number>;
const ALL_TYPES = (1 << INDICATOR_TYPES.length) - 1;

/** Bit mask of the indicator types a list applies to. */
function applicableTypes(meta: WarninglistMeta): number {
  if (meta.matchingAttributes.length === 0) return ALL_TYPES;
  const attrs = new Set(meta.matchingAttributes);
  let mask = 0;
  for (const t of INDICATOR_TYPES) if (MISP_ATTRIBUTES[t].some((a) => attrs.has(a))) mask |= TYPE_BIT[t];
  return mask;
}

/** Parses a MISP regex entry (`/pattern/flags`, PCRE) into a JavaScript RegExp, or `null`. */
function parseMispRegex(entry: string): RegExp | null {
  const m = /^\/(.*)\/([a-zA-Z]*)$/s.exec(entry);
  const source = m ? m[1]! : entry;
  // g and y would make test() stateful; x and others have no JavaScript equivalent.
  const flags = [...new Set(m ? m[2]! : '')].filter((f) => 'imsu'.includes(f)).join('');
  if (m && /[^gimsuxU]/.test(m[2]!)) return null;
  try {
    return new RegExp(source, flags);
  } catch {
    return null; // PCRE-only syntax; counted as skipped by the caller
  }
}

/** Normalises a hostname entry or value: lower case, without `*.`/`.` prefix and trailing dot. */
function normaliseHost(value: string): string {
  let s = value.trim().toLowerCase();
  if (s.startsWith('*.')) s = s.slice(2);
  else if (s.startsWith('.')) s = s.slice(1);
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

/**
 * Interns sets of list ids so that each of the ~400k values of the shipped
 * lists points to a shared array instead of owning one.
 */
class IdSets {
  readonly sets: (readonly number[])[] = [];
  private readonly index = new Map<string, number>();

  intern(ids: readonly number[]): number {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    const key = sorted.join(',');
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.sets.length;
      this.sets.push(sorted);
      this.index.set(key, i);
    }
    return i;
  }

  /** Records the interned set `set` for `key` in `map`, merging with what the key already has. */
  add(map: Map<string, number>, key: string, set: number): void {
    const existing = map.get(key);
    if (existing === undefined) map.set(key, set);
    else if (existing !== set) map.set(key, this.intern([...this.sets[existing]!, ...this.sets[set]!]));
  }
}

/** What one indicator looks like to the index. */
export interface WarninglistQuery {
  type: IndicatorType;
  /** The normalised indicator value. */
  value: string;
  /** The host of a URL or e-mail address, if the caller knows it (otherwise derived). */
  host?: string;
}

/** The parts of a URL or e-mail value that hostname lists look at. */
function hostOf(q: WarninglistQuery): string | null {
  if (q.host !== undefined) return q.host;
  if (q.type === 'domain') return q.value;
  if (q.type === 'email') return q.value.slice(q.value.lastIndexOf('@') + 1);
  if (q.type === 'url') {
    const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(q.value);
    return m ? m[1]!.replace(/^\[|\]$/g, '').toLowerCase() : null;
  }
  return null;
}

/**
 * MISP warninglists indexed for fast matching of extracted indicators. Pure:
 * built from the parsed derived file (see `src/assets` for loading it).
 *
 * How each list type matches, following MISP:
 * - `string`: the value equals an entry (case-insensitive); for URLs also the URL's host;
 * - `hostname`: the host (domain, URL host, e-mail domain) or one of its parent domains is an entry;
 * - `substring`: an entry occurs in the value (case-insensitive);
 * - `regex`: an entry (PCRE `/…/flags`, run as a JavaScript RegExp) matches the value;
 *   entries JavaScript cannot compile are skipped and counted in {@link skippedEntries};
 * - `cidr`: an IP (or a URL's IP host) lies in an entry's network; a CIDR
 *   indicator matches a list that covers both its first and last address.
 * A list only applies to the indicator types its `matching_attributes` name.
 */
export class WarninglistIndex {
  /** The lists, in the order of the file. */
  readonly lists: readonly WarninglistMeta[];
  /** Entries that could not be used (unparseable CIDR, regex JavaScript cannot compile). */
  readonly skippedEntries: number;
  private readonly refs: readonly WarninglistRef[];
  private readonly applies: readonly number[];
  private readonly idSets: readonly (readonly number[])[];
  private readonly strings: Map<string, number>;
  private readonly hostnames: Map<string, number>;
  private readonly substrings: SubstringMatcher;
  private readonly regexes: readonly { re: RegExp; id: number }[];
  private readonly v4: RangeTable<number>;
  private readonly v6: RangeTable<bigint>;
  /** Union of `applies` over lists of each type: skip a lookup no list could answer. */
  private readonly typeMask: Readonly<Record<WarninglistMeta['type'], number>>;

  private constructor(file: WarninglistFile) {
    this.lists = file.lists;
    this.refs = file.lists.map((l) => ({ name: l.name, description: l.description }));
    this.applies = file.lists.map(applicableTypes);
    const typeMask = { cidr: 0, string: 0, hostname: 0, substring: 0, regex: 0 };
    file.lists.forEach((l, i) => {
      typeMask[l.type] |= this.applies[i]!;
    });
    this.typeMask = typeMask;

    const sets = new IdSets();
    const strings = new Map<string, number>();
    const hostnames = new Map<string, number>();
    const substrings = new Map<string, number>();
    const regexes: { re: RegExp; id: number }[] = [];
    const v4: { lo: number; hiExclusive: number; id: number }[] = [];
    const v6: { lo: bigint; hiExclusive: bigint; id: number }[] = [];
    let skipped = 0;

    for (const group of file.groups) {
      const byType = {
        cidr: [] as number[],
        string: [] as number[],
        hostname: [] as number[],
        substring: [] as number[],
        regex: [] as number[],
      };
      for (const id of group.lists) {
        const meta = file.lists[id];
        if (meta === undefined) {
          throw new AppError(
            'CS_ERR_ARTEFACT_INVALID',
            `Warninglist file refers to list #${id}, which it does not define`,
            {
              details: { listId: id, lists: file.lists.length },
            },
          );
        }
        byType[meta.type].push(id);
      }
      // Interned once per group; the per-value work is then one map insert per type.
      const stringSet = byType.string.length > 0 ? sets.intern(byType.string) : -1;
      const hostnameSet = byType.hostname.length > 0 ? sets.intern(byType.hostname) : -1;
      const substringSet = byType.substring.length > 0 ? sets.intern(byType.substring) : -1;
      for (const value of group.values) {
        if (stringSet >= 0) sets.add(strings, value.trim().toLowerCase(), stringSet);
        if (hostnameSet >= 0) sets.add(hostnames, normaliseHost(value), hostnameSet);
        if (substringSet >= 0 && value.trim() !== '')
          sets.add(substrings, value.trim().toLowerCase(), substringSet);
        if (byType.regex.length > 0) {
          const re = parseMispRegex(value);
          if (re === null) skipped += byType.regex.length;
          else for (const id of byType.regex) regexes.push({ re, id });
        }
        if (byType.cidr.length > 0) {
          const range = parseIpRange(value.trim());
          if (range === null) skipped += byType.cidr.length;
          else if (range.family === 4)
            for (const id of byType.cidr) v4.push({ lo: range.first, hiExclusive: range.last + 1, id });
          else for (const id of byType.cidr) v6.push({ lo: range.first, hiExclusive: range.last + 1n, id });
        }
      }
    }
    this.idSets = sets.sets;
    this.strings = strings;
    this.hostnames = hostnames;
    this.substrings = new SubstringMatcher(substrings);
    this.regexes = regexes;
    this.v4 = RangeTable.build(v4);
    this.v6 = RangeTable.build(v6);
    this.skippedEntries = skipped;
  }

  /**
   * Builds the index from a validated derived file. Throws
   * `CS_ERR_ARTEFACT_INVALID` when a group refers to an undefined list.
   * Cost: linear in the number of entries (about 1 s for the full shipped file).
   */
  static build(file: WarninglistFile): WarninglistIndex {
    return new WarninglistIndex(file);
  }

  /** The lists (name and description) that `query` matches, in file order; empty when none. */
  match(query: WarninglistQuery): WarninglistRef[] {
    const bit = TYPE_BIT[query.type];
    const hits = new Set<number>();
    const add = (ids: readonly number[] | undefined): void => {
      if (ids === undefined) return;
      for (const id of ids) if ((this.applies[id]! & bit) !== 0) hits.add(id);
    };
    const value = query.value.toLowerCase();
    const host = hostOf(query);

    if ((this.typeMask.string & bit) !== 0) {
      add(this.setOf(this.strings.get(value)));
      if (host !== null && host !== value) add(this.setOf(this.strings.get(host)));
    }
    if ((this.typeMask.hostname & bit) !== 0 && host !== null) {
      // The host itself, then each parent domain: a.b.example.com, b.example.com, example.com, com.
      for (let h: string | null = host; h !== null; ) {
        add(this.setOf(this.hostnames.get(h)));
        const dot = h.indexOf('.');
        h = dot < 0 ? null : h.slice(dot + 1);
      }
    }
    if ((this.typeMask.substring & bit) !== 0) {
      this.substrings.forEachMatch(value, (set) => add(this.idSets[set]));
    }
    if ((this.typeMask.regex & bit) !== 0) {
      for (const { re, id } of this.regexes)
        if ((this.applies[id]! & bit) !== 0 && re.test(query.value)) hits.add(id);
    }
    if ((this.typeMask.cidr & bit) !== 0) this.matchCidr(query, host, add);

    return [...hits].sort((a, b) => a - b).map((id) => this.refs[id]!);
  }

  private setOf(i: number | undefined): readonly number[] | undefined {
    return i === undefined ? undefined : this.idSets[i];
  }

  private matchCidr(
    query: WarninglistQuery,
    host: string | null,
    add: (ids: readonly number[]) => void,
  ): void {
    const text = query.type === 'url' ? host : query.value;
    if (text === null) return;
    const range = parseIpRange(text);
    if (range === null) return;
    const table = range.family === 4 ? this.v4 : this.v6;
    const lookup = (p: number | bigint): readonly number[] =>
      range.family === 4 ? this.v4.lookup(p as number) : this.v6.lookup(p as bigint);
    const first = lookup(range.first);
    if (range.first === range.last || table.segments === 0) {
      add(first);
      return;
    }
    const last = new Set(lookup(range.last));
    add(first.filter((id) => last.has(id)));
  }
}
