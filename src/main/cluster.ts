import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config/index.js';
import { AppError, type ErrorCode, isAppError } from '../core/index.js';
import type { ServiceMetrics } from '../http/index.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

/** A started service (one process, or a cluster primary with its workers) and how to stop it. */
export interface ServiceHandle {
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  address: string;
  stop(): Promise<void>;
}

/** Messages between the primary and its workers (besides prom-client's own). */
type ClusterMessage =
  | { type: 'cs:metrics'; id: number }
  | { type: 'cs:metrics-reply'; id: number; body?: string; error?: string }
  | { type: 'cs:shutdown' }
  | { type: 'cs:start-failed'; code?: string; appCode?: ErrorCode; message: string };

/**
 * Why a worker failed to start, as the primary rethrows it: the worker's
 * message and its errno code (`EADDRINUSE`, ...), so the caller can explain
 * a listen failure the way it does for one process.
 */
class WorkerStartError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'WorkerStartError';
    this.code = code;
  }
}

/** The environment variable the primary hands its validated configuration to a worker in (JSON). */
export const WORKER_CONFIG_ENV = 'CYBERSTREAMS_WORKER_CONFIG';

/** The worker entry, `.ts` when running from source (tsx), `.js` when built. */
function workerEntry(): string {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`./api-worker.${ext}`, import.meta.url));
}

const METRICS_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Starts the API as the configuration asks: in this process when
 * `API_WORKERS` is 1, else as a node:cluster primary that forks that many
 * workers sharing the port. In a worker (this same entry, re-run by
 * cluster.fork) it starts the server with the cluster glue.
 */
export async function startService(config: Config): Promise<ServiceHandle> {
  if (cluster.isWorker) return startClusterWorker(config);
  if (config.API_WORKERS <= 1) return startServer(config);
  return startClusterPrimary(config);
}

/**
 * The primary: forks the workers one at a time (each opens and migrates the
 * store and loads the graph catalogue before the next starts), replaces a
 * worker that dies, and answers a worker's request for the metrics of all
 * workers (prom-client's aggregator; every series carries a `worker` label,
 * so nothing is summed that should not be). Loads no model itself.
 */
async function startClusterPrimary(config: Config): Promise<ServiceHandle> {
  const logger = createLogger(config);
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let address: string | undefined;
  // Workers run their own entry with this process's Node options (--import tsx from source).
  cluster.setupPrimary({ exec: workerEntry(), args: [] });

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ [WORKER_CONFIG_ENV]: JSON.stringify(config) });
      let failure: Extract<ClusterMessage, { type: 'cs:start-failed' }> | undefined;
      const onStartFailed = (message: ClusterMessage) => {
        if (message?.type === 'cs:start-failed') failure = message;
      };
      const onExit = (code: number | null) =>
        reject(
          failure === undefined
            ? new Error(`API worker exited with ${code} before listening`)
            : failure.appCode !== undefined
              ? // The worker's own AppError (Redis or PostgreSQL down...), so serve prints its one line.
                new AppError(failure.appCode, failure.message)
              : new WorkerStartError(`API worker could not start: ${failure.message}`, failure.code),
        );
      worker.on('message', onStartFailed);
      worker.once('exit', onExit);
      worker.once('listening', (a) => {
        worker.off('exit', onExit);
        worker.off('message', onStartFailed);
        address ??= `http://${a.address?.includes(':') ? `[${a.address}]` : (a.address ?? config.HOST)}:${a.port}`;
        worker.on('message', (message: ClusterMessage) => {
          if (message?.type !== 'cs:metrics') return;
          aggregator.clusterMetrics().then(
            (body) =>
              worker.send({ type: 'cs:metrics-reply', id: message.id, body } satisfies ClusterMessage),
            (err: unknown) =>
              worker.send({
                type: 'cs:metrics-reply',
                id: message.id,
                error: String(err),
              } satisfies ClusterMessage),
          );
        });
        worker.on('exit', (code, signal) => {
          if (stopping) return;
          logger.error({ worker: worker.id, code, signal }, 'API worker died; starting another');
          setTimeout(() => {
            if (!stopping) fork().catch((err) => logger.error({ err }, 'restarting an API worker failed'));
          }, 1_000).unref();
        });
        resolve(worker);
      });
    });

  const stopWorkers = async () => {
    stopping = true;
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker === undefined || worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.kill('SIGKILL'), STOP_TIMEOUT_MS);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.send({ type: 'cs:shutdown' } satisfies ClusterMessage);
          }),
      ),
    );
  };

  try {
    for (let i = 0; i < config.API_WORKERS; i++) await fork();
  } catch (err) {
    await stopWorkers();
    throw err;
  }
  // Once for the service, like one process does; each worker logged `API worker listening`.
  logger.info({ address, workers: config.API_WORKERS }, 'cyberstreams listening');
  let stopped: Promise<void> | undefined;
  return { address: address!, stop: () => (stopped ??= stopWorkers()) };
}

