import { join } from 'node:path';
import type { Clock } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { openPostgresGraph } from './postgres-graph.js';
import { openSqliteGraph } from './sqlite-graph.js';

/** What {@link openGraph} reads from the configuration. */
export interface OpenGraphOptions {
  /** `postgres://…`: the graph's tables go into this database (schema `public`, tables `graph_*`). */
  DATABASE_URL?: string | undefined;
  /** Unset DATABASE_URL: the graph is the SQLite file `DATA_DIR/graph.sqlite`. */
  DATA_DIR: string;
  clock?: Clock;
}

/**
 * Opens the graph the configuration names: PostgreSQL when DATABASE_URL is set
 * (same database as the main store, separate `graph_*` tables and migration
 * record), else its own SQLite file `DATA_DIR/graph.sqlite` (so a bulk import
 * never holds the main store's write lock).
 */
export async function openGraph(options: OpenGraphOptions): Promise<GraphStore> {
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  if (options.DATABASE_URL !== undefined) return openPostgresGraph({ url: options.DATABASE_URL, ...clock });
  return openSqliteGraph({ path: join(options.DATA_DIR, 'graph.sqlite'), ...clock });
}
