import type { MitigationInput } from '../explain/index.js';
import { type Catalogue, type KevLookup, kevLookupFromCatalogue } from '../graph/index.js';

/** What recommendations read from the knowledge-graph catalogue: KEV status and technique mitigations. */
export interface AdviceSources {
  /** CISA KEV entries of the catalogue. */
  kev: KevLookup;
  /**
   * ATT&CK mitigations of a technique id (`T1190`, `T1059.001`); a
   * sub-technique also gets its parent's (as the graph's enrichment counts
   * them). Empty when none is known.
   */
  mitigationsOf(techniqueId: string): readonly MitigationInput[];
  /** Techniques with at least one mitigation (for logs). */
  readonly mitigatedTechniques: number;
}

const TECHNIQUE_NODE = /^technique:(T\d{4}(?:\.\d{3})?)$/;

/**
 * Builds the in-memory advice sources from the shipped catalogue (the same
 * parsed object the server hands to `ensureCatalogueLoaded`, so the file is
 * read once): KEV facts from Vulnerability nodes, mitigations from
 * `MITIGATES` edges (Mitigation → Technique) with the mitigation's ATT&CK id
 * and name. Lookups are synchronous map reads on the request path.
 */
export function adviceFromCatalogue(c: Catalogue): AdviceSources {
  const mitigates = c.edgeTypes.indexOf('MITIGATES');
  const mitigationType = c.nodeTypes.indexOf('Mitigation');
  const byTechnique = new Map<string, MitigationInput[]>();
  for (const [src, type, dst] of c.edges) {
    if (type !== mitigates) continue;
    const m = c.nodes[src];
    const t = c.nodes[dst];
    if (m === undefined || t === undefined || m[1] !== mitigationType) continue;
    const techniqueId = TECHNIQUE_NODE.exec(t[0])?.[1];
    if (techniqueId === undefined) continue;
    const attackId = typeof m[3].attackId === 'string' ? m[3].attackId : m[0].replace(/^mitigation:/, '');
    const list = byTechnique.get(techniqueId) ?? [];
    if (!list.some((x) => x.id === attackId)) list.push({ id: attackId, name: m[2] });
    byTechnique.set(techniqueId, list);
  }
  for (const list of byTechnique.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kev = kevLookupFromCatalogue(c);
  return {
    kev,
    mitigatedTechniques: byTechnique.size,
    mitigationsOf: (techniqueId) => {
      const own = byTechnique.get(techniqueId) ?? [];
      const dot = techniqueId.indexOf('.');
      if (dot < 0) return own;
      const parent = byTechnique.get(techniqueId.slice(0, dot)) ?? [];
      if (parent.length === 0) return own;
      const ids = new Set(own.map((m) => m.id));
      return [...own, ...parent.filter((m) => !ids.has(m.id))];
    },
  };
}
