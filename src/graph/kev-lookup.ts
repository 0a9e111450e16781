import { defaultCataloguePaths, readCatalogue } from './catalogue.js';
import type { Catalogue } from './catalogue-format.js';
import { vulnerabilityNodeId } from './ids.js';
import type { KevFacts } from './kev-import.js';

/** One KEV entry. */
export interface KevEntry extends KevFacts {
  /** Upper-case CVE id. */
  cve: string;
}

/** A synchronous, in-memory KEV lookup (for recommendations). */
export interface KevLookup {
  /** Entries held. */
  readonly size: number;
  /** The CISA catalogue version it was built from, when known. */
  readonly catalogVersion: string | undefined;
  /** The entry for a CVE id (any case), or undefined when the CVE is not in KEV. */
  get(cve: string): KevEntry | undefined;
  /** True when the CVE is in KEV. */
  has(cve: string): boolean;
}

/** Builds a lookup from entries. */
export function createKevLookup(entries: readonly KevEntry[], catalogVersion?: string): KevLookup {
  const byId = new Map(entries.map((e) => [e.cve.toUpperCase(), e]));
  return {
    size: byId.size,
    catalogVersion,
    get: (cve) => byId.get(cve.trim().toUpperCase()),
    has: (cve) => byId.has(cve.trim().toUpperCase()),
  };
}

/** The KEV entries of a catalogue (Vulnerability nodes carrying `props.kev`). */
export function kevLookupFromCatalogue(c: Catalogue): KevLookup {
  const entries: KevEntry[] = [];
  const type = c.nodeTypes.indexOf('Vulnerability');
  for (const [, t, name, props] of c.nodes) {
    if (t !== type || !vulnerabilityNodeId(name)) continue;
    const kev = props.kev as KevFacts | undefined;
    if (kev && typeof kev.dateAdded === 'string') entries.push({ cve: name.toUpperCase(), ...kev });
  }
  return createKevLookup(entries, c.builtFrom.find((s) => s.name === 'kev')?.version);
}

/**
 * Loads the KEV lookup from the shipped catalogue (or `path`): about 1,400
 * entries, read once at start-up (about a tenth of a second).
 *
 * @throws AppError CS_ERR_ASSET_MISSING / CS_ERR_ARTEFACT_INVALID.
 */
export async function loadKevLookup(path = defaultCataloguePaths().catalogue): Promise<KevLookup> {
  return kevLookupFromCatalogue(await readCatalogue(path));
}
