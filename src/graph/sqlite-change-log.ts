import type Database from 'better-sqlite3';
import type { OwnWrite } from './adjacency-cache-types.js';
import { CHANGE_COLS, type ChangeRow, effectOfChanges } from './change-log.js';
import { sqliteChangePosition, sqliteGeneration } from './sqlite-adjacency.js';

type Stmt = (sql: string) => Database.Statement;

/** Tokens remembered with their log positions (the last loads and catch-ups; older ones reload). */
const MAX_POSITIONS = 16;

/**
 * The SQLite side of the adjacency cache's catch-up (graph migration 4). The SQLite token
 * (`data_version:total_changes`, see `sqliteGeneration`) is per connection and says nothing of
 * the log, so this remembers, for the tokens a snapshot was given (by a load or a catch-up), the
 * log position of the data read with it: the token is read just before the read transaction
 * (never newer than the data) and the position inside it (exactly the data's). Catching up from a
 * token reads the rows after its position.
 */
export class SqliteChangeLog {
  readonly #db: Database.Database;
  readonly #stmt: Stmt;
  readonly #positions = new Map<string, number>();

  constructor(db: Database.Database, stmt: Stmt) {
    this.#db = db;
    this.#stmt = stmt;
  }

  /** Remembers that the snapshot given token `generation` holds the data up to log position `position`. */
  note(generation: string, position: number): void {
    this.#positions.delete(generation);
    this.#positions.set(generation, position);
    for (const key of this.#positions.keys()) {
      if (this.#positions.size <= MAX_POSITIONS) break;
      this.#positions.delete(key);
    }
  }

  /**
   * Implements `AdjacencySource.changesSince`: the rows after `since`'s position, at most
   * `maxRows`, in one read transaction. Refused (`added` undefined) for an unknown token, a
   * position before the pruned horizon, and inside a transaction someone else opened on the
   * connection (its uncommitted rows could still be rolled back).
   */
  changesSince(since: string, maxRows: number): OwnWrite {
    const from = this.#positions.get(since);
    if (this.#db.inTransaction || from === undefined)
      return { before: since, after: since, added: undefined, updated: [] };
    const token = sqliteGeneration(this.#stmt);
    return this.#db.transaction((): OwnWrite => {
      const at = sqliteChangePosition(this.#stmt);
      const pruned = this.#stmt('SELECT seq FROM graph_changes_pruned').pluck().get() as number;
      if (from < pruned || from > at) return { before: since, after: token, added: undefined, updated: [] };
      const rows = this.#stmt(
        `SELECT ${CHANGE_COLS} FROM graph_changes WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      )
        .raw(true)
        .all(from, at, maxRows + 1) as ChangeRow[];
      const effect = effectOfChanges(rows, maxRows);
      if (effect.added) this.note(token, at);
      return { before: since, after: token, ...effect };
    })();
  }
}
