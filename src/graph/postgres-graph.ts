import pg from 'pg';
import { AppError, type Clock, systemClock } from '../core/index.js';
import type { Migration } from '../store/index.js';
import {
  type ApplyPlan,
  batchNodeIds,
  edgeKey,
  planApply,
  type StoredNodeCore,
  stableJson,
} from './apply-plan.js';
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
  NeighbourOptions,
  NeighbourResult,
  PathOptions,
  PatternInfo,
  PatternRun,
  SharedNeighbour,
  SharedNeighbourOptions,
} from './contract.js';
import { assertGraphMigrationsOrdered, GRAPH_POSTGRES_MIGRATIONS } from './migrations.js';
import type { AliasEntry, ApplyResult, GraphBatch, GraphEdge, GraphNode, NodeType } from './schema.js';
import { aliasMatches } from './sqlite-graph.js';
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
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
// Distinct from the main store's key so the two migrate independently.
const MIGRATION_LOCK_KEY = 0x63796267;
// Serialises apply() across processes: planning reads then writes, so two concurrent merges
// of one node must not interleave. Graph writes are rare compared with reads.
const WRITE_LOCK_KEY = 0x63796268;
const CHUNK = 5000;

const EDGE_COLS = 'src, src_type, type, dst, dst_type, source, confidence, props, updated_at';
const NODE_COLS = 'id, type, name, props, sources, created_at, updated_at';

interface NodeRowDb {
  id: string;
  type: NodeType;
  name: string;
  props: GraphNode['props'];
  sources: string[];
  created_at: string;
  updated_at: string;
}
interface EdgeRowDb {
  src: string;
  src_type: NodeType;
  type: GraphEdge['type'];
  dst: string;
  dst_type: NodeType;
  source: string;
  confidence: number;
  props: GraphEdge['props'];
  updated_at: string;
}

