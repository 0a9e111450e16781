/**
 * Name normalisation for the alias table: NFKC, lower case, letters and digits
 * only. So "APT 28", "apt-28" and "APT28" meet, as do "Fancy Bear" and "FANCY BEAR".
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Normalised form of an external identifier: trimmed and lower-cased (ids are compared exactly otherwise). */
export function normaliseXid(xid: string): string {
  return xid.trim().toLowerCase();
}

/**
 * One line of display text for a node name: NUL (which the graph refuses in
 * names and PostgreSQL in any text) and every run of white space become one
 * space, trimmed, cut to `max` characters without splitting a surrogate pair.
 * Other control characters are kept (the stores take them; exporters escape them).
 * May be empty (the caller picks a fallback).
 */
export function displayLine(text: string, max: number): string {
  const line = text.replaceAll('\u0000', ' ').replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return (last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut).trimEnd();
}
