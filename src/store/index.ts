export type { Store, StoreKind } from './contract.js';
export type { Migration } from './migrations.js';
export { openStore } from './open.js';
export { openPostgresStore, PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
