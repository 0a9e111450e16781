/**
 * Entry of an API worker process forked by the cluster primary (`API_WORKERS` > 1,
 * see `startService`): serves with the primary's validated configuration until
 * the primary tells it to stop, or it gets SIGTERM/SIGINT.
 */
import type { Config } from '../config/index.js';
import { reportWorkerStartFailure, startService, WORKER_CONFIG_ENV } from './cluster.js';

const config = Object.freeze(JSON.parse(process.env[WORKER_CONFIG_ENV] ?? 'null')) as Config | null;
if (config === null)
  throw new Error(`${WORKER_CONFIG_ENV} is not set: this file is started by the cluster primary`);
try {
  const service = await startService(config);
  process.once('SIGTERM', () => void service.stop());
  process.once('SIGINT', () => void service.stop());
} catch (err) {
  reportWorkerStartFailure(err);
}