function toNode(r: NodeRowDb): GraphNode {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    props: r.props,
    sources: r.sources,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toEdge(r: EdgeRowDb): GraphEdge {
  return {
    src: r.src,
    srcType: r.src_type,
    type: r.type,
    dst: r.dst,
    dstType: r.dst_type,
    source: r.source,
    confidence: r.confidence,
    props: r.props,
    updatedAt: r.updated_at,
  };
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

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
    await migrate(pool, options.migrations ?? GRAPH_POSTGRES_MIGRATIONS);
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
  return new PostgresGraph(pool, owned, options.clock ?? systemClock);
}

async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
  assertGraphMigrationsOrdered(migrations);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS graph_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM graph_schema_migrations');
      const applied = new Set(rows.map((r) => r.version));
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        try {
          await client.query('BEGIN');
          await client.query(m.sql);
          await client.query('INSERT INTO graph_schema_migrations VALUES ($1, $2, now())', [
            m.version,
            m.name,
          ]);
          await client.query('COMMIT');
        } catch (cause) {
          await client.query('ROLLBACK').catch(() => {});
          throw new AppError(
            'CS_ERR_STORE_MIGRATION',
            `PostgreSQL graph migration ${m.version} (${m.name}) failed`,
            {
              cause,
            },
          );
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

type Queryable = pg.Pool | pg.PoolClient;

/** The PostgreSQL implementation of {@link GraphStore}. */
export class PostgresGraph implements GraphStore {
  readonly kind = 'postgres' as const;
  /** The pool (benchmarks and the integrator may use it). */
  readonly pool: pg.Pool;
  readonly #owned: boolean;
  readonly #clock: Clock;
  #closed = false;

  constructor(pool: pg.Pool, owned: boolean, clock: Clock) {
    this.pool = pool;
    this.#owned = owned;
    this.#clock = clock;
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
      if (
        (cause as { code?: string }).code?.startsWith('08') ||
        (cause as Error).message.includes('Connection')
      ) {
        throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The PostgreSQL graph is not answering', { cause });
      }
      throw cause;
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
    return this.#transaction(async (client) => {
      const existing = new Map<string, StoredNodeCore>();
      const ids = batchNodeIds(batch);
      for (const part of chunks(ids)) {
        const rows = await this.#q<NodeRowDb>(
          `SELECT ${NODE_COLS} FROM graph_nodes WHERE id = ANY($1::text[])`,
          [part],
          client,
        );
        for (const r of rows) existing.set(r.id, toNode(r));
      }
      const existingEdges = new Map<string, { confidence: number; propsJson: string }>();
      for (const part of chunks([...new Set(batch.edges.map((e) => e.src))])) {
        const rows = await this.#q<EdgeRowDb>(
          `SELECT ${EDGE_COLS} FROM graph_edges WHERE src = ANY($1::text[])`,
          [part],
          client,
        );
        for (const r of rows)
          existingEdges.set(edgeKey(r), { confidence: r.confidence, propsJson: stableJson(r.props) });
      }
      const plan = planApply(batch, existing, existingEdges, now);
      const edgesRemoved = await this.#removeReplaced(client, batch, options);
      const aliasesAdded = await this.#write(client, plan);
      if (aliasesAdded > 0) {
        await this.#q(
          `INSERT INTO graph_meta (key, value) VALUES ('alias.revision', '1')
           ON CONFLICT (key) DO UPDATE SET value = (graph_meta.value::bigint + 1)::text`,
          [],
          client,
        );
      }
      return {
        nodesCreated: plan.created,
        nodesUpdated: plan.updated,
        edgesWritten: plan.edgeRows.length,
        edgesRemoved,
        aliasesAdded,
      };
    });
  }

  async #removeReplaced(client: pg.PoolClient, batch: GraphBatch, options: ApplyOptions): Promise<number> {
    if (!options.replaceEdgesFrom?.length) return 0;
    const keep = new Set(batch.edges.map((e) => edgeKey(e)));
    let removed = 0;
    for (const { src, source } of options.replaceEdgesFrom) {
      const rows = await this.#q<EdgeRowDb>(
        `SELECT ${EDGE_COLS} FROM graph_edges WHERE src = $1 AND source = $2`,
        [src, source],
        client,
      );
      for (const r of rows) {
        if (keep.has(edgeKey(r))) continue;
        const res = await client.query(
          'DELETE FROM graph_edges WHERE src = $1 AND type = $2 AND dst = $3 AND source = $4',
          [r.src, r.type, r.dst, r.source],
        );
        removed += res.rowCount ?? 0;
      }
    }
    return removed;
  }

  async #write(client: pg.PoolClient, plan: ApplyPlan): Promise<number> {
    for (const part of chunks(plan.nodeRows)) {
      await client.query(
        `INSERT INTO graph_nodes (${NODE_COLS})
         SELECT id, type, name, props::jsonb, sources::jsonb, created_at, updated_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS t(id, type, name, props, sources, created_at, updated_at)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, props = excluded.props, sources = excluded.sources,
           updated_at = excluded.updated_at`,
        [
          part.map((n) => n.id),
          part.map((n) => n.type),
          part.map((n) => n.name),
          part.map((n) => JSON.stringify(n.props)),
          part.map((n) => JSON.stringify(n.sources)),
          part.map((n) => n.createdAt),
          part.map((n) => n.updatedAt),
        ],
      );
    }
    let aliasesAdded = 0;
    for (const part of chunks(plan.aliasRows)) {
      const res = await client.query(
        `INSERT INTO graph_aliases (norm, node_id, node_type, kind, value)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT DO NOTHING`,
        [
          part.map((a) => a.norm),
          part.map((a) => a.nodeId),
          part.map((a) => a.nodeType),
          part.map((a) => a.kind),
          part.map((a) => a.value),
        ],
      );
      aliasesAdded += res.rowCount ?? 0;
    }
    for (const part of chunks(plan.edgeRows)) {
      await client.query(
        `INSERT INTO graph_edges (${EDGE_COLS})
         SELECT src, src_type, type, dst, dst_type, source, confidence, props::jsonb, updated_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::text[])
           AS t(src, src_type, type, dst, dst_type, source, confidence, props, updated_at)
         ON CONFLICT (src, type, dst, source) DO UPDATE SET confidence = excluded.confidence, props = excluded.props,
           updated_at = excluded.updated_at`,
        [
          part.map((e) => e.src),
          part.map((e) => e.srcType),
          part.map((e) => e.type),
          part.map((e) => e.dst),
          part.map((e) => e.dstType),
          part.map((e) => e.source),
          part.map((e) => e.confidence),
          part.map((e) => JSON.stringify(e.props)),
          part.map((e) => e.updatedAt),
        ],
      );
    }
    return aliasesAdded;
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
    return traverseNeighbours(this, start, options);
  }

  sharedNeighbours(nodeId: string, options?: SharedNeighbourOptions): Promise<SharedNeighbour[]> {
    return rankSharedNeighbours(this, nodeId, options);
  }

  shortestPath(from: string, to: string, options?: PathOptions): Promise<GraphPath | undefined> {
    return findShortestPath(this, from, to, options);
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
    await this.#transaction(async (client) => {
      await client.query('DELETE FROM graph_itemsets');
      await client.query('DELETE FROM graph_rules');
      for (const part of chunks(run.itemsets)) {
        await client.query(
          `INSERT INTO graph_itemsets (items, size, count, support)
           SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::float8[])`,
          [
            part.map((s) => s.items.join(',')),
            part.map((s) => s.items.length),
            part.map((s) => s.count),
            part.map((s) => s.support),
          ],
        );
      }
      for (const part of chunks(run.rules)) {
        await client.query(
          `INSERT INTO graph_rules (antecedent, consequent, count, support, confidence, lift)
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[])`,
          [
            part.map((r) => r.antecedent.join(',')),
            part.map((r) => r.consequent),
            part.map((r) => r.count),
            part.map((r) => r.support),
            part.map((r) => r.confidence),
            part.map((r) => r.lift),
          ],
        );
      }
      const info = { minedAt: run.minedAt, transactions: run.transactions, params: run.params };
      await client.query(
        "INSERT INTO graph_meta (key, value) VALUES ('patterns', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [JSON.stringify(info)],
      );
    });
  }

  async patternInfo(): Promise<PatternInfo | undefined> {
    const raw = await this.getMeta('patterns');
    if (raw === undefined) return undefined;
    const info = JSON.parse(raw) as Omit<PatternInfo, 'itemsets' | 'rules'>;
    const n = async (sql: string) => (await this.#q<{ n: number }>(sql))[0]?.n ?? 0;
    return {
      ...info,
      itemsets: await n('SELECT COUNT(*)::int AS n FROM graph_itemsets'),
      rules: await n('SELECT COUNT(*)::int AS n FROM graph_rules'),
    };
  }

  async rulesByAntecedent(keys: readonly string[]): Promise<AssociationRule[]> {
    if (keys.length === 0) return [];
    const rows = await this.#q<{
      antecedent: string;
      consequent: string;
      count: number;
      support: number;
      confidence: number;
      lift: number;
    }>(
      `SELECT antecedent, consequent, count, support, confidence, lift FROM graph_rules
       WHERE antecedent = ANY($1::text[]) ORDER BY antecedent, consequent`,
      [keys],
    );
    return rows.map((r) => ({ ...r, antecedent: r.antecedent.split(',') }));
  }

  async itemsets(
    options: { containing?: string; minSize?: number; limit?: number } = {},
  ): Promise<Itemset[]> {
    const rows = await this.#q<{ items: string; count: number; support: number }>(
      `SELECT items, count, support FROM graph_itemsets
       WHERE size >= $1 AND ($2::text IS NULL OR ',' || items || ',' LIKE '%,' || $2 || ',%')
       ORDER BY count DESC, items LIMIT $3`,
      [options.minSize ?? 1, options.containing ?? null, options.limit ?? 100],
    );
    return rows.map((r) => ({ items: r.items.split(','), count: r.count, support: r.support }));
  }
}
