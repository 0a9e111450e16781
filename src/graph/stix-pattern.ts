import { type IndicatorKind, type IndicatorRef, normaliseIndicator } from './indicators.js';

/**
 * Reduces a STIX pattern to the indicator values it compares for equality
 * (`[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'x.example']`).
 * Other comparisons (LIKE, MATCHES, ranges, CIDRs) are not reduced: the caller
 * keeps the pattern itself then.
 */

const COMPARISON = /([a-z0-9-]+):([A-Za-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'/g;

const HASHES: Record<string, IndicatorKind> = {
  md5: 'md5',
  sha1: 'sha1',
  'sha-1': 'sha1',
  sha256: 'sha256',
  'sha-256': 'sha256',
  sha512: 'sha512',
  'sha-512': 'sha512',
};

function kindOf(objectType: string, path: string): IndicatorKind | undefined {
  const p = path.replaceAll("'", '').toLowerCase();
  switch (objectType) {
    case 'ipv4-addr':
      return p === 'value' ? 'ipv4' : undefined;
    case 'ipv6-addr':
      return p === 'value' ? 'ipv6' : undefined;
    case 'domain-name':
      return p === 'value' ? 'domain' : undefined;
    case 'url':
      return p === 'value' ? 'url' : undefined;
    case 'email-addr':
      return p === 'value' ? 'email' : undefined;
    case 'file':
      if (p === 'name') return 'filename';
      return p.startsWith('hashes.') ? HASHES[p.slice('hashes.'.length)] : undefined;
    default:
      return undefined;
  }
}

/** The indicator values a STIX pattern compares for equality, valid and normalised, without duplicates. */
export function indicatorsFromPattern(pattern: string): IndicatorRef[] {
  const out: IndicatorRef[] = [];
  const seen = new Set<string>();
  for (const m of pattern.matchAll(COMPARISON)) {
    const kind = kindOf(m[1] ?? '', m[2] ?? '');
    if (!kind) continue;
    const raw = (m[3] ?? '').replace(/\\(.)/g, '$1');
    const value = normaliseIndicator(kind, raw);
    if (value === undefined || seen.has(`${kind}:${value}`)) continue;
    seen.add(`${kind}:${value}`);
    out.push({ type: kind, value });
  }
  return out;
}

/** A STIX pattern matching one indicator value (the inverse, for export). */
export function patternFor(ref: IndicatorRef): string | undefined {
  const q = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  switch (ref.type) {
    case 'ipv4':
      return `[ipv4-addr:value = ${q(ref.value)}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${q(ref.value)}]`;
    case 'domain':
      return `[domain-name:value = ${q(ref.value)}]`;
    case 'url':
      return `[url:value = ${q(ref.value)}]`;
    case 'email':
      return `[email-addr:value = ${q(ref.value)}]`;
    case 'md5':
      return `[file:hashes.MD5 = ${q(ref.value)}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${q(ref.value)}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${q(ref.value)}]`;
    case 'sha512':
      return `[file:hashes.'SHA-512' = ${q(ref.value)}]`;
    case 'filename':
      return `[file:name = ${q(ref.value)}]`;
    case 'pattern':
      return /^\[.*\]$/s.test(ref.value) ? ref.value : undefined;
    default:
      return undefined;
  }
}
