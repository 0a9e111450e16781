import type {
  AliasEntry,
  AliasKind,
  ApplyResult,
  EdgeRef,
  EdgeType,
  GraphBatch,
  GraphEdge,
  GraphNode,
  NodeType,
} from './schema.js';

/**
 * The knowledge-graph storage contract. Two implementations (embedded SQLite,
 * PostgreSQL) pass the one conformance suite in `conformance.ts`.
 *
 * All methods are async, even on SQLite, so callers never depend on a backend's
 * timing. Writes go through {@link GraphStore.apply}: one batch, one transaction,
 * validated as a whole first (nothing is written when any part is invalid).
 * Traversals read edges level by level with indexed lookups, except that
 * {@link GraphStore.neighbours} is answered from an in-process copy of the graph's
 * structure while the graph fits its budget (`AdjacencyCache`: exact, reloaded
 * after any committed write, by any connection).
 */
export interface GraphStore {
  /** `sqlite` or `postgres`. */
  readonly kind: 'sqlite' | 'postgres';

  /** Resolves when the backend answers; rejects with CS_ERR_STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Releases connections and file handles it opened itself. Idempotent. */
  close(): Promise<void>;

  /**
   * Creates or merges nodes (props shallow-merged, sources unioned, aliases added)
   * and creates or replaces edges, in one transaction. Idempotent: applying the
   * same batch twice changes nothing the second time (all counts 0).
   *
   * @throws AppError CS_ERR_VALIDATION when a node changes type, an edge joins an
   *   unknown node or breaks {@link EDGE_RULES}, or a value is out of range; nothing is written.
   */
  apply(batch: GraphBatch, options?: ApplyOptions): Promise<ApplyResult>;

  /** Nodes with these ids, in the order asked; missing ids are left out. */
  getNodes(ids: readonly string[]): Promise<GraphNode[]>;
  /** One node, or undefined. */
  getNode(id: string): Promise<GraphNode | undefined>;
  /** Deletes nodes with their edges and aliases. Returns how many existed. */
  deleteNodes(ids: readonly string[]): Promise<number>;

  /** Alias rows whose normalised form is one of `norms` (see `normaliseName`, `normaliseXid`). */
  lookupAliases(norms: readonly string[], filter?: AliasFilter): Promise<AliasEntry[]>;
  /** The alias rows of these nodes (for export), ordered by node, kind and value. */
  aliasesOf(nodeIds: readonly string[]): Promise<AliasEntry[]>;
  /** Every alias row matching the filter (for building in-memory matchers). */
  aliasEntries(filter?: AliasFilter): Promise<AliasEntry[]>;

  /** Edges touching `nodeIds`, filtered. An edge between two of the nodes is returned once. */
  edges(query: EdgeQuery): Promise<GraphEdge[]>;
  /**
   * The same edges as {@link GraphStore.edges} without props and timestamps
   * (`limitPerNode` is not supported): the lean primitive every traversal is built on.
   */
  links(query: LinkQuery): Promise<EdgeRef[]>;
  /**
   * The distinct far ends of the edges {@link GraphStore.links} would return
   * (an edge between two queried nodes counts from both ends), minus `exclude`,
   * each with its type and the highest confidence of the edges reaching it; in
   * no particular order. The de-duplication runs in the database, so a level of a
   * traversal next to a hub crosses into JavaScript as one short row per node
   * instead of one row per edge.
   */
  reach(query: ReachQuery): Promise<ReachedNode[]>;

  /** Nodes reachable from `start` within `depth` hops, nearest first. */
  neighbours(start: string, options?: NeighbourOptions): Promise<NeighbourResult>;
  /** Nodes ranked by the neighbours they share with `nodeId` (Adamic-Adar score). */
  sharedNeighbours(nodeId: string, options?: SharedNeighbourOptions): Promise<SharedNeighbour[]>;
  /** A shortest path between two nodes (fewest edges), or undefined when none within `maxDepth`. */
  shortestPath(from: string, to: string, options?: PathOptions): Promise<GraphPath | undefined>;

