import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** `cyberstreams serve`: runs the API until SIGINT/SIGTERM, then drains in-flight requests and exits 0. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the REST API (HOST, PORT, DATA_DIR, DATABASE_URL, REDIS_URL from the environment)')
    .option('--host <host>', 'interface to listen on (overrides HOST)')
    .option('--port <port>', 'port to listen on (overrides PORT)')
    .action(async (opts: { host?: string; port?: string }) => {
      const config = ctx.loadConfig({
        ...(opts.host === undefined ? {} : { HOST: opts.host }),
        ...(opts.port === undefined ? {} : { PORT: opts.port }),
      });
      const server = await ctx.startServer(config);
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
