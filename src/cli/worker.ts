import type { Command } from 'commander';
import { AppError } from '../core/index.js';
import type { CliContext } from './context.js';

/**
 * `cyberstreams worker`: runs the retraining jobs queued on Redis (BullMQ;
 * REDIS_URL must be set) until SIGINT/SIGTERM, then stops the running
 * training, hands its job back to the queue (waiting, the attempt not counted)
 * and exits 0. Without REDIS_URL the API server runs jobs itself.
 */
export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run queued retraining jobs from Redis (BullMQ); needs REDIS_URL')
    .action(async () => {
      const config = ctx.loadConfig();
      if (config.REDIS_URL === undefined) {
        throw new AppError(
          'CS_ERR_CONFIG_INVALID',
          'cyberstreams worker needs REDIS_URL (BullMQ); without Redis the API server runs retraining jobs itself',
        );
      }
      if (ctx.startWorker === undefined)
        throw new AppError('CS_ERR_INTERNAL', 'This entry point cannot start a worker');
      const worker = await ctx.startWorker(config);
      ctx.stderr(`cyberstreams worker ${worker.address} waiting for retraining jobs\n`);
      await new Promise<void>((resolve) => {
        const shutdown = () => {
          void worker.stop().then(resolve);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
    });
}
