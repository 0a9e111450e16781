/**
 * Versioned schema migrations, one list per dialect, applied in order inside a
 * transaction each and recorded in `schema_migrations`. Append only: a shipped
 * migration is never edited, a change is a new version.
 */
export interface Migration {
  /** Strictly increasing from 1. */
  version: number;
  /** Short description, recorded with the version. */
  name: string;
  /** SQL for the dialect, possibly several statements. */
  sql: string;
}

/** Migrations for SQLite. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meta',
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  },
];

/** Migrations for PostgreSQL. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meta',
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);`,
  },
];

/** Throws when a list is not numbered 1..n in order (a programming error caught by tests). */
export function assertMigrationsOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
