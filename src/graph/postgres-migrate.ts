import type pg from 'pg';
import { AppError } from '../core/index.js';
import type { Migration } from '../store/index.js';
import { assertGraphMigrationsOrdered } from './migrations.js';

// Distinct from the main store's key so the two migrate independently.
const MIGRATION_LOCK_KEY = 0x63796267;

/** Applies the graph migrations not yet in `graph_schema_migrations`, under an advisory lock, each in one transaction. */
export async function migratePostgresGraph(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
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