/**
 * In a worker process: tells the primary why the worker could not start
 * (the primary rethrows an AppError as the same AppError, any other error
 * with its errno code, see {@link WorkerStartError})
 * and exits 1. The worker prints nothing itself, so a port in use reads as
 * one line from the primary rather than a stack per worker.
 */
export function reportWorkerStartFailure(err: unknown): void {
  const e = err as NodeJS.ErrnoException | null;
  const message: ClusterMessage = {
    type: 'cs:start-failed',
    message: e?.message ?? String(err),
    ...(isAppError(err) ? { appCode: err.code } : typeof e?.code === 'string' ? { code: e.code } : {}),
  };
  if (process.send === undefined) throw err;
  process.send(message, () => process.exit(1));
}

/** A worker: the full server, its metrics labelled with the worker id and exported through the primary. */
async function startClusterWorker(config: Config): Promise<ServiceHandle> {
  const id = String(cluster.worker?.id ?? process.pid);
  const server = await startServer(config, {
    workers: config.API_WORKERS,
    prepareMetrics: (metrics) => clusterMetricsOf(metrics, id),
    workerId: id,
  });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= server.stop().then(() => {
      // Let the primary see a clean exit once this worker has drained.
      process.exit(0);
    }));
  process.on('message', (message: ClusterMessage) => {
    if (message?.type === 'cs:shutdown') void stop();
  });
  // The primary is gone (crashed or killed): stop serving rather than live on as an orphan.
  process.once('disconnect', () => void stop());
  return { address: server.address, stop };
}

/**
 * Labels a worker's series with `worker` and makes its Prometheus exposition
 * the primary's aggregate of every worker (one scrape sees the whole service).
 */
function clusterMetricsOf(metrics: ServiceMetrics, workerId: string): void {
  metrics.registry.setDefaultLabels({ worker: workerId });
  AggregatorRegistry.setRegistries(metrics.registry);
  // Constructing one is what makes prom-client answer the primary's requests in this worker.
  void new AggregatorRegistry();
  let next = 0;
  const waiting = new Map<number, { resolve: (body: string) => void; reject: (err: Error) => void }>();
  process.on('message', (message: ClusterMessage) => {
    if (message?.type !== 'cs:metrics-reply') return;
    const w = waiting.get(message.id);
    if (w === undefined) return;
    waiting.delete(message.id);
    if (message.body !== undefined) w.resolve(message.body);
    else w.reject(new Error(`aggregating the workers' metrics failed: ${message.error}`));
  });
  metrics.exposition = () =>
    new Promise<string>((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the cluster primary did not send the metrics in time'));
      }, METRICS_TIMEOUT_MS);
      waiting.set(id, {
        resolve: (body) => {
          clearTimeout(timer);
          resolve(body);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      process.send?.({ type: 'cs:metrics', id } satisfies ClusterMessage);
    });
}
