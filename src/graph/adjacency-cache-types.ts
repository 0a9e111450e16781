import Type, { type Static } from 'typebox';
import type { AdjacencyBuilder } from './adjacency-snapshot.js';
import type { WriteEffect } from './apply-plan.js';
import type { NeighbourOptions, NeighbourResult } from './contract.js';
import type { GraphNode } from './schema.js';

// The options, the store-facing contract and the counters of `AdjacencyCache` (adjacency-cache.ts).

/** Options of the in-process adjacency cache of a graph store (`adjacency` of the store options). */
export const AdjacencyCacheOptionsSchema = Type.Object(
  {
    /**
     * The cache holds the whole graph's structure only while it has at most this many edges
     * (about 40 bytes each); above it, queries run in the database as without a cache.
     * Default 1,000,000.
     */
    maxEdges: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * Node rows (the nodes queries return) are kept, least recently used dropped first, while
     * their JSON text totals at most this many characters. Default 16,000,000 (about 32 MB).
     */
    maxNodeChars: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * Apply this process's own additive writes (see {@link AdjacencyCache.applied}) to the
     * snapshot in place instead of reloading it. Default true; false (with `catchUp` false too)
     * restores invalidation by every write (benchmarks compare the two). With `catchUp` on, an
     * own write not applied in place is caught up from the change log instead.
     */
    inPlace: Type.Optional(Type.Boolean()),
    /**
     * Edges added in place after which a full reload compacts them into a new snapshot
     * (in the background; the current one keeps answering). Default 10,000.
     */
    maxDeltaEdges: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * When a query finds the generation moved (a write committed by another connection or
     * process, or one not applied in place), first catch up from the store's change log: the
     * rows written since the snapshot, read in one consistent read and applied like an own
     * additive write (at most `maxDeltaEdges + 1` rows); the query waits for that read and then
     * answers from the snapshot. Anything the log cannot express as additions (a delete, a
     * changed confidence, TRUNCATE, more rows than the budget, a snapshot older than the log's
     * pruned horizon) falls back to the reload. Needs a store with a change log
     * ({@link AdjacencySource.changesSince}; both stores have one since graph migration 5 on
     * PostgreSQL, 4 on SQLite). Default true; false restores a reload after every write not
     * applied in place (benchmarks compare the two). On SQLite, with it on, own writes also
     * reach the snapshot through the log rather than in place.
     */
    catchUp: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** See {@link AdjacencyCacheOptionsSchema}. */
export type AdjacencyCacheOptions = Static<typeof AdjacencyCacheOptionsSchema>;

/** What the cache needs from a store. */
export interface AdjacencySource {
  /**
   * A token that differs from every earlier one once a write to the graph's nodes or edges
   * was committed, by this connection or any other (SQLite: `PRAGMA data_version` and the
   * connection's `total_changes()`; PostgreSQL: the `graph_generation` counter). One cheap read.
   */
  generation(): Promise<string>;
  /**
   * Adds every node and edge to `builder` from one consistent read, then node rows (JSON of
   * the `GraphNode`, as `getNodes` would return it) until `builder.row` refuses one, and returns
   * the generation token of that read (or one read before it); false, adding nothing, when the
   * graph has more than `maxEdges` edges.
   */
  load(builder: AdjacencyBuilder, maxEdges: number): Promise<string | false>;
  /** The node rows, from the database. */
  getNodes(ids: readonly string[]): Promise<GraphNode[]>;
  /** The same query in the database (the traversal without a cache). */
  neighboursInDatabase(start: string, options: NeighbourOptions): Promise<NeighbourResult>;
  /**
   * The writes committed since the snapshot at token `generation`, from the change log in one
   * consistent read, as an {@link OwnWrite} from `generation` to the token of that read (never
   * older than the query's token that asked). `added` is undefined when they cannot be applied
   * (see `effectOfChanges`), when more than `maxRows` log rows follow, when `generation` is older
   * than the log's pruned horizon or unknown to the store, or when it cannot read consistently
   * now (SQLite inside a transaction someone else opened). Absent: no change log, no catch-up.
   */
  changesSince?(generation: string, maxRows: number): Promise<OwnWrite>;
}

/**
 * A write this process committed, as its store reports it to the cache: the generation
 * tokens read inside the writing transaction before its first write and after its last,
 * while no other writer could commit (SQLite: the immediate transaction's write lock;
 * PostgreSQL: the `graph_generation` row locked first), so the graph at `after` is the
 * graph at `before` plus exactly this write; and what it did ({@link WriteEffect}).
 */
export interface OwnWrite extends WriteEffect {
  before: string;
  after: string;
}

/** Counters of an {@link AdjacencyCache}, for benchmarks, tests and metrics. */
export interface AdjacencyCacheStats {
  /** Full loads of the graph's structure (the first, and one after each write, unless backing off). */
  loads: number;
  /** Milliseconds of the last load (read and build). */
  lastLoadMs: number;
  /** Nodes and edges of the current snapshot with those added in place (0 when none). */
  nodes: number;
  edges: number;
  /** Nodes and edges added in place since the last load. */
  deltaNodes: number;
  deltaEdges: number;
  /** Bytes of the current snapshot's typed arrays (and the delta's). */
  arrayBytes: number;
  /** Own writes applied in place; own writes that could not be (the next query then finds the cache stale). */
  applied: number;
  notApplied: number;
  /** Reloads started because the delta passed `maxDeltaEdges`. */
  compactions: number;
  /**
   * Catch-ups from the change log (option `catchUp`) applied (a query then answers from the
   * snapshot), and refused (the log held something not additive, or too much: a reload follows).
   */
  catchUps: number;
  catchUpsRefused: number;
  /**
   * Queries answered from the snapshot; in the database because the snapshot was missing or
   * older than the last write (a reload then runs in the background); in the database because
   * the graph was over `maxEdges`.
   */
  hits: number;
  stale: number;
  fallbacks: number;
  /** Cached node rows and the characters of their JSON text. */
  nodeRows: number;
  nodeChars: number;
}
