import type { GraphStore } from './contract.js';
import { normaliseName, normaliseXid } from './normalise.js';
import { ALIAS_RANK, type AliasEntry, type NodeInput, type NodeType } from './schema.js';

/** What an importer knows about an incoming entity, to find the node it belongs to. */
export interface ResolveQuery {
  /** Node types it may be (e.g. Malware and Tool for software). */
  types: readonly NodeType[];
  /** Identifiers of this very record (its own STIX/MISP uuid, its ATT&CK id): an exact match wins. */
  ownXids?: readonly string[];
  /** Its primary name. */
  name?: string;
  /** Identifiers the record claims equivalence with (MISP `similar` links, G-ids among synonyms). */
  hintXids?: readonly string[];
  /** Other names it goes by. */
  aliases?: readonly string[];
}

/**
 * Maps incoming entities onto existing nodes through the alias table, so
 * APT28, Fancy Bear, Sofacy and G0007 become one actor. Loaded once per import
 * and kept current as the import registers new nodes.
 *
 * Order, strongest evidence first, each step only when it is unambiguous:
 * own identifiers; the primary name (a node's own name beats an alias of another);
 * claimed-equivalent identifiers; other names. It never merges two existing nodes:
 * when evidence points two ways the record goes where the strongest step pointed,
 * and its other names are recorded only as weaker synonyms.
 */
export class NodeResolver {
  readonly #byXid = new Map<string, Set<string>>();
  readonly #byName = new Map<string, Map<string, number>>();
  readonly #types = new Map<string, NodeType>();
  readonly #xidsOf = new Map<string, Set<string>>();

  /** Loads the alias rows of `types` from the graph. */
  static async load(graph: GraphStore, types: readonly NodeType[]): Promise<NodeResolver> {
    const r = new NodeResolver();
    for (const a of await graph.aliasEntries({ types })) r.#add(a);
    return r;
  }

  #add(a: Pick<AliasEntry, 'nodeId' | 'nodeType' | 'kind' | 'norm'>): void {
    this.#types.set(a.nodeId, a.nodeType);
    if (a.kind === 'xid') {
      let own = this.#xidsOf.get(a.nodeId);
      if (!own) {
        own = new Set();
        this.#xidsOf.set(a.nodeId, own);
      }
      own.add(a.norm);
      let set = this.#byXid.get(a.norm);
      if (!set) {
        set = new Set();
        this.#byXid.set(a.norm, set);
      }
      set.add(a.nodeId);
      return;
    }
    let map = this.#byName.get(a.norm);
    if (!map) {
      map = new Map();
      this.#byName.set(a.norm, map);
    }
    const rank = ALIAS_RANK[a.kind];
    const before = map.get(a.nodeId);
    if (before === undefined || rank < before) map.set(a.nodeId, rank);
  }

  /** Records a node about to be written, so later records of the same import resolve to it. */
  register(node: NodeInput): void {
    const base = { nodeId: node.id, nodeType: node.type };
    if (node.type !== 'Indicator' && node.type !== 'Threat') {
      this.#add({ ...base, kind: 'name', norm: normaliseName(node.name) });
    } else {
      this.#types.set(node.id, node.type);
    }
    for (const a of node.aliases ?? [])
      this.#add({ ...base, kind: node.aliasKind ?? 'alias', norm: normaliseName(a) });
    for (const x of node.xids ?? []) this.#add({ ...base, kind: 'xid', norm: normaliseXid(x) });
  }

  /** The type of a known node, or undefined. */
  typeOf(nodeId: string): NodeType | undefined {
    return this.#types.get(nodeId);
  }

  /** The identifiers of a node with the given prefix (e.g. `attack:`), normalised. */
  xidsOf(nodeId: string, prefix = ''): string[] {
    return [...(this.#xidsOf.get(nodeId) ?? [])].filter((x) => x.startsWith(prefix));
  }

  /** The node ids an identifier points at, restricted to `types`. */
  byXid(x: string, types?: readonly NodeType[]): string[] {
    const ids = [...(this.#byXid.get(normaliseXid(x)) ?? [])];
    return types ? ids.filter((id) => types.includes(this.#types.get(id) as NodeType)) : ids;
  }

  /** Node ids whose name or alias normalises like `name`, best rank first. */
  byName(
    name: string,
    types: readonly NodeType[],
    maxRank = ALIAS_RANK.alias,
  ): { id: string; rank: number }[] {
    const map = this.#byName.get(normaliseName(name));
    if (!map) return [];
    return [...map.entries()]
      .filter(([id, rank]) => rank <= maxRank && types.includes(this.#types.get(id) as NodeType))
      .map(([id, rank]) => ({ id, rank }))
      .sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : 1));
  }

  /** The existing node `q` belongs to, or undefined when it is new (or the evidence is ambiguous). */
  resolve(q: ResolveQuery): string | undefined {
    const unique = (ids: Iterable<string>): string | undefined => {
      const set = new Set(ids);
      return set.size === 1 ? (set.values().next().value as string) : undefined;
    };
    const own = unique((q.ownXids ?? []).flatMap((x) => this.byXid(x, q.types)));
    if (own) return own;
    if (q.name !== undefined) {
      const hits = this.byName(q.name, q.types);
      const best = hits.filter((h) => h.rank === hits[0]?.rank);
      const one = unique(best.map((h) => h.id));
      if (one) return one;
    }
    const hinted = unique((q.hintXids ?? []).flatMap((x) => this.byXid(x, q.types)));
    if (hinted) return hinted;
    const byAlias = unique((q.aliases ?? []).flatMap((a) => this.byName(a, q.types).map((h) => h.id)));
    return byAlias;
  }
}
