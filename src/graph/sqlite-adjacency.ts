import type Database from 'better-sqlite3';
import { AppError } from '../core/index.js';
import type { AdjacencyBuilder } from './adjacency-snapshot.js';
import type { EdgeRef, NodeType } from './schema.js';

/** Edges per page when the adjacency cache reads the graph. */
const ADJACENCY_PAGE = 50_000;

type Stmt = (sql: string) => Database.Statement;

/**
 * The SQLite graph's generation token: changes when another connection (or process) committed
 * (`data_version`) or this connection wrote anything (`total_changes()`, which also covers writes
 * by other code sharing the connection; it does not go back on a rollback).
 */
export function sqliteGeneration(stmt: Stmt): string {
  const version = stmt('PRAGMA data_version').pluck().get() as number;
  const changes = stmt('SELECT total_changes()').pluck().get() as number;
  return `${version}:${changes}`;
}

/** The position of the last change-log row committed (0 before the first), read in the caller's transaction. */
export function sqliteChangePosition(stmt: Stmt): number {
  return (
    (stmt("SELECT seq FROM sqlite_sequence WHERE name = 'graph_changes'").pluck().get() as
      | number
      | undefined) ?? 0
  );
}

/**
 * Adds every node and edge (and node rows while `builder` takes them) to `builder` in one read
 * transaction and returns the generation read before it (so never newer than the data); false
 * over `maxEdges` edges. `onPosition` gets the change log's position of the data read.
 *
 * @throws AppError CS_ERR_STORE_UNAVAILABLE inside a transaction someone opened on `db`: the
 *   read would see its uncommitted writes, which a rollback would leave in the snapshot with the
 *   token unchanged (load later).
 */
export function loadSqliteAdjacency(
  db: Database.Database,
  stmt: Stmt,
  builder: AdjacencyBuilder,
  maxEdges: number,
  onPosition?: (position: number) => void,
): string | false {
  if (db.inTransaction)
    throw new AppError('CS_ERR_STORE_UNAVAILABLE', 'The SQLite graph is inside a transaction');
  const generation = sqliteGeneration(stmt);
  return db.transaction(() => {
    const edges = stmt('SELECT COUNT(*) FROM graph_edges').pluck().get() as number;
    if (edges > maxEdges) return false;
    // The change log's position of the data read here (migration 4), for catching up later.
    onPosition?.(sqliteChangePosition(stmt));
    const nodes = stmt('SELECT id, type FROM graph_nodes').raw(true).all() as [string, NodeType][];
    for (const [id, type] of nodes) builder.node(id, type);
    // In key order (the table is clustered on it), so the builder need not sort; in pages, as
    // `all()` costs less per row than `iterate()` and a page bounds what is held at once.
    type Row = [string, EdgeRef['type'], string, string, number];
    const cols = 'SELECT src, type, dst, source, confidence FROM graph_edges';
    const order = `ORDER BY src, type, dst, source LIMIT ${ADJACENCY_PAGE}`;
    const first = stmt(`${cols} ${order}`).raw(true);
    const next = stmt(`${cols} WHERE (src, type, dst, source) > (?, ?, ?, ?) ${order}`).raw(true);
    for (let page = first.all() as Row[]; page.length > 0; ) {
      for (const [src, type, dst, source, confidence] of page)
        builder.edge(src, type, dst, source, confidence);
      const last = page.at(-1) as Row;
      page = page.length < ADJACENCY_PAGE ? [] : (next.all(last[0], last[1], last[2], last[3]) as Row[]);
    }
    // The JSON of each GraphNode as `toNode` builds it, made by SQLite, until the budget is full.
    const rows = stmt(
      `SELECT id, json_object('id', id, 'type', type, 'name', name, 'props', json(props),
         'sources', json(sources), 'createdAt', created_at, 'updatedAt', updated_at) FROM graph_nodes`,
    ).raw(true);
    for (const [id, json] of rows.iterate() as Iterable<[string, string]>) if (!builder.row(id, json)) break;
    return generation;
  })();
}
