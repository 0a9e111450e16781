import type pg from 'pg';
import type { OwnWrite } from './adjacency-cache-types.js';
import type { AdjacencyBuilder } from './adjacency-snapshot.js';
import { CHANGE_COLS, type ChangeRow, effectOfChanges } from './change-log.js';
import type { EdgeRef, NodeType } from './schema.js';

/** Edges (and node rows) per page when the adjacency cache reads the graph. */
const ADJACENCY_PAGE = 50_000;

/**
 * Adds every node and edge (and node rows while `builder` takes them) to `builder` and returns the
 * `graph_generation` counter, all read on `client` inside the caller's repeatable-read
 * transaction (one snapshot); false, adding nothing, over `maxEdges` edges.
 */
export async function readPostgresAdjacency(
  client: pg.PoolClient,
  builder: AdjacencyBuilder,
  maxEdges: number,
): Promise<string | false> {
  const [generation] = (await client.query<{ n: string }>('SELECT n FROM graph_generation')).rows;
  const [count] = (await client.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM graph_edges')).rows;
  if (!generation || !count || count.n > maxEdges) return false;
  const nodes = await client.query<[string, NodeType]>({
    text: 'SELECT id, type FROM graph_nodes',
    rowMode: 'array',
  });
  for (const [id, type] of nodes.rows) builder.node(id, type);
  // In pages by key, so a large graph never crosses as one result.
  type Row = [string, EdgeRef['type'], string, string, number];
  let after: Row | undefined;
  for (;;) {
    // Without an OR in the condition, so each page is an index range scan of the key.
    const page = await client.query<Row>({
      text: `SELECT src, type, dst, source, confidence FROM graph_edges
             ${after ? 'WHERE (src, type, dst, source) > ($1, $2, $3, $4)' : ''}
             ORDER BY src, type, dst, source LIMIT ${ADJACENCY_PAGE}`,
      values: after ? after.slice(0, 4) : [],
      rowMode: 'array',
    });
    for (const [src, type, dst, source, confidence] of page.rows)
      builder.edge(src, type, dst, source, confidence);
    after = page.rows.at(-1);
    if (page.rows.length < ADJACENCY_PAGE) break;
  }
  // The JSON of each GraphNode as `toNode` builds it, made by PostgreSQL, in pages until the budget is full.
  let afterId: string | undefined;
  for (let full = false; !full; ) {
    const page = await client.query<[string, string]>({
      text: `SELECT id, json_build_object('id', id, 'type', type, 'name', name, 'props', props,
               'sources', sources, 'createdAt', created_at, 'updatedAt', updated_at)::text
             FROM graph_nodes ${afterId === undefined ? '' : 'WHERE id > $1'} ORDER BY id LIMIT ${ADJACENCY_PAGE}`,
      values: afterId === undefined ? [] : [afterId],
      rowMode: 'array',
    });
    const taken = page.rows.every(([id, json]) => builder.row(id, json));
    full = !taken || page.rows.length < ADJACENCY_PAGE;
    afterId = page.rows.at(-1)?.[0];
  }
  return generation.n;
}

/**
 * The change-log rows after generation `since` (at most `maxRows`, one more to tell "too many"),
 * the generation and the pruned horizon, in ONE statement (so from one snapshot, as a
 * repeatable-read transaction would give, in one round trip): as an {@link OwnWrite} from `since`
 * to that generation, `added` undefined when the rows cannot be applied, or `since` is older than
 * the horizon (rows after it may be gone) or newer than the generation (not this database's token).
 */
export async function readPostgresChanges(
  on: pg.Pool | pg.PoolClient,
  since: string,
  maxRows: number,
): Promise<OwnWrite> {
  const refused = (after: string): OwnWrite => ({ before: since, after, added: undefined, updated: [] });
  if (!/^\d{1,19}$/.test(since)) return refused(since);
  type Row = [string, string, ...ChangeRow];
  const { rows } = await on.query<Row>({
    name: 'graph_changes_since',
    text: `SELECT g.n::text, g.pruned::text, ${CHANGE_COLS.split(', ')
      .map((c) => `c.${c}`)
      .join(', ')}
           FROM graph_generation g LEFT JOIN LATERAL (
             SELECT * FROM graph_changes WHERE $1::bigint >= g.pruned AND gen > $1::bigint AND gen <= g.n
             ORDER BY gen LIMIT $2) c ON TRUE`,
    values: [since, maxRows + 1],
    rowMode: 'array',
  });
  const first = rows[0];
  if (!first) return refused(since);
  const [n, pruned] = first;
  const from = BigInt(since);
  if (from < BigInt(pruned) || from > BigInt(n)) return refused(n);
  // No change after `since`: one row of nulls from the outer join.
  const changes = first[2] === null ? [] : rows.map((r) => r.slice(2) as ChangeRow);
  return { before: since, after: n, ...effectOfChanges(changes, maxRows) };
}
