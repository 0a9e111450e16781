import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from './contract.js';

/**
 * Builds a fresh, empty, migrated store for one test, and a function that
 * disposes of it (closing it and deleting its data).
 */
export type StoreFactory = () => Promise<{ store: Store; dispose: () => Promise<void> }>;

/**
 * The one conformance suite every {@link Store} implementation runs
 * (the BullMQ queue-backend pattern). Later features add their cases here,
 * so both backends are held to the same behaviour.
 */
export function storeConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    test('answers ping and reports the latest schema version', async () => {
      const { store, dispose } = await factory();
      try {
        await store.ping();
        assert.ok((await store.schemaVersion()) >= 1);
      } finally {
        await dispose();
      }
    });

    test('close is idempotent and ping fails afterwards', async () => {
      const { store, dispose } = await factory();
      await store.close();
      await store.close();
      await assert.rejects(store.ping(), { code: 'CS_ERR_STORE_UNAVAILABLE' });
      await dispose();
    });
  });
}
