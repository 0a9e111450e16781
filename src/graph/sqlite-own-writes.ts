import type Database from 'better-sqlite3';
import type { AdjacencyCache } from './adjacency-cache.js';
import type { OwnWrite } from './adjacency-cache-types.js';

/** Writes held while an enclosing transaction is open, at most (past it the chain is given up: a reload). */
const MAX_HELD = 10_000;

/**
 * Reports an SQLite graph's own writes to its adjacency cache once they are
 * committed. A write committed by its own transaction is reported at once. A
 * write made inside a transaction someone else opened on the shared connection
 * (the threat recorder wraps a group of `recordThreat` in one, so each `apply()`
 * is a savepoint) is not committed yet when `apply()` returns, and a rollback
 * would leave the generation token where the write put it (SQLite's
 * `total_changes()` does not go back, `data_version` does not move for the own
 * connection): such writes are held, and reported only when the connection is
 * out of the transaction and every node and edge they created is in the
 * database (a rollback removed them; should a later write have created them
 * again, the cache refuses the repeated additions and reloads).
 *
 * Used only with the cache's `catchUp` off: with it on, own writes reach the snapshot
 * through the change log like everyone else's (`SqliteChangeLog`), committed rows only.
 */
export class SqliteOwnWrites {
  readonly #db: Database.Database;
  readonly #stmt: (sql: string) => Database.Statement;
  readonly #cache: AdjacencyCache;
  #held: OwnWrite[] = [];

  constructor(db: Database.Database, stmt: (sql: string) => Database.Statement, cache: AdjacencyCache) {
    this.#db = db;
    this.#stmt = stmt;
    this.#cache = cache;
  }

  /** After `apply()` returned: reports `write` now, or holds it while a transaction encloses it. */
  written(write: OwnWrite): void {
    if (this.#db.inTransaction) {
      this.#held.push(write);
      if (this.#held.length > MAX_HELD) this.#held = [];
      return;
    }
    this.settle();
    this.#cache.applied(write);
  }

  /**
   * Reports the held writes when the enclosing transaction has ended and they are all in
   * the database; drops them otherwise (the cache then finds itself stale). Call before
   * reading the generation for a query and before a write.
   */
  settle(): void {
    if (this.#held.length === 0 || this.#db.inTransaction) return;
    const held = this.#held;
    this.#held = [];
    if (this.#allStored(held)) for (const write of held) this.#cache.applied(write);
  }

  #allStored(writes: readonly OwnWrite[]): boolean {
    const ids = new Set<string>();
    const keys = new Map<string, [string, string, string, string]>();
    for (const w of writes) {
      if (!w.added) continue;
      for (const n of w.added.nodes) ids.add(n.id);
      for (const e of w.added.edges)
        keys.set(`${e.src}\u0000${e.type}\u0000${e.dst}\u0000${e.source}`, [e.src, e.type, e.dst, e.source]);
    }
    const nodes =
      ids.size === 0
        ? 0
        : (this.#stmt('SELECT COUNT(*) FROM graph_nodes WHERE id IN (SELECT value FROM json_each(?))')
            .pluck()
            .get(JSON.stringify([...ids])) as number);
    const edges =
      keys.size === 0
        ? 0
        : (this.#stmt(
            `SELECT COUNT(*) FROM json_each(?) j JOIN graph_edges e ON e.src = json_extract(j.value, '$[0]')
             AND e.type = json_extract(j.value, '$[1]') AND e.dst = json_extract(j.value, '$[2]')
             AND e.source = json_extract(j.value, '$[3]')`,
          )
            .pluck()
            .get(JSON.stringify([...keys.values()])) as number);
    return nodes === ids.size && edges === keys.size;
  }
}
