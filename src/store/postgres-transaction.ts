import type pg from 'pg';
import { pgCall } from './postgres-errors.js';

/**
 * Runs `fn` inside one transaction on a dedicated pool client: COMMIT when it
 * resolves, ROLLBACK when it throws (the error is mapped like {@link pgCall}).
 * With `lockKey`, takes a transaction-scoped advisory lock on the key's hash
 * first, so transactions on the same key (a model family) run one at a time.
 */
export async function pgTransaction<T>(
  pool: pg.Pool,
  what: string,
  fn: (client: pg.PoolClient) => Promise<T>,
  lockKey?: string,
): Promise<T> {
  return pgCall(what, async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      try {
        if (lockKey !== undefined)
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    } finally {
      client.release();
    }
  });
}
