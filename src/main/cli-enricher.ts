import pino from 'pino';
import { loadWarninglistIndex } from '../assets/index.js';
import type { CliEnricher } from '../cli/index.js';
import type { Config } from '../config/index.js';
import { systemClock } from '../core/index.js';
import { openGraph } from '../graph/index.js';
import { openStore, type Store } from '../store/index.js';
import { createGraphEnricher } from './graph-enricher.js';
import { loadShippedTechniqueMapper } from './load-predictor.js';

/**
 * The enricher of `POST /api/v1/enrich` for `cyberstreams graph enrich`: the same
 * {@link createGraphEnricher} on the configured graph, with the shipped warninglists
 * and technique model the server loads. The prediction store (DATA_DIR or
 * DATABASE_URL) is opened only when a request names a `predictionId`.
 */
export async function openCliEnricher(config: Config, stderr: (text: string) => void): Promise<CliEnricher> {
  const logger = pino({ level: 'warn' }, { write: (line: string) => stderr(line) });
  const [warninglists, techniques] = await Promise.all([
    loadWarninglistIndex(),
    loadShippedTechniqueMapper(config.MODELS_DIR, logger),
  ]);
  const graph = await openGraph({
    DATABASE_URL: config.DATABASE_URL,
    DATA_DIR: config.DATA_DIR,
    clock: systemClock,
  });
  let store: Promise<Store> | undefined;
  const enricher = createGraphEnricher({
    graph,
    warninglists,
    techniques,
    predictions: {
      get: async (id) => {
        store ??= openStore(config);
        return (await store).predictions.get(id);
      },
    },
  });
  return {
    enrich: (request) => enricher.enrich(request),
    close: async () => {
      await graph.close();
      if (store !== undefined) await (await store).close();
    },
  };
}
