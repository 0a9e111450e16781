import pg from 'pg';
import { AppError, type Clock, systemClock } from '../core/index.js';
import type { Migration } from '../store/index.js';
import { AdjacencyCache } from './adjacency-cache.js';
import type { AdjacencyCacheOptions, AdjacencySource, OwnWrite } from './adjacency-cache-types.js';
import type { AdjacencyBuilder } from './adjacency-snapshot.js';
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
import { GRAPH_POSTGRES_MIGRATIONS } from './migrations.js';
import { readPostgresAdjacency, readPostgresChanges } from './postgres-adjacency.js';
import { applyPostgres } from './postgres-apply.js';
import { migratePostgresGraph } from './postgres-migrate.js';
import {
  itemsetsPostgres,
  patternInfoPostgres,
  rulesByAntecedentPostgres,
  savePatternsPostgres,
} from './postgres-patterns.js';
import { EDGE_COLS, type EdgeRowDb, NODE_COLS, type NodeRowDb, toEdge, toNode } from './postgres-rows.js';
import type {
  AliasEntry,
  ApplyResult,
  EdgeRef,
  GraphBatch,
  GraphEdge,
  GraphNode,
  NodeType,
} from './schema.js';
import { findShortestPath, rankSharedNeighbours, traverseNeighbours } from './traversal.js';

