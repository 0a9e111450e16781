import type { Command } from 'commander';
import { type Config, EnvSchema } from '../config/index.js';
import { AppError } from '../core/index.js';
import type { CliContext, ServerHandle } from './context.js';
import { schemaArg } from './usage.js';

/**
 * The one-line explanation of an error the server's `listen` raised, or
 * undefined for any other error. These are errors of the host, not of the
 * program: a stack trace would only hide the one thing to change.
 */
export function listenProblem(err: unknown, config: Pick<Config, 'HOST' | 'PORT'>): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const where = `port ${config.PORT} on ${config.HOST}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${where} is in use; set PORT or HOST`;
    case 'EACCES':
      return `no permission to listen on ${where} (ports below 1024 need privileges); set PORT or HOST`;
    case 'EADDRNOTAVAIL':
      return `HOST ${config.HOST} is not an address of this machine; set HOST`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `HOST ${config.HOST} cannot be resolved to an address; set HOST`;
    default:
      return undefined;
  }
}

/** `cyberstreams serve`: runs the API until SIGINT/SIGTERM, then drains in-flight requests and exits 0. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the REST API (HOST, PORT, DATA_DIR, DATABASE_URL, REDIS_URL from the environment)')
    .option('--host <host>', 'interface to listen on (overrides HOST)', schemaArg(EnvSchema.properties.HOST))
    .option(
      '--port <port>',
      'port to listen on, 0-65535 (overrides PORT)',
      schemaArg(EnvSchema.properties.PORT),
    )
    .addHelpText(
      'after',
      '\nA port in use, a port needing privileges or a HOST that is not an address here fails with one line (exit 1).',
    )
    .action(async (opts: { host?: string; port?: string }) => {
      const config = ctx.loadConfig({
        ...(opts.host === undefined ? {} : { HOST: opts.host }),
        ...(opts.port === undefined ? {} : { PORT: opts.port }),
      });
      let server: ServerHandle;
      try {
        server = await ctx.startServer(config);
      } catch (err) {
        const problem = listenProblem(err, config);
        if (problem === undefined) throw err;
        throw new AppError('CS_ERR_LISTEN_FAILED', problem, {
          cause: err,
          details: { host: config.HOST, port: config.PORT, code: (err as NodeJS.ErrnoException).code },
        });
      }
      ctx.stderr(`cyberstreams listening on ${server.address}\n`);
      await new Promise<void>((resolve) => {
        const shutdown = () => {
          void server.stop().then(resolve);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
    });
}
