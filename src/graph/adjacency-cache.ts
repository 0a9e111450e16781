import Type, { type Static } from 'typebox';
import { validate } from '../core/index.js';
import { AdjacencyBuilder, type AdjacencySnapshot } from './adjacency-snapshot.js';
import { TraversalScratch } from './adjacency-traverse.js';
import type { NeighbourOptions, NeighbourResult } from './contract.js';
import type { GraphNode } from './schema.js';
import { neighbourQuery, nodeNotFound } from './traversal.js';

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
}

/** Counters of an {@link AdjacencyCache}, for benchmarks, tests and metrics. */
export interface AdjacencyCacheStats {
  /** Full loads of the graph's structure (the first, and one after each write, unless backing off). */
  loads: number;
  /** Milliseconds of the last load (read and build). */
  lastLoadMs: number;
  /** Nodes and edges of the current snapshot (0 when none). */
  nodes: number;
  edges: number;
  /** Bytes of the current snapshot's typed arrays. */
  arrayBytes: number;
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

interface Loaded {
  generation: string;
  snapshot: AdjacencySnapshot | undefined;
  scratch: TraversalScratch | undefined;
  /** Queries this snapshot answered. */
  hits: number;
}

/**
 * An exact in-process cache for {@link GraphStore.neighbours}, the same for both
 * backends. It holds the structure of the whole graph as an
 * {@link AdjacencySnapshot} (integer node numbers, typed arrays) and the JSON of
 * node rows. Every query first reads the store's generation token (one cheap
 * read). When it equals the snapshot's, the snapshot answers; otherwise (a write
 * was committed since, by any connection or process) the database traversal
 * answers, exactly as without a cache, and a reload of the snapshot starts in the
 * background (after the current query, one at a time). So no query waits for a
 * load; a graph written to more often than it is read stays on the database, and
 * loads whose snapshot answered nothing before the next write back off (the wait
 * before the next load doubles, in multiples of the load's own time, up to 64×).
 *
 * Memory is bounded: the snapshot only up to `maxEdges` edges (above it, queries
 * go to the database), the node rows by `maxNodeChars`. Answers equal the
 * database traversal's, including order, `reached`, `truncated` and `via`.
 */
export class AdjacencyCache {
  readonly #source: AdjacencySource;
  readonly #maxEdges: number;
  readonly #maxNodeChars: number;
  #loaded: Loaded | undefined;
  #pending: Promise<void> | undefined;
  #closed = false;
  /** Loads in a row whose snapshot answered no query, and when the next load may start (performance.now()). */
  #unused = 0;
  #nextLoadAt = 0;
  /** Node rows of the current generation as JSON, least recently used first (those read with the structure, by id). */
  #rows = new Map<string, string>();
  #rowsGeneration: string | undefined;
  #rowChars = 0;
  readonly #stats = { loads: 0, lastLoadMs: 0, hits: 0, stale: 0, fallbacks: 0 };

  constructor(source: AdjacencySource, options: AdjacencyCacheOptions = {}) {
    const o = Object.freeze(
      validate(AdjacencyCacheOptionsSchema, options, 'adjacency', 'CS_ERR_CONFIG_INVALID'),
    );
    this.#source = source;
    this.#maxEdges = o.maxEdges ?? 1_000_000;
    this.#maxNodeChars = o.maxNodeChars ?? 16_000_000;
  }

  /** Implements {@link GraphStore.neighbours} from the snapshot (or the database above `maxEdges`). */
  async neighbours(start: string, options: NeighbourOptions = {}): Promise<NeighbourResult> {
    const query = neighbourQuery(options);
    const generation = await this.#source.generation();
    const loaded = this.#loaded;
    if (!loaded || loaded.generation !== generation) {
      this.#stats.stale++;
      this.#reload();
      return this.#source.neighboursInDatabase(start, options);
    }
    const { snapshot, scratch } = loaded;
    if (!snapshot || !scratch) {
      this.#stats.fallbacks++;
      return this.#source.neighboursInDatabase(start, options);
    }
    const startNode = snapshot.indexOf(start);
    if (startNode === undefined) throw nodeNotFound(start);
    this.#stats.hits++;
    loaded.hits++;
    const found = scratch.neighbours(snapshot, startNode, query);
    const ids = found.chosen.map((c) => snapshot.ids[c.node] as string);
    const nodes = await this.#nodeRows(ids, loaded.generation);
    const neighbours = found.chosen.flatMap((c, i) => {
      const node = nodes[i];
      return node ? [{ node, depth: c.depth, via: snapshot.edgeRef(c.edge) }] : [];
    });
    return { start, neighbours, reached: found.reached, truncated: found.truncated };
  }

