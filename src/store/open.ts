import { join } from 'node:path';
import type { Config } from '../config/index.js';
import type { Store } from './contract.js';
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';

/** Opens the store the configuration names: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
export async function openStore(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Store> {
  if (config.DATABASE_URL !== undefined) return openPostgresStore({ url: config.DATABASE_URL });
  return openSqliteStore({ path: join(config.DATA_DIR, 'cyberstreams.sqlite') });
}
