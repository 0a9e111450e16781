/**
 * Every Prometheus metric name the service exports, in one place: prefix
 * `cyberstreams_`, base units in the name (`_seconds`, `_total`). Label values
 * are bounded: route patterns (never raw URLs), status codes, model versions,
 * severity classes; never an indicator, a text or a key.
 */
export const METRIC_PREFIX = 'cyberstreams_';

/** Metric names by purpose. */
export const METRICS = Object.freeze({
  /** Counter: HTTP requests answered; labels method, route, status_code. */
  httpRequests: 'cyberstreams_http_requests_total',
  /** Histogram: time to answer an HTTP request, seconds; labels method, route, status_code. */
  httpRequestDuration: 'cyberstreams_http_request_duration_seconds',
  /** Counter: predictions answered; labels model_family, model_version, severity. */
  predictions: 'cyberstreams_predictions_total',
  /** Histogram: time the model took for one item (cache misses only), seconds; labels model_family, model_version. */
  predictionDuration: 'cyberstreams_prediction_duration_seconds',
  /** Counter: prediction cache lookups; label result = hit, miss or error. */
  predictionCacheLookups: 'cyberstreams_prediction_cache_lookups_total',
  /** Counter: batch items; label outcome = predicted or rejected. */
  batchItems: 'cyberstreams_batch_items_total',
  /** Counter: feedback stored; labels correct_label, agreed = true, false or unknown. */
  feedback: 'cyberstreams_feedback_total',
  /** Counter: requests refused by authentication; label reason = missing, invalid or role. */
  authRejections: 'cyberstreams_auth_rejections_total',
  /** Counter: stored predictions deleted by the retention purge. */
  predictionsPurged: 'cyberstreams_predictions_purged_total',
  /** Counter: predictions recorded as knowledge-graph threats; label outcome = recorded or failed. */
  threatsRecorded: 'cyberstreams_threats_recorded_total',
  /** Counter: requests refused with 503 CS_ERR_OVERLOADED while the process was overloaded; label route. */
  requestsShed: 'cyberstreams_http_requests_shed_total',
});

/**
 * Metric names of the self-learning loop (registered when the loop is wired,
 * `src/http/learning-metrics.ts`). Drift figures are unitless statistics
 * (PSI, KS), so their gauges carry no unit suffix.
 */
export const LEARNING_METRICS = Object.freeze({
  /** Gauge: PSI of live traffic against the active model's training reference; label family = feature family. */
  driftPsi: 'cyberstreams_drift_psi',
  /** Gauge: PSI of the live predicted-class mix against the reference's. */
  driftClassMixPsi: 'cyberstreams_drift_class_mix_psi',
  /** Gauge: Kolmogorov-Smirnov statistic of a numeric feature slot; label slot = slot name (128 at most). */
  driftKsStatistic: 'cyberstreams_drift_ks_statistic',
  /** Gauge: 1 when the drift alarm is on, else 0. */
  driftAlarm: 'cyberstreams_drift_alarm',
  /** Gauge: predictions in this replica's drift window. */
  driftWindowSamples: 'cyberstreams_drift_window_samples',
  /** Gauge: 1 per loaded model version; labels slot (active, canary, shadow), model_family, model_version. */
  modelLoaded: 'cyberstreams_model_loaded',
  /** Counter: hot swaps of a serving slot; label slot. */
  modelSwaps: 'cyberstreams_model_swaps_total',
  /** Counter: paired canary/shadow observations; label role. */
  experimentObservations: 'cyberstreams_experiment_observations_total',
  /** Counter: retraining jobs finished in this process; labels trigger, status (succeeded, failed), promoted (true, false). */
  retrainJobs: 'cyberstreams_retrain_jobs_total',
});
