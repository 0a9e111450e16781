import type pg from 'pg';
import type {
  FeedbackPosition,
  LearningCursor,
  LearningStateRepository,
  StoredReputation,
} from './learning-state.js';
import { pgCall } from './postgres-errors.js';
import { pgTransaction } from './postgres-transaction.js';

interface CursorRow {
  name: string;
  position_created_at: Date | null;
  position_id: string | null;
  count: string;
  updated_at: Date;
}

interface ReputationRow {
  source: string;
  reputation: number;
  observations: number;
  corrected: number;
  updated_at: Date;
}

function cursorFromRow(row: CursorRow): LearningCursor {
  return {
    position:
      row.position_created_at === null || row.position_id === null
        ? null
        : { createdAt: row.position_created_at.getTime(), id: row.position_id },
    count: Number(row.count),
    updatedAt: row.updated_at.getTime(),
  };
}

function reputationFromRow(row: ReputationRow): StoredReputation {
  return {
    source: row.source,
    reputation: row.reputation,
    observations: row.observations,
    corrected: row.corrected,
    updatedAt: row.updated_at.getTime(),
  };
}

const samePosition = (a: FeedbackPosition | null, b: FeedbackPosition | null) =>
  a === null || b === null ? a === b : a.createdAt === b.createdAt && a.id === b.id;

async function move(
  client: pg.PoolClient,
  name: string,
  expected: FeedbackPosition | null,
  next: LearningCursor,
): Promise<boolean> {
  const { rows } = await client.query<CursorRow>(
    'SELECT * FROM learning_cursors WHERE name = $1 FOR UPDATE',
    [name],
  );
  const current = rows[0] && cursorFromRow(rows[0]);
  if (!samePosition(current?.position ?? null, expected)) return false;
  await client.query(
    `INSERT INTO learning_cursors (name, position_created_at, position_id, count, updated_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (name) DO UPDATE SET position_created_at = excluded.position_created_at,
       position_id = excluded.position_id, count = excluded.count, updated_at = excluded.updated_at`,
    [
      name,
      next.position === null ? null : new Date(next.position.createdAt),
      next.position?.id ?? null,
      next.count,
      new Date(next.updatedAt),
    ],
  );
  return true;
}

/** The loop's shared state in PostgreSQL; cursor moves are serialised per cursor by an advisory lock. */
export class PostgresLearningState implements LearningStateRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async tryLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const { rowCount } = await pgCall('Taking a lease', () =>
      this.#pool.query(
        `INSERT INTO learning_locks (name, owner, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE learning_locks.owner = excluded.owner OR learning_locks.expires_at <= $4`,
        [name, owner, new Date(now + ttlMs), new Date(now)],
      ),
    );
    return rowCount === 1;
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await pgCall('Releasing a lease', () =>
      this.#pool.query('DELETE FROM learning_locks WHERE name = $1 AND owner = $2', [name, owner]),
    );
  }

  async getCursor(name: string): Promise<LearningCursor | undefined> {
    const { rows } = await pgCall('Reading a cursor', () =>
      this.#pool.query<CursorRow>('SELECT * FROM learning_cursors WHERE name = $1', [name]),
    );
    return rows[0] && cursorFromRow(rows[0]);
  }

  async moveCursor(name: string, expected: FeedbackPosition | null, next: LearningCursor): Promise<boolean> {
    return pgTransaction(
      this.#pool,
      'Moving a cursor',
      (client) => move(client, name, expected, next),
      `cursor:${name}`,
    );
  }

  async applyReputations(
    cursor: string,
    expected: FeedbackPosition | null,
    next: LearningCursor,
    updates: readonly StoredReputation[],
  ): Promise<boolean> {
    return pgTransaction(
      this.#pool,
      'Storing source reputations',
      async (client) => {
        if (!(await move(client, cursor, expected, next))) return false;
        for (const u of updates) {
          await client.query(
            `INSERT INTO source_reputation (source, reputation, observations, corrected, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (source) DO UPDATE SET reputation = excluded.reputation,
               observations = excluded.observations, corrected = excluded.corrected, updated_at = excluded.updated_at`,
            [u.source, u.reputation, u.observations, u.corrected, new Date(u.updatedAt)],
          );
        }
        return true;
      },
      `cursor:${cursor}`,
    );
  }

  async reputations(sources?: readonly string[]): Promise<StoredReputation[]> {
    const { rows } = await pgCall('Reading source reputations', () =>
      sources === undefined
        ? this.#pool.query<ReputationRow>('SELECT * FROM source_reputation ORDER BY source COLLATE "C"')
        : this.#pool.query<ReputationRow>(
            'SELECT * FROM source_reputation WHERE source = ANY($1) ORDER BY source COLLATE "C"',
            [[...sources]],
          ),
    );
    return rows.map(reputationFromRow);
  }

  async countFeedbackAfter(after: FeedbackPosition | null): Promise<number> {
    const { rows } = await pgCall('Counting feedback', () =>
      after === null
        ? this.#pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM feedback')
        : this.#pool.query<{ n: string }>(
            'SELECT COUNT(*) AS n FROM feedback WHERE created_at > $1 OR (created_at = $1 AND id > $2)',
            [new Date(after.createdAt), after.id],
          ),
    );
    return Number(rows[0]?.n ?? 0);
  }
}
