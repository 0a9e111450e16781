import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/index.js';
import { AppError } from '../core/index.js';
import type { ApiKeyRecord, ApiKeyRepository, ApiKeyRole } from './api-keys.js';
import { API_KEY_ROLES } from './api-keys.js';

/**
 * The key format: `csk_<id>_<secret>` with a 12-hex-digit public id and 32
 * random bytes (256 bits) in base64url. The id lets the server find the record
 * without searching by hash; the secret's entropy is why a plain SHA-256 (no
 * slow KDF) is enough to store it.
 */
const KEY_PATTERN = /^csk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
/** What an API key's name may be: 1-100 letters, digits, spaces or `._@:/-`. */
export const API_KEY_NAME_PATTERN = /^[\p{L}\p{N} ._@:/-]{1,100}$/u;

/** SHA-256 (hex) of a presented key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The public id embedded in a well-formed key, or undefined when the string is not one. */
export function apiKeyId(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** A key just created: its record (stored) and the key itself (shown once, never stored). */
export interface CreatedApiKey {
  record: ApiKeyRecord;
  key: string;
}

/**
 * Creates and stores a new key with `role`. Throws CS_ERR_VALIDATION for an
 * unknown role or a name that is not 1-100 letters, digits, spaces or `._@:/-`.
 */
export async function createApiKey(
  repo: ApiKeyRepository,
  options: { role: string; name?: string | undefined; clock: Clock },
): Promise<CreatedApiKey> {
  if (!(API_KEY_ROLES as readonly string[]).includes(options.role)) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `Unknown role "${options.role}"; expected one of: ${API_KEY_ROLES.join(', ')}`,
      { details: { field: 'role', allowed: API_KEY_ROLES } },
    );
  }
  if (options.name !== undefined && !API_KEY_NAME_PATTERN.test(options.name)) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      'Key name must be 1-100 letters, digits, spaces or ._@:/- characters',
      { details: { field: 'name' } },
    );
  }
  const id = randomBytes(6).toString('hex');
  const key = `csk_${id}_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id,
    name: options.name ?? null,
    role: options.role as ApiKeyRole,
    keySha256: hashApiKey(key),
    createdAt: options.clock.now(),
    revokedAt: null,
  };
  await repo.insert(record);
  return { record, key };
}

/**
 * The valid (not revoked) record of a presented key, or undefined. The stored
 * hash is compared in constant time, so response timing reveals nothing about
 * how much of a guessed key was right.
 */
export async function verifyApiKey(repo: ApiKeyRepository, key: string): Promise<ApiKeyRecord | undefined> {
  const id = apiKeyId(key);
  if (id === undefined) return undefined;
  const record = await repo.get(id);
  if (record === undefined || record.revokedAt !== null) return undefined;
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(record.keySha256, 'hex');
  if (stored.length !== presented.length) return undefined;
  return timingSafeEqual(presented, stored) ? record : undefined;
}
