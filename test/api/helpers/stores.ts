import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore, openSqliteStore, type Store } from '../../../src/store/index.js';
import { postgresTestSchema } from '../../helpers/postgres.js';

/** A store backend the API tests run on. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ store: Store; dispose: () => Promise<void> }>;
}

/** Every backend: each API test file runs its cases on both. */
export const BACKENDS: readonly Backend[] = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cs-api-'));
      const store = openSqliteStore({ path: join(dir, 'store.sqlite') });
      return {
        store,
        dispose: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const { url, schema, drop } = await postgresTestSchema();
      const store = await openPostgresStore({ url, schema, maxConnections: 4 });
      return {
        store,
        dispose: async () => {
          await store.close();
          await drop();
        },
      };
    },
  },
];
