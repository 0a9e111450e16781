import { type Command, Option } from 'commander';
import { AppError, systemClock } from '../core/index.js';
import {
  API_KEY_NAME_PATTERN,
  API_KEY_ROLES,
  type ApiKeyRecord,
  createApiKey,
  openStore,
  type Store,
} from '../store/index.js';
import type { CliContext } from './context.js';
import { patternArg, usageError } from './usage.js';

async function withStore<T>(ctx: CliContext, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(ctx.loadConfig());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function describeKey(k: ApiKeyRecord): Record<string, unknown> {
  return {
    id: k.id,
    role: k.role,
    name: k.name,
    createdAt: new Date(k.createdAt).toISOString(),
    revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
  };
}

/**
 * `cyberstreams keys create --role ROLE [--name N]` (prints the new key as its
 * last line; only its SHA-256 is stored), `keys list [--json]` and
 * `keys revoke ID`. Works on the store the configuration names (DATA_DIR or DATABASE_URL).
 */
export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('create, list and revoke API keys');

  keys
    .command('create')
    .description('create an API key; prints it once, as the last line')
    .addOption(
      new Option('--role <role>', 'what the key may do').choices([...API_KEY_ROLES]).makeOptionMandatory(),
    )
    .option(
      '--name <name>',
      'a label to recognise the key by (1-100 letters, digits, spaces or ._@:/-)',
      patternArg(API_KEY_NAME_PATTERN, '1-100 letters, digits, spaces or ._@:/- characters'),
    )
    .action(async (opts: { role: string; name?: string }) => {
      const created = await withStore(ctx, (store) =>
        createApiKey(store.apiKeys, { role: opts.role, name: opts.name, clock: systemClock }),
      );
      const label = created.record.name === null ? '' : `, name "${created.record.name}"`;
      ctx.stdout(`Created API key ${created.record.id} (role ${created.record.role}${label}).\n`);
      ctx.stdout('Store it now: only its hash is kept, so it cannot be shown again.\n');
      ctx.stdout(`${created.key}\n`);
    });

  keys
    .command('list')
    .description('list API keys (ids, roles, names; never the keys)')
    .option('--json', 'print one JSON array')
    .action(async (opts: { json?: boolean }) => {
      const all = await withStore(ctx, (store) => store.apiKeys.list());
      if (opts.json) {
        ctx.stdout(`${JSON.stringify(all.map(describeKey))}\n`);
        return;
      }
      if (all.length === 0) {
        ctx.stdout('No API keys. Create one with: cyberstreams keys create --role admin\n');
        return;
      }
      for (const k of all) {
        const status = k.revokedAt === null ? 'active' : `revoked ${new Date(k.revokedAt).toISOString()}`;
        ctx.stdout(
          `${k.id}  ${k.role.padEnd(8)}  ${new Date(k.createdAt).toISOString()}  ${status}  ${k.name ?? ''}\n`,
        );
      }
    });

  keys
    .command('revoke')
    .description('revoke an API key by id (running servers stop accepting it within AUTH_CACHE_TTL_MS)')
    .argument('<id>', 'the key id, as `keys list` shows it (12 hex digits)')
    .action(async (id: string) => {
      if (!/^[0-9a-f]{12}$/.test(id)) {
        throw usageError(`Not a key id: "${id}" (expected 12 hex digits)`);
      }
      const revoked = await withStore(ctx, (store) => store.apiKeys.revoke(id, systemClock.now()));
      if (!revoked) {
        throw new AppError('CS_ERR_NOT_FOUND', `No active API key with id ${id}`, { details: { id } });
      }
      ctx.stdout(`Revoked API key ${id}.\n`);
    });
}
