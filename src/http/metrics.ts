import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { METRIC_PREFIX, METRICS } from './metrics-names.js';

/** Latency buckets in seconds: 1 ms to 30 s. */
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The service's Prometheus metrics in their own registry (one per app, so
 * tests and several apps in one process never share counters), plus the
 * Node process metrics under the same prefix.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: METRICS.httpRequests,
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });
  readonly httpRequestDuration = new Histogram({
    name: METRICS.httpRequestDuration,
    help: 'Time to answer an HTTP request, in seconds, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly predictions = new Counter({
    name: METRICS.predictions,
    help: 'Predictions answered, by model family, model version and predicted class.',
    labelNames: ['model_family', 'model_version', 'severity'] as const,
    registers: [this.registry],
  });
  readonly predictionDuration = new Histogram({
    name: METRICS.predictionDuration,
    help: 'Time the model took for one item (cache misses), in seconds.',
    labelNames: ['model_family', 'model_version'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly predictionCacheLookups = new Counter({
    name: METRICS.predictionCacheLookups,
    help: 'Prediction cache lookups, by result (hit, miss, error).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly batchItems = new Counter({
    name: METRICS.batchItems,
    help: 'Items of batch requests, by outcome (predicted, rejected).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly feedback = new Counter({
    name: METRICS.feedback,
    help: 'Feedback items stored, by correct label and whether it agreed with the model (true, false, unknown).',
    labelNames: ['correct_label', 'agreed'] as const,
    registers: [this.registry],
  });
  readonly authRejections = new Counter({
    name: METRICS.authRejections,
    help: 'Requests refused by authentication, by reason (missing, invalid, role).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly predictionsPurged = new Counter({
    name: METRICS.predictionsPurged,
    help: 'Stored predictions deleted by the retention purge.',
    registers: [this.registry],
  });

  readonly threatsRecorded = new Counter({
    name: METRICS.threatsRecorded,
    help: 'Predictions recorded as knowledge-graph threats, by outcome (recorded, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly requestsShed = new Counter({
    name: METRICS.requestsShed,
    help: 'Requests refused with 503 CS_ERR_OVERLOADED while the event loop was overloaded, by route pattern.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  /**
   * Produces the Prometheus exposition `GET /metrics` serves; absent: this registry's. A cluster
   * worker sets it to fetch every worker's series through the primary.
   */
  exposition: (() => Promise<string>) | undefined;

  /** @param processMetrics also export the Node process metrics (CPU, memory, event loop). Default true. */
  constructor(processMetrics = true) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }
}
