/**
 * Indicator kinds and the one normal form each value is stored in, so the same
 * indicator from a prediction, a STIX feed and a query meets on one node.
 */

/** Indicator kinds the graph stores. `pattern` keeps a STIX pattern we could not reduce to a value. */
export const INDICATOR_KINDS = [
  'ipv4',
  'ipv6',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'filename',
  'pattern',
] as const;

/** An indicator kind. */
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** An indicator as callers hand it over. */
export interface IndicatorRef {
  type: IndicatorKind;
  value: string;
}

/** Longest indicator value stored (URLs, patterns), in characters. */
export const MAX_INDICATOR_LENGTH = 2048;

const HEX_LENGTH: Partial<Record<IndicatorKind, number>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
// No white space and no control characters anywhere in a URL.
const URL_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^\s\p{Cc}]+$/iu;

/** True when `type` is an {@link IndicatorKind}. */
export function isIndicatorKind(type: string): type is IndicatorKind {
  return (INDICATOR_KINDS as readonly string[]).includes(type);
}

/**
 * The normal form of an indicator value (lower case for hosts, hashes and
 * e-mail addresses; trimmed otherwise), or undefined when the value is not a
 * valid indicator of that kind. A value with NUL in it is never valid (nor,
 * for hosts, URLs and addresses, one with any control character).
 */
export function normaliseIndicator(kind: IndicatorKind, value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0 || v.length > MAX_INDICATOR_LENGTH) return undefined;
  // The value is part of the node id, which the graph (and PostgreSQL text) refuse with NUL in it.
  if (v.includes('\u0000')) return undefined;
  const hex = HEX_LENGTH[kind];
  if (hex !== undefined) {
    const h = v.toLowerCase();
    return h.length === hex && /^[0-9a-f]+$/.test(h) ? h : undefined;
  }
  switch (kind) {
    case 'ipv4':
      return IPV4.test(v) ? v : undefined;
    case 'ipv6': {
      const l = v.toLowerCase();
      return /^[0-9a-f:.]+$/.test(l) && l.includes(':') && l.length <= 45 ? l : undefined;
    }
    case 'domain': {
      const l = v.toLowerCase().replace(/\.$/, '');
      return DOMAIN.test(l) ? l : undefined;
    }
    case 'url':
      return URL_FORM.test(v) ? v : undefined;
    case 'email': {
      const l = v.toLowerCase();
      return EMAIL.test(l) ? l : undefined;
    }
    case 'filename':
      return v.length <= 255 && !/[/\\\0]/.test(v) ? v : undefined;
    default:
      return v;
  }
}

/** `indicator:<kind>:<normalised value>`, or undefined when the value is invalid. */
export function indicatorNodeId(kind: IndicatorKind, value: string): string | undefined {
  const norm = normaliseIndicator(kind, value);
  return norm === undefined ? undefined : `indicator:${kind}:${norm}`;
}

/**
 * Indicator lists keyed like the `extract` module's `Extraction` (`ipv4s`,
 * `domains`, `sha256s`, ...), converted to {@link IndicatorRef}s. Lets a caller
 * pass an extraction straight through without this module importing `extract`.
 */
export function indicatorsFromLists(lists: Partial<Record<string, readonly string[]>>): IndicatorRef[] {
  const keys: [string, IndicatorKind][] = [
    ['ipv4s', 'ipv4'],
    ['ipv6s', 'ipv6'],
    ['domains', 'domain'],
    ['urls', 'url'],
    ['emails', 'email'],
    ['md5s', 'md5'],
    ['sha1s', 'sha1'],
    ['sha256s', 'sha256'],
    ['sha512s', 'sha512'],
  ];
  const out: IndicatorRef[] = [];
  for (const [key, type] of keys) {
    for (const value of lists[key] ?? []) out.push({ type, value });
  }
  return out;
}