/** Options for {@link openPostgresGraph}. */
export interface PostgresGraphOptions {
  /** `postgres://…`; ignored when `pool` is given. */
  url?: string;
  /** Schema for the graph tables (created if missing). Default `public`. Ignored when `pool` is given. */
  schema?: string;
  /** A pool to share (e.g. the main store's, whose search_path already names the schema); not closed by `close()`. */
  pool?: pg.Pool;
  /** Pool size when the graph opens its own. Default 5. */
  maxConnections?: number;
  clock?: Clock;
  migrations?: readonly Migration[];
  /** The in-process adjacency cache serving `neighbours` (see `AdjacencyCache`); `false` turns it off. Default on. */
  adjacency?: AdjacencyCacheOptions | false;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
// Serialises apply() across processes: planning reads then writes, so two concurrent merges
// of one node must not interleave. Graph writes are rare compared with reads.
const WRITE_LOCK_KEY = 0x63796268;

/**
 * Connects to PostgreSQL and migrates the graph tables (prefixed `graph_`, with
 * their own `graph_schema_migrations`), so they can share a database and schema
 * with the main store.
 */
export async function openPostgresGraph(options: PostgresGraphOptions): Promise<PostgresGraph> {
  let pool = options.pool;
  const owned = pool === undefined;
  if (!pool) {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema))
      throw new AppError('CS_ERR_CONFIG_INVALID', `Invalid PostgreSQL schema name: ${schema}`);
    if (options.url === undefined)
      throw new AppError('CS_ERR_CONFIG_INVALID', 'openPostgresGraph needs a url or a pool');
    pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 5,
      options: `-c search_path=${schema}`,
    });
    pool.on('error', () => {});
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (cause) {
      await pool.end().catch(() => {});
      throw new AppError(
        'CS_ERR_STORE_UNAVAILABLE',
        `Cannot connect to PostgreSQL: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
  }
  try {
    await migratePostgresGraph(pool, options.migrations ?? GRAPH_POSTGRES_MIGRATIONS);
  } catch (cause) {
    if (owned) await pool.end().catch(() => {});
    if (cause instanceof AppError) throw cause;
    throw new AppError(
      'CS_ERR_STORE_UNAVAILABLE',
      `Cannot migrate the PostgreSQL graph: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return new PostgresGraph(pool, owned, options.clock ?? systemClock, options.adjacency ?? {});
}

type Queryable = pg.Pool | pg.PoolClient;

/** A database error as CS_ERR_STORE_UNAVAILABLE when it is a connection failure; others unchanged. */
function unavailable(cause: unknown): unknown {
  if ((cause as { code?: string }).code?.startsWith('08') || (cause as Error).message?.includes('Connection'))
    return new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is not answering', { cause });
  return cause;
}

/** The PostgreSQL implementation of {@link GraphStore}. */
export class PostgresGraph implements GraphStore {
  readonly kind = 'postgres' as const;
  /** The pool (benchmarks and the integrator may use it). */
  readonly pool: pg.Pool;
  readonly #owned: boolean;
  readonly #clock: Clock;
  /** The cache serving {@link PostgresGraph.neighbours}, when on. */
  readonly adjacency: AdjacencyCache | undefined;
  #closed = false;

  constructor(pool: pg.Pool, owned: boolean, clock: Clock, adjacency: AdjacencyCacheOptions | false = {}) {
    this.pool = pool;
    this.#owned = owned;
    this.#clock = clock;
    this.adjacency = adjacency === false ? undefined : new AdjacencyCache(this.#adjacencySource(), adjacency);
  }

  #adjacencySource(): AdjacencySource {
    return {
      generation: () => this.#generation(),
      load: (builder, maxEdges) => this.#loadAdjacency(builder, maxEdges),
      getNodes: (ids) => this.getNodes(ids),
      neighboursInDatabase: (start, options) => traverseNeighbours(this, start, options),
      changesSince: async (generation, maxRows) => {
        if (this.#closed) throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is closed');
        try {
          return await readPostgresChanges(this.pool, generation, maxRows);
        } catch (cause) {
          throw unavailable(cause);
        }
      },
    };
  }

  /**
   * The `graph_generation` counter. A named statement: read before every cached query, it is
   * parsed and planned once per connection (it has no parameters, so the generic plan is the plan).
   */
  async #generation(): Promise<string> {
    if (this.#closed) throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is closed');
    try {
      const { rows } = await this.pool.query<[string]>({
        name: 'graph_generation',
        text: 'SELECT n FROM graph_generation',
        rowMode: 'array',
      });
      return rows[0]?.[0] ?? '';
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  /** Every node and edge, and the generation, from one snapshot (a repeatable-read transaction). */
  #loadAdjacency(builder: AdjacencyBuilder, maxEdges: number): Promise<string | false> {
    return this.#readOnly((client) => readPostgresAdjacency(client, builder, maxEdges));
  }

  /** `fn` inside one `REPEATABLE READ READ ONLY` transaction (one snapshot). */
  async #readOnly<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is closed');
    const client = await this.pool.connect().catch((cause: unknown) => {
      throw unavailable(cause);
    });
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      if (err instanceof AppError) throw err;
      throw unavailable(err);
    } finally {
      client.release();
    }
  }

  async #q<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    on: Queryable = this.pool,
  ): Promise<R[]> {
    if (this.#closed) throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is closed');
    try {
      return (await on.query<R>(sql, params)).rows;
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.#q('SELECT 1');
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is not answering', { cause });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.adjacency?.close();
    if (this.#owned) await this.pool.end();
  }

  async #transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is closed');
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async apply(batch: GraphBatch, options: ApplyOptions = {}): Promise<ApplyResult> {
    const now = new Date(this.#clock.now()).toISOString();
    // Without in-place updates, the write as before: no generation reads.
    const cache = this.adjacency?.inPlace ? this.adjacency : undefined;
    const q = <R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], on?: Queryable) =>
      this.#q<R>(sql, params, on);
    let write: OwnWrite | undefined;
    const result = await this.#transaction(async (client) => {
      // The generation row locked before the first write: no other transaction can bump it (every
      // write to nodes or edges does, by trigger) until this one ends, so `after` is `before` plus
      // exactly this write.
      const generation = async (lock: boolean) =>
        (await q<{ n: string }>(`SELECT n FROM graph_generation${lock ? ' FOR UPDATE' : ''}`, [], client))[0]
          ?.n ?? '';
      const before = cache ? await generation(true) : '';
      const { result, effect } = await applyPostgres(q, client, batch, options, now);
      if (cache) write = { before, after: await generation(false), ...effect };
      return result;
    });
    if (write) cache?.applied(write);
    return result;
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    if (ids.length === 0) return [];
    const rows = await this.#q<NodeRowDb>(`SELECT ${NODE_COLS} FROM graph_nodes WHERE id = ANY($1::text[])`, [
      ids,
    ]);
    const byId = new Map(rows.map((r) => [r.id, toNode(r)]));
    return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
  }

  async getNode(id: string): Promise<GraphNode | undefined> {
    return (await this.getNodes([id]))[0];
  }

  async deleteNodes(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.#transaction(async (client) => {
      const res = await client.query('DELETE FROM graph_nodes WHERE id = ANY($1::text[])', [ids]);
      return res.rowCount ?? 0;
    });
  }

  async lookupAliases(norms: readonly string[], filter: AliasFilter = {}): Promise<AliasEntry[]> {
    if (norms.length === 0) return [];
    const rows = await this.#q<{
      norm: string;
      node_id: string;
      node_type: NodeType;
      kind: AliasEntry['kind'];
      value: string;
    }>(
      `SELECT norm, node_id, node_type, kind, value FROM graph_aliases WHERE norm = ANY($1::text[])
       ORDER BY norm, node_id, kind`,
      [norms],
    );
    return rows
      .map((r) => ({ norm: r.norm, nodeId: r.node_id, nodeType: r.node_type, kind: r.kind, value: r.value }))
      .filter((a) => aliasMatches(a, filter));
  }

  async aliasesOf(nodeIds: readonly string[]): Promise<AliasEntry[]> {
    if (nodeIds.length === 0) return [];
    const rows = await this.#q<{
      norm: string;
      node_id: string;
      node_type: NodeType;
      kind: AliasEntry['kind'];
      value: string;
    }>(
      `SELECT norm, node_id, node_type, kind, value FROM graph_aliases
       WHERE node_id = ANY($1::text[]) ORDER BY node_id, kind, value`,
      [nodeIds],
    );
    return rows.map((r) => ({
      norm: r.norm,
      nodeId: r.node_id,
      nodeType: r.node_type,
      kind: r.kind,
      value: r.value,
    }));
  }

  async aliasEntries(filter: AliasFilter = {}): Promise<AliasEntry[]> {
    const rows = await this.#q<{
      norm: string;
      node_id: string;
      node_type: NodeType;
      kind: AliasEntry['kind'];
      value: string;
    }>(
      `SELECT norm, node_id, node_type, kind, value FROM graph_aliases
       WHERE ($1::text[] IS NULL OR node_type = ANY($1::text[])) ORDER BY norm, node_id, kind`,
      [filter.types ?? null],
    );
    return rows
      .map((r) => ({ norm: r.norm, nodeId: r.node_id, nodeType: r.node_type, kind: r.kind, value: r.value }))
      .filter((a) => aliasMatches(a, filter));
  }

  async edges(query: EdgeQuery): Promise<GraphEdge[]> {
    if (query.nodeIds.length === 0) return [];
    const direction = query.direction ?? 'both';
    const out = direction === 'in' ? [] : await this.#edgesOneWay(query, 'out');
    const inc = direction === 'out' ? [] : await this.#edgesOneWay(query, 'in');
    if (direction !== 'both') return [...out, ...inc];
    const seen = new Set(out.map((e) => edgeKey(e)));
    return [...out, ...inc.filter((e) => !seen.has(edgeKey(e)))];
  }

  async links(query: LinkQuery): Promise<EdgeRef[]> {
    if (query.nodeIds.length === 0) return [];
    const direction = query.direction ?? 'both';
    const cols = 'src, src_type, type, dst, dst_type, source, confidence';
    const parts: string[] = [];
    if (direction !== 'in') parts.push(linkHalf(cols, 'out', false));
    // With both directions, an edge between two queried nodes comes from the outgoing half only.
    if (direction !== 'out') parts.push(linkHalf(cols, 'in', direction === 'both'));
    const sql = parts.join(' UNION ALL ');
    // Array rows skip building an object per row: traversals read thousands of them.
    const rows = await this.#arrayRows<[string, NodeType, EdgeRef['type'], string, NodeType, string, number]>(
      sql,
      linkParams(query),
    );
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
    const parts: string[] = [];
    const key = 'ARRAY[src, type, dst, source] AS k';
    if (direction !== 'in')
      parts.push(linkHalf(`dst AS far, dst_type AS ft, confidence AS c, ${key}`, 'out', false));
    if (direction !== 'out')
      parts.push(linkHalf(`src AS far, src_type AS ft, confidence AS c, ${key}`, 'in', false));
    // min over the key arrays: the first edge in tuple order, each column in the "C" collation (byte order, as SQLite).
    const rows = await this.#arrayRows<[string, NodeType, number, number, string[]]>(
      `SELECT far, min(ft), max(c), min(c), min(k) FROM (${parts.join(' UNION ALL ')}) r
       GROUP BY far HAVING $5::text[] IS NULL OR far <> ALL($5::text[])`,
      [...linkParams(query), query.exclude && query.exclude.length > 0 ? query.exclude : null],
    );
    return rows.map(([id, type, confidence, lowest, k]) =>
      confidence === lowest
        ? { id, type, confidence, firstEdge: k.join('\u0000') }
        : { id, type, confidence },
    );
  }

  async #arrayRows<R extends unknown[]>(text: string, values: unknown[]): Promise<R[]> {
    if (this.#closed) throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is closed');
    try {
      // Unnamed on purpose: a named statement soon gets a generic plan, which cannot see the size of
      // the id arrays and scanned the edge table (measured 40-110 ms instead of 20-45 ms next to a hub).
      return (await this.pool.query<R>({ text, values, rowMode: 'array' })).rows;
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  async #edgesOneWay(query: EdgeQuery, way: 'out' | 'in'): Promise<GraphEdge[]> {
    const [near, farType] = way === 'out' ? ['src', 'dst_type'] : ['dst', 'src_type'];
    const where = [`${near} = ANY($1::text[])`];
    const params: unknown[] = [query.nodeIds];
    if (query.edgeTypes) {
      params.push(query.edgeTypes);
      where.push(`type = ANY($${params.length}::text[])`);
    }
    if (query.otherTypes) {
      params.push(query.otherTypes);
      where.push(`${farType} = ANY($${params.length}::text[])`);
    }
    let sql = `SELECT ${EDGE_COLS} FROM graph_edges WHERE ${where.join(' AND ')}`;
    if (query.limitPerNode !== undefined) {
      params.push(query.limitPerNode);
      sql = `SELECT ${EDGE_COLS} FROM (SELECT ${EDGE_COLS}, ROW_NUMBER() OVER (PARTITION BY ${near}
             ORDER BY updated_at DESC, src, type, dst, source) AS rn FROM graph_edges WHERE ${where.join(' AND ')}) w
             WHERE rn <= $${params.length}`;
    }
    return (await this.#q<EdgeRowDb>(sql, params)).map(toEdge);
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
    // VACUUM cannot run in a transaction block; each statement goes on its own.
    for (const t of ['graph_nodes', 'graph_edges', 'graph_aliases']) await this.#q(`VACUUM ANALYZE ${t}`);
  }

  async stats(): Promise<GraphStats> {
    const count = async (sql: string) => (await this.#q<{ n: number }>(sql))[0]?.n ?? 0;
    const group = async (sql: string) =>
      Object.fromEntries((await this.#q<{ k: string; n: number }>(sql)).map((r) => [r.k, r.n]));
    return {
      nodes: await count('SELECT COUNT(*)::int AS n FROM graph_nodes'),
      edges: await count('SELECT COUNT(*)::int AS n FROM graph_edges'),
      aliases: await count('SELECT COUNT(*)::int AS n FROM graph_aliases'),
      nodesByType: await group(
        'SELECT type AS k, COUNT(*)::int AS n FROM graph_nodes GROUP BY type ORDER BY type',
      ),
      edgesByType: await group(
        'SELECT type AS k, COUNT(*)::int AS n FROM graph_edges GROUP BY type ORDER BY type',
      ),
      edgesBySource: await group(
        'SELECT source AS k, COUNT(*)::int AS n FROM graph_edges GROUP BY source ORDER BY source',
      ),
    };
  }

  async countNodes(type: NodeType): Promise<number> {
    return (
      (await this.#q<{ n: number }>('SELECT COUNT(*)::int AS n FROM graph_nodes WHERE type = $1', [type]))[0]
        ?.n ?? 0
    );
  }

  async scanNodes(after: string | undefined, limit: number): Promise<GraphNode[]> {
    const rows = await this.#q<NodeRowDb>(
      `SELECT ${NODE_COLS} FROM graph_nodes WHERE id > $1 ORDER BY id LIMIT $2`,
      [after ?? '', limit],
    );
    return rows.map(toNode);
  }

  async scanEdges(
    after: EdgeCursor | undefined,
    limit: number,
    filter: EdgeScanFilter = {},
  ): Promise<GraphEdge[]> {
    const c = after ?? { src: '', type: '', dst: '', source: '' };
    const rows = await this.#q<EdgeRowDb>(
      `SELECT ${EDGE_COLS} FROM graph_edges WHERE (src, type, dst, source) > ($1, $2, $3, $4)
       AND ($6::text[] IS NULL OR type = ANY($6::text[]))
       AND ($7::text[] IS NULL OR src_type = ANY($7::text[]))
       AND ($8::text[] IS NULL OR dst_type = ANY($8::text[]))
       ORDER BY src, type, dst, source LIMIT $5`,
      [
        c.src,
        c.type,
        c.dst,
        c.source,
        limit,
        filter.types ?? null,
        filter.srcTypes ?? null,
        filter.dstTypes ?? null,
      ],
    );
    return rows.map(toEdge);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.#q<{ value: string }>('SELECT value FROM graph_meta WHERE key = $1', [key]))[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#q(
      'INSERT INTO graph_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  async savePatterns(run: PatternRun): Promise<void> {
    await this.#transaction((client) => savePatternsPostgres(client, run));
  }

  async patternInfo(): Promise<PatternInfo | undefined> {
    return patternInfoPostgres((sql, params) => this.#q(sql, params), await this.getMeta('patterns'));
  }

  async rulesByAntecedent(keys: readonly string[]): Promise<AssociationRule[]> {
    return rulesByAntecedentPostgres((sql, params) => this.#q(sql, params), keys);
  }

  async itemsets(
    options: { containing?: string; minSize?: number; limit?: number } = {},
  ): Promise<Itemset[]> {
    return itemsetsPostgres((sql, params) => this.#q(sql, params), options);
  }
}

/** Parameters $1..$4 of {@link linkHalf}: node ids, edge types, far-end types, far-end ids (null: any). */
function linkParams(query: LinkQuery): unknown[] {
  return [query.nodeIds, query.edgeTypes ?? null, query.otherTypes ?? null, query.otherIds ?? null];
}

/** One direction of a {@link LinkQuery}: the SELECT of `cols` from the matching edges (parameters from {@link linkParams}). */
function linkHalf(cols: string, way: 'out' | 'in', excludeOut: boolean): string {
  const [near, far, farType] = way === 'out' ? ['src', 'dst', 'dst_type'] : ['dst', 'src', 'src_type'];
  // `IN (SELECT unnest(..))` rather than `= ANY(..)`: with a hundred ids and more, `= ANY` led the
  // planner to a sequential scan testing every edge against the whole list; the semi-join probes the index per id.
  return `SELECT ${cols} FROM graph_edges
       WHERE ${near} IN (SELECT unnest($1::text[]))${excludeOut ? ' AND NOT (src = ANY($1::text[]))' : ''}
       AND ($2::text[] IS NULL OR type = ANY($2::text[])) AND ($3::text[] IS NULL OR ${farType} = ANY($3::text[]))
       AND ($4::text[] IS NULL OR ${far} = ANY($4::text[]))`;
}