  /** Current counters. */
  stats(): AdjacencyCacheStats {
    const s = this.#loaded?.snapshot;
    return {
      ...this.#stats,
      nodes: s?.nodeCount ?? 0,
      edges: s?.edgeCount ?? 0,
      arrayBytes: s?.arrayBytes ?? 0,
      nodeRows: this.#rows.size,
      nodeChars: this.#rowChars,
    };
  }

  /** Resolves when no reload is running (tests and benchmarks wait for the snapshot with it). */
  async settled(): Promise<void> {
    while (this.#pending) await this.#pending;
  }

  /**
   * Starts no more reloads and resolves when the running one has finished, so the
   * store can close its connections (and a caller drop its tables) with no read in flight.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
  }

  /** Starts a background reload unless one is running, the cache is closed or the back-off says wait. */
  #reload(): void {
    if (this.#closed || this.#pending || performance.now() < this.#nextLoadAt) return;
    // After the current query: SQLite reads synchronously, and the query that noticed the write should not wait.
    this.#pending = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#load())
      .catch(() => {
        // A failed load leaves no snapshot: queries stay on the database (which reports its own errors).
      })
      .finally(() => {
        this.#pending = undefined;
      });
  }

  async #load(): Promise<void> {
    const t0 = performance.now();
    const previous = this.#loaded;
    this.#unused = previous && previous.hits === 0 ? this.#unused + 1 : 0;
    this.#loaded = undefined;
    const builder = new AdjacencyBuilder(this.#maxNodeChars);
    const generation = await this.#source.load(builder, this.#maxEdges);
    let loaded: Loaded;
    this.#rows = new Map(builder.rows);
    this.#rowChars = builder.rowChars;
    if (generation === false) {
      // Over the budget: remember it for the generation read now, so queries do not retry until the next write.
      loaded = {
        generation: await this.#source.generation(),
        snapshot: undefined,
        scratch: undefined,
        hits: 0,
      };
    } else {
      const snapshot = builder.build();
      loaded = { generation, snapshot, scratch: new TraversalScratch(snapshot.nodeCount), hits: 0 };
      this.#rowsGeneration = generation;
    }
    this.#stats.loads++;
    const ms = performance.now() - t0;
    this.#stats.lastLoadMs = ms;
    this.#nextLoadAt = this.#unused === 0 ? 0 : performance.now() + ms * 2 ** Math.min(this.#unused, 6);
    this.#loaded = loaded;
  }

  /** The node rows of `ids` (undefined where the database has none), from the row cache where it has them. */
  async #nodeRows(ids: readonly string[], generation: string): Promise<(GraphNode | undefined)[]> {
    if (this.#rowsGeneration !== generation) {
      this.#rows.clear();
      this.#rowChars = 0;
      this.#rowsGeneration = generation;
    }
    const out: (GraphNode | undefined)[] = new Array(ids.length);
    const missing: number[] = [];
    ids.forEach((id, i) => {
      const json = this.#rows.get(id);
      if (json === undefined) {
        missing.push(i);
        return;
      }
      // Re-inserted: the Map's order is the recency order. Parsed anew so callers may modify what they get.
      this.#rows.delete(id);
      this.#rows.set(id, json);
      out[i] = JSON.parse(json) as GraphNode;
    });
    if (missing.length === 0) return out;
    const fetched = new Map(
      (await this.#source.getNodes(missing.map((i) => ids[i] as string))).map((n) => [n.id, n]),
    );
    // Rows read while a newer generation replaced this one are answered but not kept.
    const keep = this.#rowsGeneration === generation;
    for (const i of missing) {
      const node = fetched.get(ids[i] as string);
      out[i] = node;
      if (node && keep) this.#remember(node);
    }
    return out;
  }

  #remember(node: GraphNode): void {
    const json = JSON.stringify(node);
    if (json.length > this.#maxNodeChars) return;
    this.#rows.set(node.id, json);
    this.#rowChars += json.length;
    for (const [id, old] of this.#rows) {
      if (this.#rowChars <= this.#maxNodeChars) break;
      this.#rows.delete(id);
      this.#rowChars -= old.length;
    }
  }
}
