import type pg from 'pg';
import type { OwnWrite } from './adjacency-cache.js';
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
 * the generation and the pruned horizon, all read on `client` inside the caller's repeatable-read
 * transaction: as an {@link OwnWrite} from `since` to that generation, `added` undefined when the
 * rows cannot be applied or `since` is older than the horizon (rows after it may be gone) or newer
 * than the generation (not this database's token).
 */
export async function readPostgresChanges(
  client: pg.PoolClient,
  since: string,
  maxRows: number,
): Promise<OwnWrite> {
  const [row] = (await client.query<{ n: string; pruned: string }>('SELECT n, pruned FROM graph_generation'))
    .rows;
  const at = row?.n ?? since;
  const refused: OwnWrite = { before: since, after: at, added: undefined, updated: [] };
  if (!row || !/^\d{1,19}$/.test(since)) return refused;
  const from = BigInt(since);
  if (from < BigInt(row.pruned) || from > BigInt(row.n)) return refused;
  if (from === BigInt(row.n))
    return { before: since, after: at, added: { nodes: [], edges: [] }, updated: [] };
  const rows = await client.query<ChangeRow>({
    text: `SELECT ${CHANGE_COLS} FROM graph_changes WHERE gen > $1 AND gen <= $2 ORDER BY gen LIMIT $3`,
    values: [since, row.n, maxRows + 1],
    rowMode: 'array',
  });
  return { before: since, after: at, ...effectOfChanges(rows.rows, maxRows) };
}
