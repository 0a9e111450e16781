/**
 * API keys. Only a SHA-256 of each key is stored; the key itself is shown once,
 * when it is created (see `api-key-secret.ts`).
 */

/** Roles a key can hold; `admin` may do everything. */
export const API_KEY_ROLES = Object.freeze(['predict', 'feedback', 'admin'] as const);

/** One role. */
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** A stored API key (never the key itself). Times are milliseconds since the Unix epoch. */
export interface ApiKeyRecord {
  /** Public id, also embedded in the key (`csk_<id>_<secret>`); safe to log and show. */
  id: string;
  /** Optional label given at creation. */
  name: string | null;
  role: ApiKeyRole;
  /** SHA-256 (hex) of the whole key. */
  keySha256: string;
  createdAt: number;
  /** When it was revoked, or null while valid. */
  revokedAt: number | null;
}

/** Persistence of API keys. */
export interface ApiKeyRepository {
  /** Stores a new key record; resolves once durable. CS_ERR_CONFLICT when the id exists. */
  insert(record: ApiKeyRecord): Promise<void>;
  /** The record with this id, or undefined. */
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** All records, oldest first, revoked ones included. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked at `at`; true when it was valid until now, false when unknown or already revoked. */
  revoke(id: string, at: number): Promise<boolean>;
  /** Number of keys not revoked. */
  countActive(): Promise<number>;
}
