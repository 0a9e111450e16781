import type Database from 'better-sqlite3';
import type {
  FeedbackPosition,
  LearningCursor,
  LearningStateRepository,
  StoredReputation,
} from './learning-state.js';
import { sqliteCall } from './sqlite-errors.js';

interface CursorRow {
  name: string;
  position_created_at: number | null;
  position_id: string | null;
  count: number;
  updated_at: number;
}

interface ReputationRow {
  source: string;
  reputation: number;
  observations: number;
  corrected: number;
  updated_at: number;
}

function cursorFromRow(row: CursorRow): LearningCursor {
  return {
    position:
      row.position_created_at === null || row.position_id === null
        ? null
        : { createdAt: row.position_created_at, id: row.position_id },
    count: row.count,
    updatedAt: row.updated_at,
  };
}

function reputationFromRow(row: ReputationRow): StoredReputation {
  return {
    source: row.source,
    reputation: row.reputation,
    observations: row.observations,
    corrected: row.corrected,
    updatedAt: row.updated_at,
  };
}

const samePosition = (a: FeedbackPosition | null, b: FeedbackPosition | null) =>
  a === null || b === null ? a === b : a.createdAt === b.createdAt && a.id === b.id;

/** The loop's shared state in the embedded SQLite store. */
export class SqliteLearningState implements LearningStateRepository {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async tryLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return sqliteCall('Taking a lease', () => {
      const result = this.#db
        .prepare(
          `INSERT INTO learning_locks (name, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE learning_locks.owner = excluded.owner OR learning_locks.expires_at <= ?`,
        )
        .run(name, owner, now + ttlMs, now);
      return result.changes === 1;
    });
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    sqliteCall('Releasing a lease', () =>
      this.#db.prepare('DELETE FROM learning_locks WHERE name = ? AND owner = ?').run(name, owner),
    );
  }

  #getCursor(name: string): LearningCursor | undefined {
    const row = this.#db.prepare('SELECT * FROM learning_cursors WHERE name = ?').get(name) as
      | CursorRow
      | undefined;
    return row && cursorFromRow(row);
  }

  async getCursor(name: string): Promise<LearningCursor | undefined> {
    return sqliteCall('Reading a cursor', () => this.#getCursor(name));
  }

  #move(name: string, expected: FeedbackPosition | null, next: LearningCursor): boolean {
    const current = this.#getCursor(name);
    if (!samePosition(current?.position ?? null, expected)) return false;
    this.#db
      .prepare(
        `INSERT INTO learning_cursors (name, position_created_at, position_id, count, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position_created_at = excluded.position_created_at,
           position_id = excluded.position_id, count = excluded.count, updated_at = excluded.updated_at`,
      )
      .run(name, next.position?.createdAt ?? null, next.position?.id ?? null, next.count, next.updatedAt);
    return true;
  }

  async moveCursor(name: string, expected: FeedbackPosition | null, next: LearningCursor): Promise<boolean> {
    return sqliteCall('Moving a cursor', () =>
      this.#db.transaction(() => this.#move(name, expected, next)).immediate(),
    );
  }

  async applyReputations(
    cursor: string,
    expected: FeedbackPosition | null,
    next: LearningCursor,
    updates: readonly StoredReputation[],
  ): Promise<boolean> {
    return sqliteCall('Storing source reputations', () =>
      this.#db
        .transaction(() => {
          if (!this.#move(cursor, expected, next)) return false;
          const upsert = this.#db.prepare(
            `INSERT INTO source_reputation (source, reputation, observations, corrected, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (source) DO UPDATE SET reputation = excluded.reputation,
               observations = excluded.observations, corrected = excluded.corrected, updated_at = excluded.updated_at`,
          );
          for (const u of updates)
            upsert.run(u.source, u.reputation, u.observations, u.corrected, u.updatedAt);
          return true;
        })
        .immediate(),
    );
  }

  async reputations(sources?: readonly string[]): Promise<StoredReputation[]> {
    const rows = sqliteCall('Reading source reputations', () => {
      if (sources === undefined)
        return this.#db.prepare('SELECT * FROM source_reputation ORDER BY source').all();
      if (sources.length === 0) return [];
      return this.#db
        .prepare(
          `SELECT * FROM source_reputation WHERE source IN (${sources.map(() => '?').join(', ')}) ORDER BY source`,
        )
        .all(...sources);
    }) as ReputationRow[];
    return rows.map(reputationFromRow);
  }

  async countFeedbackAfter(after: FeedbackPosition | null): Promise<number> {
    const row = sqliteCall('Counting feedback', () =>
      after === null
        ? this.#db.prepare('SELECT COUNT(*) AS n FROM feedback').get()
        : this.#db
            .prepare('SELECT COUNT(*) AS n FROM feedback WHERE created_at > ? OR (created_at = ? AND id > ?)')
            .get(after.createdAt, after.createdAt, after.id),
    ) as { n: number };
    return row.n;
  }
}