  /**
   * Refreshes the planner's statistics after a bulk load (SQLite `ANALYZE`;
   * PostgreSQL `VACUUM ANALYZE`, which also lets index-only scans skip the heap).
   * Importers and the catalogue load call it; it is safe to call any time.
   */
  optimize(): Promise<void>;
  /** Counts of nodes, edges and aliases, by type and source. */
  stats(): Promise<GraphStats>;
  /** Number of nodes of one type (cheap; used for IDF weights). */
  countNodes(type: NodeType): Promise<number>;

  /** Nodes ordered by id, after `after` (exclusive), for streaming export. */
  scanNodes(after: string | undefined, limit: number): Promise<GraphNode[]>;
  /**
   * Edges ordered by (src, type, dst, source), after the cursor, for streaming export
   * and pattern mining; optionally only some edge types and end types.
   */
  scanEdges(after: EdgeCursor | undefined, limit: number, filter?: EdgeScanFilter): Promise<GraphEdge[]>;

  /** A value from the graph's key/value table. */
  getMeta(key: string): Promise<string | undefined>;
  /** Sets a value in the graph's key/value table. */
  setMeta(key: string, value: string): Promise<void>;

  /** Replaces the stored frequent itemsets and rules with `run` (one transaction). */
  savePatterns(run: PatternRun): Promise<void>;
  /** What the last pattern run was, or undefined when none has been stored. */
  patternInfo(): Promise<PatternInfo | undefined>;
  /** Rules whose antecedent key (sorted items joined by `,`) is one of `keys`. */
  rulesByAntecedent(keys: readonly string[]): Promise<AssociationRule[]>;
  /** Stored itemsets, largest support first, optionally only those containing `item`. */
  itemsets(options?: { containing?: string; minSize?: number; limit?: number }): Promise<Itemset[]>;
}

/** Options of {@link GraphStore.apply}. */
export interface ApplyOptions {
  /**
   * Before writing, delete the edges leaving these nodes that came from the
   * given source (so re-recording a threat or re-importing a report replaces its links).
   */
  replaceEdgesFrom?: readonly { src: string; source: string }[];
}

/** Filter for alias reads. */
export interface AliasFilter {
  types?: readonly NodeType[];
  kinds?: readonly AliasKind[];
}

/** Which way to follow edges from a node. */
export type Direction = 'out' | 'in' | 'both';

/** Input of {@link GraphStore.edges}. */
export interface EdgeQuery {
  nodeIds: readonly string[];
  /** `out`: edges leaving the nodes; `in`: arriving; `both` (default). */
  direction?: Direction;
  edgeTypes?: readonly EdgeType[];
  /** Keep only edges whose other end has one of these types. */
  otherTypes?: readonly NodeType[];
  /** At most this many edges per queried node and direction, most recently updated first. */
  limitPerNode?: number;
}

/** Input of {@link GraphStore.links}. */
export interface LinkQuery extends Omit<EdgeQuery, 'limitPerNode'> {
  /** Keep only edges whose other end (the end not matched by `nodeIds` in that direction) is one of these. */
  otherIds?: readonly string[];
}

/** Input of {@link GraphStore.reach}. */
export interface ReachQuery extends LinkQuery {
  /** Far ends left out of the answer (a traversal passes the nodes it has already seen). */
  exclude?: readonly string[];
}

/** A node found by {@link GraphStore.reach}. */
export interface ReachedNode {
  id: string;
  type: NodeType;
  /** The highest confidence among the matching edges that reach it. */
  confidence: number;
  /**
   * When every matching edge reaching it has that same confidence: the first of them by
   * (src, type, dst, source), those four joined by U+0000 (the edge a traversal reports as
   * `via`, so it needs no second read). Absent when the confidences differ.
   */
  firstEdge?: string;
}

/** Options of {@link GraphStore.neighbours}. */
export interface NeighbourOptions {
  /** Hops, 1..4. Default 1. */
  depth?: number;
  /** Default `both`. */
  direction?: Direction;
  /** Edge types followed at every hop. Default all. */
  edgeTypes?: readonly EdgeType[];
  /** Types of the nodes returned. Default all. Intermediate nodes are not filtered by it. */
  nodeTypes?: readonly NodeType[];
  /** Types an intermediate node must have to be expanded further. Default all. */
  throughTypes?: readonly NodeType[];
  /** Most nodes returned, 1..10000. Default 200. */
  limit?: number;
  /** Stop expanding once this many nodes were reached (the result is then `truncated`). Default 50000. */
  maxVisited?: number;
}

