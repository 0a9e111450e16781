import type { KeyValueCache } from '../store/index.js';
import type { ServiceMetrics } from './metrics.js';
import { sha256Hex } from './normalise-text.js';
import type { PredictorInput, PredictorOutput } from './predictor.js';
import type { ModelRef } from './schemas/common.js';

/**
 * Caches model outputs by model version and a hash of the normalised input
 * (text, plus source and published, which the model also reads). A new model
 * version never sees the old one's entries. Cache failures count as misses
 * and never fail a request.
 */
export class PredictionCache {
  readonly #cache: KeyValueCache;
  readonly #ttlSeconds: number;
  readonly #metrics: ServiceMetrics;
  readonly #onError: (err: unknown) => void;

  /**
   * @param ttlSeconds lifetime of an entry (> 0).
   * @param onError told about cache failures (logging); the request goes on as a miss.
   */
  constructor(
    cache: KeyValueCache,
    ttlSeconds: number,
    metrics: ServiceMetrics,
    onError: (err: unknown) => void,
  ) {
    this.#cache = cache;
    this.#ttlSeconds = ttlSeconds;
    this.#metrics = metrics;
    this.#onError = onError;
  }

  /** The cache key of an input for a model version. */
  static key(model: ModelRef, input: PredictorInput): string {
    // The explanation level changes the answer (explanation present or not), so it is part of the key.
    const digest = sha256Hex(
      JSON.stringify([input.text, input.source ?? null, input.published ?? null, input.explain ?? null]),
    );
    return `pred:${model.family}:${model.version}:${digest}`;
  }

  /** The cached output, or undefined on a miss or a cache failure. */
  async get(model: ModelRef, input: PredictorInput): Promise<PredictorOutput | undefined> {
    try {
      const hit = await this.#cache.get(PredictionCache.key(model, input));
      this.#metrics.predictionCacheLookups.inc({ result: hit === undefined ? 'miss' : 'hit' });
      return hit === undefined ? undefined : (JSON.parse(hit) as PredictorOutput);
    } catch (err) {
      this.#metrics.predictionCacheLookups.inc({ result: 'error' });
      this.#onError(err);
      return undefined;
    }
  }

  /** Stores an output under the model version that produced it; never waits for nor fails on the cache. */
  put(input: PredictorInput, output: PredictorOutput): void {
    this.#cache
      .set(PredictionCache.key(output.model, input), JSON.stringify(output), this.#ttlSeconds)
      .catch(this.#onError);
  }
}
