import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { systemClock } from '../core/index.js';
import { buildApp } from '../http/index.js';
import { openStore } from '../store/index.js';
import { createLogger } from './logger.js';
import { VERSION } from './version.js';

/** A running server and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  address: string;
  stop(): Promise<void>;
}

/** Wires the concrete parts together from the configuration and starts listening. */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config);
  const store = await openStore(config);
  const app = await buildApp({ store, logger, clock: systemClock, version: VERSION });
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ address, store: store.kind }, 'cyberstreams listening');
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await store.close();
    })();
    return stopping;
  };
  return { app, address, stop };
}
