import type { AliasFilter } from './contract.js';
import type { AliasEntry } from './schema.js';

/** True when an alias row passes the type and kind filter. */
export function aliasMatches(a: AliasEntry, filter: AliasFilter): boolean {
  return (
    (!filter.types || filter.types.includes(a.nodeType)) && (!filter.kinds || filter.kinds.includes(a.kind))
  );
}
