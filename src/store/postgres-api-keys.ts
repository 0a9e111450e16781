import type pg from 'pg';
import type { ApiKeyRecord, ApiKeyRepository, ApiKeyRole } from './api-keys.js';
import { pgCall } from './postgres-errors.js';

interface ApiKeyRow {
  id: string;
  name: string | null;
  role: string;
  key_sha256: string;
  created_at: Date;
  revoked_at: Date | null;
}

function fromRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as ApiKeyRole,
    keySha256: row.key_sha256,
    createdAt: row.created_at.getTime(),
    revokedAt: row.revoked_at === null ? null : row.revoked_at.getTime(),
  };
}

/** API key records in PostgreSQL. */
export class PostgresApiKeys implements ApiKeyRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async insert(r: ApiKeyRecord): Promise<void> {
    await pgCall('Storing an API key', () =>
      this.#pool.query(
        'INSERT INTO api_keys (id, name, role, key_sha256, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          r.id,
          r.name,
          r.role,
          r.keySha256,
          new Date(r.createdAt),
          r.revokedAt === null ? null : new Date(r.revokedAt),
        ],
      ),
    );
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await pgCall('Reading an API key', () =>
      this.#pool.query<ApiKeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]),
    );
    return rows[0] && fromRow(rows[0]);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await pgCall('Listing API keys', () =>
      this.#pool.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id'),
    );
    return rows.map(fromRow);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const { rowCount } = await pgCall('Revoking an API key', () =>
      this.#pool.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
        new Date(at),
        id,
      ]),
    );
    return rowCount === 1;
  }

  async countActive(): Promise<number> {
    const { rows } = await pgCall('Counting API keys', () =>
      this.#pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL'),
    );
    return Number(rows[0]?.n ?? 0);
  }
}
