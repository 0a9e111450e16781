import { validate } from '../core/index.js';
import {
  type AdjacencyCacheOptions,
  AdjacencyCacheOptionsSchema,
  type AdjacencyCacheStats,
  type AdjacencySource,
  type OwnWrite,
} from './adjacency-cache-types.js';
import { AdjacencyDelta } from './adjacency-delta.js';
import { AdjacencyBuilder } from './adjacency-snapshot.js';
import { TraversalScratch } from './adjacency-traverse.js';
import type { NeighbourOptions, NeighbourResult } from './contract.js';
import type { GraphNode } from './schema.js';
import { neighbourQuery, nodeNotFound } from './traversal.js';

interface Loaded {
  generation: string;
  /** The snapshot and what was added to it in place; undefined over `maxEdges`. */
  graph: AdjacencyDelta | undefined;
  scratch: TraversalScratch | undefined;
  /** Queries this snapshot answered. */
  hits: number;
}

/** Own writes kept while a load runs, to bring its snapshot up to date (oldest dropped first). */
const MAX_LOGGED_WRITES = 1000;

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
 * The store's own writes need no reload: it reports each committed `apply()`
 * ({@link AdjacencyCache.applied}) with the generation before and after it, and
 * when the snapshot is at `before` and the write only added nodes and edges (and
 * changed node rows), they are added to an {@link AdjacencyDelta} beside the
 * snapshot, the changed rows dropped, and the snapshot is at `after`. Writes by
 * anyone else, and own writes that changed or removed edges, still move the
 * generation past the snapshot's and cost a reload. A delta past `maxDeltaEdges`
 * is compacted by a reload in the background.
 *
 * Writes the snapshot did not see otherwise (another connection's or process's,
 * or own ones not applied in place) are caught up from the store's change log
 * (option `catchUp`, default on): the query that finds the generation moved
 * reads the log rows after the snapshot's generation (one read) and, when they
 * are only additions and within `maxDeltaEdges`, applies them like an own write
 * and answers from the snapshot; anything else (a delete, a changed confidence,
 * TRUNCATE, too many rows, a snapshot older than the log's pruned horizon)
 * falls back to the reload. One catch-up runs at a time; `close()` waits for it.
 *
 * Memory is bounded: the snapshot only up to `maxEdges` edges, those added in
 * place included (above it, queries go to the database), the node rows by
 * `maxNodeChars`. Answers equal the database traversal's, including order,
 * `reached`, `truncated` and `via`.
 */
export class AdjacencyCache {
  readonly #source: AdjacencySource;
  readonly #maxEdges: number;
  readonly #maxNodeChars: number;
  readonly #inPlace: boolean;
  readonly #maxDeltaEdges: number;
  readonly #catchUp: boolean;
  /** The running catch-up (one at a time): true when it brought the snapshot up to its read. */
  #catching: Promise<boolean> | undefined;
  #loaded: Loaded | undefined;
  #pending: Promise<void> | undefined;
  #closed = false;
  /** Own writes reported while a load runs (undefined when none runs): replayed on its snapshot. */
  #log: OwnWrite[] | undefined;
  /** Loads in a row whose snapshot answered no query, and when the next load may start (performance.now()). */
  #unused = 0;
  #nextLoadAt = 0;
  /** Node rows of the current generation as JSON, least recently used first (those read with the structure, by id). */
  #rows = new Map<string, string>();
  #rowsGeneration: string | undefined;
  #rowChars = 0;
  readonly #stats = {
    loads: 0,
    lastLoadMs: 0,
    hits: 0,
    stale: 0,
    fallbacks: 0,
    applied: 0,
    notApplied: 0,
    compactions: 0,
    catchUps: 0,
    catchUpsRefused: 0,
  };

  constructor(source: AdjacencySource, options: AdjacencyCacheOptions = {}) {
    const o = Object.freeze(
      validate(AdjacencyCacheOptionsSchema, options, 'adjacency', 'CS_ERR_CONFIG_INVALID'),
    );
    this.#source = source;
    this.#maxEdges = o.maxEdges ?? 1_000_000;
    this.#maxNodeChars = o.maxNodeChars ?? 16_000_000;
    this.#inPlace = o.inPlace ?? true;
    this.#maxDeltaEdges = o.maxDeltaEdges ?? 10_000;
    this.#catchUp = (o.catchUp ?? true) && source.changesSince !== undefined;
  }

  /** Implements {@link GraphStore.neighbours} from the snapshot (or the database above `maxEdges`). */
  async neighbours(start: string, options: NeighbourOptions = {}): Promise<NeighbourResult> {
    const query = neighbourQuery(options);
    const generation = await this.#source.generation();
    let loaded = this.#loaded;
    let current = loaded?.generation === generation;
    // Behind: catch up from the change log when on (the query waits for that one read), else reload.
    if (!current && loaded && this.#catchUp && (await this.#caughtUp(generation))) {
      loaded = this.#loaded;
      current = true;
    }
    if (!loaded || !current) {
      this.#stats.stale++;
      this.#reload(false);
      return this.#source.neighboursInDatabase(start, options);
    }
    const { graph, scratch } = loaded;
    if (!graph || !scratch) {
      this.#stats.fallbacks++;
      return this.#source.neighboursInDatabase(start, options);
    }
    const startNode = graph.indexOf(start);
    if (startNode === undefined) throw nodeNotFound(start);
    this.#stats.hits++;
    loaded.hits++;
    const found = scratch.neighbours(graph, startNode, query);
    const ids = found.chosen.map((c) => graph.idOf(c.node));
    const nodes = await this.#nodeRows(ids, loaded.generation);
    const neighbours = found.chosen.flatMap((c, i) => {
      const node = nodes[i];
      return node ? [{ node, depth: c.depth, via: graph.edgeRef(c.edge) }] : [];
    });
    return { start, neighbours, reached: found.reached, truncated: found.truncated };
  }

  /**
   * Called by the store after each `apply()` it committed (see {@link OwnWrite}). When the
   * snapshot is at `write.before` and the write is additive, it is applied in place and the
   * snapshot is at `write.after`; otherwise nothing changes here and the next query finds the
   * cache stale. Writes reported while a load runs are replayed on the loaded snapshot.
   */
  applied(write: OwnWrite): void {
    if (!this.#inPlace || this.#closed || write.before === write.after) return;
    if (this.#log) {
      this.#log.push(write);
      if (this.#log.length > MAX_LOGGED_WRITES) this.#log.shift();
    }
    const loaded = this.#loaded;
    if (!loaded || loaded.generation !== write.before) return;
    if (!this.#applyTo(loaded, write)) {
      this.#stats.notApplied++;
      return;
    }
    this.#stats.applied++;
    if ((loaded.graph?.addedEdges ?? 0) > this.#maxDeltaEdges && this.#reload(true))
      this.#stats.compactions++;
  }

  /** True when the cache catches up from the store's change log (option `catchUp`, and the store has one). */
  get catchUp(): boolean {
    return this.#catchUp;
  }

  /** True when own writes are applied in place (option `inPlace`): the store then reports them. */
  get inPlace(): boolean {
    return this.#inPlace;
  }

  /** Current counters. */
  stats(): AdjacencyCacheStats {
    const g = this.#loaded?.graph;
    return {
      ...this.#stats,
      nodes: g?.nodeCount ?? 0,
      edges: g?.edgeCount ?? 0,
      deltaNodes: g?.addedNodes ?? 0,
      deltaEdges: g?.addedEdges ?? 0,
      arrayBytes: g ? g.base.arrayBytes + g.arrayBytes : 0,
      nodeRows: this.#rows.size,
      nodeChars: this.#rowChars,
    };
  }

  /** Resolves when no reload is running (tests and benchmarks wait for the snapshot with it). */
  async settled(): Promise<void> {
    while (this.#pending || this.#catching) await (this.#pending ?? this.#catching);
  }

  /**
   * Starts no more reloads and resolves when the running one has finished, so the
   * store can close its connections (and a caller drop its tables) with no read in flight.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
  }

  /**
   * Brings the snapshot up to at least `generation` (a token read before this call) from the
   * change log; false when it could not (no snapshot, a load running, closed, the log refused).
   * A catch-up already running may have read before `generation` was, so after waiting for it
   * this checks again and, when still behind, runs its own (whose read follows the token's).
   */
  async #caughtUp(generation: string): Promise<boolean> {
    for (let round = 0; round < 3; round++) {
      const loaded = this.#loaded;
      if (!loaded?.graph || this.#closed || this.#pending) return false;
      if (loaded.generation === generation) return true;
      if (this.#catching) {
        await this.#catching;
        continue;
      }
      const running = this.#readChanges(loaded).finally(() => {
        this.#catching = undefined;
      });
      this.#catching = running;
      if (await running) return true;
      // Refused: reload. Otherwise the snapshot moved while the log was read (an own write): again.
      if (this.#loaded !== loaded || loaded.generation === generation) continue;
      return false;
    }
    return false;
  }

  /** Reads the log after `loaded`'s generation and applies it; true when the snapshot is at that read. */
  async #readChanges(loaded: Loaded): Promise<boolean> {
    const changesSince = this.#source.changesSince;
    if (!changesSince) return false;
    const before = loaded.generation;
    let write: OwnWrite;
    try {
      write = await changesSince.call(this.#source, before, this.#maxDeltaEdges + 1);
    } catch {
      // The database answers the query instead (and reports its own errors).
      return false;
    }
    // Only from where the snapshot still is: an own write applied meanwhile is in the rows read too.
    if (this.#closed || this.#loaded !== loaded || loaded.generation !== before) return false;
    if (write.before !== before || !write.added || !this.#applyTo(loaded, write)) {
      this.#stats.catchUpsRefused++;
      return false;
    }
    this.#stats.catchUps++;
    if ((loaded.graph?.addedEdges ?? 0) > this.#maxDeltaEdges && this.#reload(true))
      this.#stats.compactions++;
    return true;
  }

  /** Adds an additive own write at the snapshot's generation; false when it cannot be applied exactly. */
  #applyTo(loaded: Loaded, write: OwnWrite): boolean {
    const graph = loaded.graph;
    const added = write.added;
    if (!graph || !added) return false;
    if (graph.edgeCount + added.edges.length > this.#maxEdges) return false;
    if (write.before === write.after) return added.nodes.length === 0 && added.edges.length === 0;
    if (!graph.add(added.nodes, added.edges)) return false;
    loaded.generation = write.after;
    if (this.#rowsGeneration === write.before) {
      for (const id of write.updated) {
        const json = this.#rows.get(id);
        if (json === undefined) continue;
        this.#rows.delete(id);
        this.#rowChars -= json.length;
      }
      this.#rowsGeneration = write.after;
    }
    return true;
  }

  /**
   * Starts a background reload unless one is running, the cache is closed or the back-off says
   * wait. `compact`: the snapshot is current, keep answering from it until the new one is built.
   * True when it started one.
   */
  #reload(compact: boolean): boolean {
    if (this.#closed || this.#pending || (!compact && performance.now() < this.#nextLoadAt)) return false;
    // After the current query: SQLite reads synchronously, and the query that noticed the write should not wait.
    this.#pending = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#load(compact))
      .catch(() => {
        // A failed load leaves no snapshot: queries stay on the database (which reports its own errors).
      })
      .finally(() => {
        this.#pending = undefined;
        this.#log = undefined;
      });
    return true;
  }

  async #load(compact: boolean): Promise<void> {
    const previous = this.#loaded;
    // An own write may have brought the snapshot up to date since the query that found it stale.
    if (!compact && previous && (await this.#source.generation()) === previous.generation) return;
    const t0 = performance.now();
    this.#unused = previous && previous.hits === 0 ? this.#unused + 1 : 0;
    if (!compact) this.#loaded = undefined;
    this.#log = [];
    const builder = new AdjacencyBuilder(this.#maxNodeChars);
    const generation = await this.#source.load(builder, this.#maxEdges);
    let loaded: Loaded;
    if (generation === false) {
      // Over the budget: remember it for the generation read now, so queries do not retry until the next write.
      loaded = {
        generation: await this.#source.generation(),
        graph: undefined,
        scratch: undefined,
        hits: 0,
      };
      this.#rows = new Map(builder.rows);
      this.#rowChars = builder.rowChars;
    } else {
      const graph = new AdjacencyDelta(builder.build());
      loaded = { generation, graph, scratch: new TraversalScratch(graph.nodeCount), hits: 0 };
      this.#rows = new Map(builder.rows);
      this.#rowChars = builder.rowChars;
      this.#rowsGeneration = generation;
      // Own writes committed after the load's read, in order: each applies when it starts where the last ended.
      for (const write of this.#log)
        if (write.before === loaded.generation && this.#applyTo(loaded, write)) this.#stats.applied++;
    }
    this.#log = undefined;
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
