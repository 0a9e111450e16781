import type Database from 'better-sqlite3';
import { AppError } from '../core/index.js';
import type { Migration } from '../store/index.js';
import { assertGraphMigrationsOrdered } from './migrations.js';

/** Applies the graph migrations not yet recorded in `graph_schema_migrations`, each in one transaction. */
export function migrateSqliteGraph(db: Database.Database, migrations: readonly Migration[]): void {
  assertGraphMigrationsOrdered(migrations);
  db.exec(
    'CREATE TABLE IF NOT EXISTS graph_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const rows = db.prepare('SELECT version FROM graph_schema_migrations').all() as { version: number }[];
  const applied = new Set(rows.map((r) => r.version));
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare('INSERT INTO graph_schema_migrations VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
      }).immediate();
    } catch (cause) {
      throw new AppError('CS_ERR_STORE_MIGRATION', `SQLite graph migration ${m.version} (${m.name}) failed`, {
        cause,
      });
    }
  }
}
