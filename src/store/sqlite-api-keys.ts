import type Database from 'better-sqlite3';
import type { ApiKeyRecord, ApiKeyRepository, ApiKeyRole } from './api-keys.js';
import { sqliteCall } from './sqlite-errors.js';

interface ApiKeyRow {
  id: string;
  name: string | null;
  role: string;
  key_sha256: string;
  created_at: number;
  revoked_at: number | null;
}

function fromRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as ApiKeyRole,
    keySha256: row.key_sha256,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** API key records in the embedded SQLite store. */
export class SqliteApiKeys implements ApiKeyRepository {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async insert(r: ApiKeyRecord): Promise<void> {
    sqliteCall('Storing an API key', () =>
      this.#db
        .prepare(
          'INSERT INTO api_keys (id, name, role, key_sha256, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(r.id, r.name, r.role, r.keySha256, r.createdAt, r.revokedAt),
    );
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = sqliteCall('Reading an API key', () =>
      this.#db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id),
    ) as ApiKeyRow | undefined;
    return row && fromRow(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = sqliteCall('Listing API keys', () =>
      this.#db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all(),
    ) as ApiKeyRow[];
    return rows.map(fromRow);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const { changes } = sqliteCall('Revoking an API key', () =>
      this.#db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id),
    );
    return changes === 1;
  }

  async countActive(): Promise<number> {
    const row = sqliteCall('Counting API keys', () =>
      this.#db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL').get(),
    ) as { n: number };
    return row.n;
  }
}
