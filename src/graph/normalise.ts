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
