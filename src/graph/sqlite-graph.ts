import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, type Clock, systemClock } from '../core/index.js';
import type { Migration } from '../store/index.js';
import { AdjacencyCache } from './adjacency-cache.js';
import type { AdjacencyCacheOptions, AdjacencySource, OwnWrite } from './adjacency-cache-types.js';
import { aliasMatches } from './alias-filter.js';
import { edgeKey } from './apply-plan.js';
import type {
  AliasFilter,
  ApplyOptions,
  AssociationRule,
  EdgeCursor,
  EdgeQuery,
  EdgeScanFilter,
  GraphPath,
  GraphStats,
  GraphStore,
  Itemset,
  LinkQuery,
  NeighbourOptions,
  NeighbourResult,
  PathOptions,
  PatternInfo,
  PatternRun,
  ReachedNode,
  ReachQuery,
  SharedNeighbour,
  SharedNeighbourOptions,
} from './contract.js';
import { GRAPH_SQLITE_MIGRATIONS } from './migrations.js';
import type {
  AliasEntry,
  ApplyResult,
  EdgeRef,
  GraphBatch,
  GraphEdge,
  GraphNode,
  NodeType,
} from './schema.js';
import { loadSqliteAdjacency, sqliteGeneration } from './sqlite-adjacency.js';
import { applySqlite } from './sqlite-apply.js';
import { SqliteChangeLog } from './sqlite-change-log.js';
import { migrateSqliteGraph } from './sqlite-migrate.js';
import { SqliteOwnWrites } from './sqlite-own-writes.js';
import {
  itemsetsSqlite,
  patternInfoSqlite,
  rulesByAntecedentSqlite,
  savePatternsSqlite,
} from './sqlite-patterns.js';
import {
  type AliasRowDb,
  EDGE_COLS,
  type EdgeRowDb,
  type NodeRowDb,
  toAlias,
  toEdge,
  toNode,
} from './sqlite-rows.js';
import { findShortestPath, rankSharedNeighbours, traverseNeighbours } from './traversal.js';

/** Options for {@link openSqliteGraph}. */
export interface SqliteGraphOptions {
  /** File path (parent directories are created) or `:memory:`. Ignored when `db` is given. */
  path?: string;
  /** An open connection to share (e.g. the main store's); `close()` then leaves it open. */
  db?: Database.Database;
  /** Timestamps for created/updated. Default: the system clock. */
  clock?: Clock;
  /** Override the migrations (tests). */
  migrations?: readonly Migration[];
  /** The in-process adjacency cache serving `neighbours` (see `AdjacencyCache`); `false` turns it off. Default on. */
  adjacency?: AdjacencyCacheOptions | false;
}

/**
 * Opens (creating and migrating) the embedded SQLite graph. By default it lives
 * in its own file (`DATA_DIR/graph.sqlite`, see `openGraph`) so bulk imports
 * never hold the main store's write lock; pass `db` to share a connection instead.
 */
export function openSqliteGraph(options: SqliteGraphOptions): SqliteGraph {
  let db = options.db;
  const owned = db === undefined;
  if (!db) {
    const path = options.path ?? ':memory:';
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
    } catch (cause) {
      throw new AppError('CS_ERR_STORE_UNAVAILABLE', `Cannot open the SQLite graph at ${path}`, { cause });
    }
    db.pragma('journal_mode = WAL');
    // FULL, as the main store: recorded threats exist only here, so an acknowledged write must survive power loss.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
  }
  db.pragma('foreign_keys = ON');
  migrateSqliteGraph(db, options.migrations ?? GRAPH_SQLITE_MIGRATIONS);
  return new SqliteGraph(db, owned, options.clock ?? systemClock, options.adjacency ?? {});
}

