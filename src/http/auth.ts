import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type Clock } from '../core/index.js';
import { type ApiKeyRecord, type ApiKeyRepository, type ApiKeyRole, verifyApiKey } from '../store/index.js';
import type { ServiceMetrics } from './metrics.js';

/** Who is asking: the API key's id and role (id null when authentication is off). */
export interface Principal {
  keyId: string | null;
  role: ApiKeyRole;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route (admin is always allowed). Absent: the route is public. */
    auth?: readonly ApiKeyRole[];
  }
  interface FastifyRequest {
    /** Set on protected routes once the key is verified. */
    principal: Principal | null;
  }
}

/** Options of {@link installAuth}. */
export interface AuthOptions {
  apiKeys: ApiKeyRepository;
  clock: Clock;
  metrics: ServiceMetrics;
  /** True treats every request as an admin (explicit local opt-out). */
  disabled: boolean;
  /** How long a verified key is remembered, in ms; 0 asks the store every time. */
  cacheTtlMs: number;
}

const CACHE_MAX = 10_000;

/**
 * Remembers verified keys for a short time so a request costs no store round
 * trip; the map is keyed by the key's hash and bounded, and only valid keys
 * are kept (a flood of bad keys cannot grow it).
 */
class KeyVerifier {
  readonly #repo: ApiKeyRepository;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { record: ApiKeyRecord; expiresAt: number }>();

  constructor(repo: ApiKeyRepository, clock: Clock, ttlMs: number) {
    this.#repo = repo;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    if (this.#ttlMs === 0) return verifyApiKey(this.#repo, key);
    const hash = createHash('sha256').update(key).digest('hex');
    const now = this.#clock.now();
    const hit = this.#cache.get(hash);
    if (hit !== undefined && hit.expiresAt > now) return hit.record;
    this.#cache.delete(hash);
    const record = await verifyApiKey(this.#repo, key);
    if (record !== undefined) {
      if (this.#cache.size >= CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(hash, { record, expiresAt: now + this.#ttlMs });
    }
    return record;
  }
}

/** The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(auth);
    return match?.[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header.trim() : undefined;
}

/**
 * Adds the authentication hook to the root app: routes whose config names
 * `auth` roles need a valid, unrevoked key holding one of them (or admin).
 * Missing or invalid key: 401 CS_ERR_UNAUTHENTICATED; valid key, wrong role:
 * 403 CS_ERR_FORBIDDEN. Runs on onRequest, before the body is read.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const verifier = new KeyVerifier(options.apiKeys, options.clock, options.cacheTtlMs);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const roles = request.routeOptions.config.auth;
    if (roles === undefined) return;
    if (options.disabled) {
      request.principal = { keyId: null, role: 'admin' };
      return;
    }
    const key = presentedKey(request);
    if (key === undefined) {
      options.metrics.authRejections.inc({ reason: 'missing' });
      reply.header('www-authenticate', 'Bearer realm="cyberstreams"');
      throw new AppError(
        'CS_ERR_UNAUTHENTICATED',
        'This route needs an API key: send "Authorization: Bearer <key>" or "x-api-key: <key>" (create one with `cyberstreams keys create --role ROLE`)',
      );
    }
    const record = await verifier.verify(key);
    if (record === undefined) {
      options.metrics.authRejections.inc({ reason: 'invalid' });
      reply.header('www-authenticate', 'Bearer realm="cyberstreams", error="invalid_token"');
      throw new AppError('CS_ERR_UNAUTHENTICATED', 'The API key is unknown, malformed or revoked');
    }
    if (record.role !== 'admin' && !roles.includes(record.role)) {
      options.metrics.authRejections.inc({ reason: 'role' });
      const allowed = [...new Set([...roles, 'admin'])];
      throw new AppError(
        'CS_ERR_FORBIDDEN',
        `This route needs a key with role ${allowed.join(' or ')}; this key has role ${record.role}`,
        { details: { required: allowed, role: record.role } },
      );
    }
    request.principal = { keyId: record.id, role: record.role };
  });
}