/** A node found by {@link GraphStore.neighbours}. */
export interface Neighbour {
  node: GraphNode;
  /** Hops from the start. */
  depth: number;
  /** The edge by which it was reached: the strongest (then first by key) of those reaching it at its depth. */
  via: EdgeRef;
}

/** Result of {@link GraphStore.neighbours}. */
export interface NeighbourResult {
  start: string;
  neighbours: Neighbour[];
  /** Nodes visited (of the returned types, and the intermediate ones expanded), before `limit` was applied. */
  reached: number;
  /** True when `maxVisited` stopped the expansion early or `limit` cut the list. */
  truncated: boolean;
}

/** Options of {@link GraphStore.sharedNeighbours}. */
export interface SharedNeighbourOptions {
  /** Edge types followed on both hops. Default all. */
  edgeTypes?: readonly EdgeType[];
  /** Default `both`. The second hop goes the opposite way (so `out` ranks nodes pointing at the same things). */
  direction?: Direction;
  /** Types of the shared nodes. Default all. */
  viaTypes?: readonly NodeType[];
  /** Types of the ranked nodes. Default: the start node's type. */
  candidateTypes?: readonly NodeType[];
  /** Default 20, at most 1000. */
  limit?: number;
}

/** A node ranked by {@link GraphStore.sharedNeighbours}. */
export interface SharedNeighbour {
  node: GraphNode;
  /** Number of shared neighbours. */
  sharedCount: number;
  /** Adamic-Adar: sum over shared neighbours v of 1 / ln(degree(v)), so hubs weigh less. */
  score: number;
  /** Ids of the shared neighbours, most specific (lowest degree) first, at most 20. */
  shared: string[];
}

/** Options of {@link GraphStore.shortestPath}. */
export interface PathOptions {
  /** Most edges on the path, 1..10. Default 6. */
  maxDepth?: number;
  /** Default `both` (edges followed either way). */
  direction?: Direction;
  edgeTypes?: readonly EdgeType[];
}

/** A path: `edges[i]` joins `nodes[i]` and `nodes[i + 1]` (in either direction). */
export interface GraphPath {
  nodes: GraphNode[];
  edges: EdgeRef[];
}

/** Counts in the graph. */
export interface GraphStats {
  nodes: number;
  edges: number;
  aliases: number;
  nodesByType: Partial<Record<NodeType, number>>;
  edgesByType: Partial<Record<EdgeType, number>>;
  edgesBySource: Record<string, number>;
}

/** Filter of {@link GraphStore.scanEdges}. */
export interface EdgeScanFilter {
  types?: readonly EdgeType[];
  srcTypes?: readonly NodeType[];
  dstTypes?: readonly NodeType[];
}

/** Position in the edge scan order. */
export interface EdgeCursor {
  src: string;
  type: EdgeType;
  dst: string;
  source: string;
}

/** A frequent itemset: items (sorted) seen together in `count` transactions. */
export interface Itemset {
  items: string[];
  count: number;
  /** count / transactions. */
  support: number;
}

/** `antecedent -> consequent` with the usual measures. */
export interface AssociationRule {
  /** Sorted items. */
  antecedent: string[];
  consequent: string;
  /** Transactions holding antecedent and consequent. */
  count: number;
  support: number;
  /** P(consequent | antecedent). */
  confidence: number;
  /** confidence / support(consequent); above 1 means seen together more than by chance. */
  lift: number;
}

/** A full mining result to store. */
export interface PatternRun {
  minedAt: string;
  transactions: number;
  params: Record<string, unknown>;
  itemsets: readonly Itemset[];
  rules: readonly AssociationRule[];
}

/** Summary of the stored pattern run. */
export interface PatternInfo {
  minedAt: string;
  transactions: number;
  params: Record<string, unknown>;
  itemsets: number;
  rules: number;
}