/** The SQLite implementation of {@link GraphStore}. */
export class SqliteGraph implements GraphStore {
  readonly kind = 'sqlite' as const;
  /** The connection (benchmarks and the integrator may inspect it). */
  readonly db: Database.Database;
  readonly #owned: boolean;
  readonly #clock: Clock;
  readonly #statements = new Map<string, Database.Statement>();
  /** The cache serving {@link SqliteGraph.neighbours}, when on. */
  readonly adjacency: AdjacencyCache | undefined;
  /** Reports this connection's committed `apply()`s to the cache. */
  readonly #ownWrites: SqliteOwnWrites | undefined;
  /** Log positions of the cache's snapshots, for its catch-up (option `catchUp`). */
  readonly #changeLog: SqliteChangeLog;
  /**
   * Runs its argument in a transaction (a savepoint inside an open one). Built once: better-sqlite3
   * builds four wrapper functions on every `transaction()` call, and `apply` runs once per write.
   */
  readonly #inTransaction: Database.Transaction<(run: () => ApplyResult) => ApplyResult>;
  #closed = false;

  constructor(
    db: Database.Database,
    owned: boolean,
    clock: Clock,
    adjacency: AdjacencyCacheOptions | false = {},
  ) {
    this.db = db;
    this.#owned = owned;
    this.#clock = clock;
    this.#changeLog = new SqliteChangeLog(db, (sql) => this.#stmt(sql));
    this.#inTransaction = db.transaction((run: () => ApplyResult) => run());
    this.adjacency = adjacency === false ? undefined : new AdjacencyCache(this.#adjacencySource(), adjacency);
    // With catch-up, own writes reach the snapshot through the log like everyone else's (committed
    // rows only, so a rollback inside someone else's transaction needs no special care).
    this.#ownWrites =
      this.adjacency && !this.adjacency.catchUp
        ? new SqliteOwnWrites(db, (sql) => this.#stmt(sql), this.adjacency)
        : undefined;
  }

  #adjacencySource(): AdjacencySource {
    return {
      generation: async () => {
        this.#ownWrites?.settle();
        return this.#generation();
      },
      load: async (builder, maxEdges) => {
        let position = 0;
        const generation = loadSqliteAdjacency(
          this.db,
          (sql) => this.#stmt(sql),
          builder,
          maxEdges,
          (p) => {
            position = p;
          },
        );
        if (generation !== false) this.#changeLog.note(generation, position);
        return generation;
      },
      changesSince: async (generation, maxRows) => this.#changeLog.changesSince(generation, maxRows),
      getNodes: (ids) => this.getNodes(ids),
      neighboursInDatabase: (start, options) => traverseNeighbours(this, start, options),
    };
  }

  #generation(): string {
    return sqliteGeneration((sql) => this.#stmt(sql));
  }

  #stmt(sql: string): Database.Statement {
    this.#open();
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  #open(): void {
    if (this.#closed) throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The SQLite graph is closed');
  }

  async ping(): Promise<void> {
    try {
      this.#stmt('SELECT 1').get();
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The SQLite graph is not answering', { cause });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.adjacency?.close();
    this.#statements.clear();
    if (this.#owned) this.db.close();
  }

  async apply(batch: GraphBatch, options: ApplyOptions = {}): Promise<ApplyResult> {
    this.#open();
    const now = new Date(this.#clock.now()).toISOString();
    const cache = this.adjacency?.inPlace && this.#ownWrites ? this.adjacency : undefined;
    this.#ownWrites?.settle();
    // The generation before the first write and after the last, inside the immediate transaction:
    // no other connection can commit in between (we hold the write lock, so `data_version` stays),
    // and nothing else runs on this connection (synchronous), so `total_changes()` moves by ours only.
    let write: OwnWrite | undefined;
    const result = this.#inTransaction.immediate(() => {
      const before = cache ? this.#generation() : '';
      const { result, effect } = applySqlite((sql) => this.#stmt(sql), batch, options, now);
      if (cache) write = { before, after: this.#generation(), ...effect };
      return result;
    });
    // This connection's own commit leaves `data_version` as it was, so once committed `after` is the
    // token; inside a transaction opened by the caller, the write is reported when that one has committed.
    if (write) this.#ownWrites?.written(write);
    return result;
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    if (ids.length === 0) return [];
    const rows = this.#stmt(
      'SELECT id, type, name, props, sources, created_at, updated_at FROM graph_nodes WHERE id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(ids)) as NodeRowDb[];
    const byId = new Map(rows.map((r) => [r.id, toNode(r)]));
    return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
  }

  async getNode(id: string): Promise<GraphNode | undefined> {
    return (await this.getNodes([id]))[0];
  }

  async deleteNodes(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.#stmt('DELETE FROM graph_nodes WHERE id IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(ids),
    ).changes;
  }

  async lookupAliases(norms: readonly string[], filter: AliasFilter = {}): Promise<AliasEntry[]> {
    if (norms.length === 0) return [];
    const rows = this.#stmt(
      `SELECT norm, node_id, node_type, kind, value FROM graph_aliases WHERE norm IN (SELECT value FROM json_each(?))
       ORDER BY norm, node_id, kind`,
    ).all(JSON.stringify(norms)) as AliasRowDb[];
    return rows.map(toAlias).filter((a) => aliasMatches(a, filter));
  }

  async aliasesOf(nodeIds: readonly string[]): Promise<AliasEntry[]> {
    if (nodeIds.length === 0) return [];
    const rows = this.#stmt(
      `SELECT norm, node_id, node_type, kind, value FROM graph_aliases
       WHERE node_id IN (SELECT value FROM json_each(?)) ORDER BY node_id, kind, value`,
    ).all(JSON.stringify(nodeIds)) as AliasRowDb[];
    return rows.map(toAlias);
  }

  async aliasEntries(filter: AliasFilter = {}): Promise<AliasEntry[]> {
    const rows = filter.types
      ? (this.#stmt(
          `SELECT norm, node_id, node_type, kind, value FROM graph_aliases
           WHERE node_type IN (SELECT value FROM json_each(?)) ORDER BY norm, node_id, kind`,
        ).all(JSON.stringify(filter.types)) as AliasRowDb[])
      : (this.#stmt(
          'SELECT norm, node_id, node_type, kind, value FROM graph_aliases ORDER BY norm, node_id, kind',
        ).all() as AliasRowDb[]);
    return rows.map(toAlias).filter((a) => aliasMatches(a, filter));
  }

  async edges(query: EdgeQuery): Promise<GraphEdge[]> {
    if (query.nodeIds.length === 0) return [];
    const direction = query.direction ?? 'both';
    const out = direction === 'in' ? [] : this.#edgesOneWay(query, 'out');
    const inc = direction === 'out' ? [] : this.#edgesOneWay(query, 'in');
    if (direction !== 'both') return [...out, ...inc];
    const seen = new Set(out.map((e) => edgeKey(e)));
    return [...out, ...inc.filter((e) => !seen.has(edgeKey(e)))];
  }

  async links(query: LinkQuery): Promise<EdgeRef[]> {
    if (query.nodeIds.length === 0) return [];
    const direction = query.direction ?? 'both';
    const params: unknown[] = [];
    const parts: string[] = [];
    const cols = 'src, src_type, type, dst, dst_type, source, confidence';
    if (direction !== 'in') parts.push(this.#half(cols, 'out', query, params, false));
    // With both directions, an edge between two queried nodes comes from the outgoing half only.
    if (direction !== 'out') parts.push(this.#half(cols, 'in', query, params, direction === 'both'));
    const sql = parts.join(' UNION ALL ');
    // Raw rows (arrays) skip building an object per row: traversals read thousands of them.
    const rows = this.#stmt(sql)
      .raw(true)
      .all(...params) as [string, NodeType, EdgeRef['type'], string, NodeType, string, number][];
    return rows.map(([src, srcType, type, dst, dstType, source, confidence]) => ({
      src,
      srcType,
      type,
      dst,
      dstType,
      source,
      confidence,
    }));
  }

  async reach(query: ReachQuery): Promise<ReachedNode[]> {
    if (query.nodeIds.length === 0) return [];
    const direction = query.direction ?? 'both';
    const params: unknown[] = [];
    const parts: string[] = [];
    const key = 'src || char(0) || type || char(0) || dst || char(0) || source';
    if (direction !== 'in')
      parts.push(
        this.#half(`dst AS far, dst_type AS ft, confidence AS c, ${key} AS k`, 'out', query, params, false),
      );
    if (direction !== 'out')
      parts.push(
        this.#half(`src AS far, src_type AS ft, confidence AS c, ${key} AS k`, 'in', query, params, false),
      );
    // The far end's type is the same on every edge reaching a node. Excluding after grouping
    // (HAVING) tests each node once rather than each edge: half the cost of the same test in WHERE
    // next to a hub. min(k) is the first edge by key (byte order, as the tuple: no id holds U+0000).
    let sql = `SELECT far, min(ft), max(c), min(c), min(k) FROM (${parts.join(' UNION ALL ')}) GROUP BY far`;
    if (query.exclude && query.exclude.length > 0) {
      sql += ' HAVING far NOT IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(query.exclude));
    }
    const rows = this.#stmt(sql)
      .raw(true)
      .all(...params) as [string, NodeType, number, number, string][];
    return rows.map(([id, type, confidence, lowest, firstEdge]) =>
      confidence === lowest ? { id, type, confidence, firstEdge } : { id, type, confidence },
    );
  }

  /** One direction of a {@link LinkQuery}: the SELECT of `cols` from the matching edges, its parameters pushed on `params`. */
  #half(cols: string, way: 'out' | 'in', query: LinkQuery, params: unknown[], excludeOut: boolean): string {
    const [near, far, farType] = way === 'out' ? ['src', 'dst', 'dst_type'] : ['dst', 'src', 'src_type'];
    const ids = JSON.stringify(query.nodeIds);
    // SQLite cannot tell how many ids a JSON list holds: with both ends given, make the shorter list
    // drive the index search (a unary + keeps the other term out of index selection).
    const byFar = query.otherIds !== undefined && query.otherIds.length < query.nodeIds.length;
    let sql = `SELECT ${cols} FROM graph_edges WHERE ${byFar ? '+' : ''}${near} IN (SELECT value FROM json_each(?))`;
    params.push(ids);
    if (excludeOut) {
      sql += ' AND src NOT IN (SELECT value FROM json_each(?))';
      params.push(ids);
    }
    if (query.edgeTypes) {
      sql += ' AND type IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(query.edgeTypes));
    }
    if (query.otherTypes) {
      sql += ` AND ${farType} IN (SELECT value FROM json_each(?))`;
      params.push(JSON.stringify(query.otherTypes));
    }
    if (query.otherIds) {
      sql += ` AND ${byFar ? '' : '+'}${far} IN (SELECT value FROM json_each(?))`;
      params.push(JSON.stringify(query.otherIds));
    }
    return sql;
  }

  #edgesOneWay(query: EdgeQuery, way: 'out' | 'in'): GraphEdge[] {
    const [near, farType] = way === 'out' ? ['src', 'dst_type'] : ['dst', 'src_type'];
    const where = [`${near} IN (SELECT value FROM json_each(?))`];
    const params: unknown[] = [JSON.stringify(query.nodeIds)];
    if (query.edgeTypes) {
      where.push('type IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(query.edgeTypes));
    }
    if (query.otherTypes) {
      where.push(`${farType} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(query.otherTypes));
    }
    let sql = `SELECT ${EDGE_COLS} FROM graph_edges WHERE ${where.join(' AND ')}`;
    if (query.limitPerNode !== undefined) {
      sql = `SELECT ${EDGE_COLS} FROM (SELECT ${EDGE_COLS}, ROW_NUMBER() OVER (PARTITION BY ${near}
             ORDER BY updated_at DESC, src, type, dst, source) AS rn FROM graph_edges WHERE ${where.join(' AND ')})
             WHERE rn <= ?`;
      params.push(query.limitPerNode);
    }
    return (this.#stmt(sql).all(...params) as EdgeRowDb[]).map(toEdge);
  }

  neighbours(start: string, options?: NeighbourOptions): Promise<NeighbourResult> {
    return this.adjacency
      ? this.adjacency.neighbours(start, options)
      : traverseNeighbours(this, start, options);
  }

  sharedNeighbours(nodeId: string, options?: SharedNeighbourOptions): Promise<SharedNeighbour[]> {
    return rankSharedNeighbours(this, nodeId, options);
  }

  shortestPath(from: string, to: string, options?: PathOptions): Promise<GraphPath | undefined> {
    return findShortestPath(this, from, to, options);
  }

  async optimize(): Promise<void> {
    this.#stmt('ANALYZE').run();
  }

  async stats(): Promise<GraphStats> {
    const count = (sql: string) => (this.#stmt(sql).get() as { n: number }).n;
    const group = (sql: string) =>
      Object.fromEntries((this.#stmt(sql).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
    return {
      nodes: count('SELECT COUNT(*) AS n FROM graph_nodes'),
      edges: count('SELECT COUNT(*) AS n FROM graph_edges'),
      aliases: count('SELECT COUNT(*) AS n FROM graph_aliases'),
      nodesByType: group('SELECT type AS k, COUNT(*) AS n FROM graph_nodes GROUP BY type ORDER BY type'),
      edgesByType: group('SELECT type AS k, COUNT(*) AS n FROM graph_edges GROUP BY type ORDER BY type'),
      edgesBySource: group(
        'SELECT source AS k, COUNT(*) AS n FROM graph_edges GROUP BY source ORDER BY source',
      ),
    };
  }

  async countNodes(type: NodeType): Promise<number> {
    return (this.#stmt('SELECT COUNT(*) AS n FROM graph_nodes WHERE type = ?').get(type) as { n: number }).n;
  }

  async scanNodes(after: string | undefined, limit: number): Promise<GraphNode[]> {
    const rows = this.#stmt(
      'SELECT id, type, name, props, sources, created_at, updated_at FROM graph_nodes WHERE id > ? ORDER BY id LIMIT ?',
    ).all(after ?? '', limit) as NodeRowDb[];
    return rows.map(toNode);
  }

  async scanEdges(
    after: EdgeCursor | undefined,
    limit: number,
    filter: EdgeScanFilter = {},
  ): Promise<GraphEdge[]> {
    const c = after ?? { src: '', type: '', dst: '', source: '' };
    const list = (v: readonly string[] | undefined) => (v ? JSON.stringify(v) : null);
    const rows = this.#stmt(
      `SELECT ${EDGE_COLS} FROM graph_edges WHERE (src, type, dst, source) > (?, ?, ?, ?)
       AND (? IS NULL OR type IN (SELECT value FROM json_each(?)))
       AND (? IS NULL OR src_type IN (SELECT value FROM json_each(?)))
       AND (? IS NULL OR dst_type IN (SELECT value FROM json_each(?)))
       ORDER BY src, type, dst, source LIMIT ?`,
    ).all(
      c.src,
      c.type,
      c.dst,
      c.source,
      list(filter.types),
      list(filter.types),
      list(filter.srcTypes),
      list(filter.srcTypes),
      list(filter.dstTypes),
      list(filter.dstTypes),
      limit,
    ) as EdgeRowDb[];
    return rows.map(toEdge);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (
      this.#stmt('SELECT value FROM graph_meta WHERE key = ?').get(key) as { value: string } | undefined
    )?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.#stmt(
      'INSERT INTO graph_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  async savePatterns(run: PatternRun): Promise<void> {
    this.#open();
    savePatternsSqlite(this.db, (sql) => this.#stmt(sql), run);
  }

  async patternInfo(): Promise<PatternInfo | undefined> {
    return patternInfoSqlite((sql) => this.#stmt(sql), await this.getMeta('patterns'));
  }

  async rulesByAntecedent(keys: readonly string[]): Promise<AssociationRule[]> {
    return rulesByAntecedentSqlite((sql) => this.#stmt(sql), keys);
  }

  async itemsets(
    options: { containing?: string; minSize?: number; limit?: number } = {},
  ): Promise<Itemset[]> {
    return itemsetsSqlite((sql) => this.#stmt(sql), options);
  }
}
