import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { DriftReport } from '../learning/index.js';
import { LearningMetrics } from './learning-metrics.js';

const report: DriftReport = {
  model: { family: 'hashed-ngram', version: 'v2' },
  samples: 500,
  vectorSamples: 500,
  ready: true,
  classMixPsi: 0.31,
  classMix: { critical: 0.6, high: 0.4 },
  families: [
    { family: 'text', psi: 0.12, maxSlotPsi: 0.4, maxSlot: 'text.3', maxKs: 0 },
    { family: 'stats', psi: 0.02, maxSlotPsi: 0.05, maxSlot: 'stats.1', maxKs: 0.21 },
  ],
  ks: [{ slot: 'stats.1', index: 97, statistic: 0.21, pValue: 0.001 }],
  alarm: true,
  reasons: ['class mix PSI 0.31 > 0.25'],
  psiAlarm: 0.25,
  generatedAt: '2026-11-27T00:00:00.000Z',
};

test('the Prometheus scrape carries PSI per family, the class-mix PSI, KS per numeric slot and the alarm', async () => {
  let current: DriftReport | null = report;
  const registry = new Registry();
  new LearningMetrics(registry, {
    drift: () => current,
    loaded: () => [{ slot: 'active', family: 'hashed-ngram', version: 'v2' }],
  });
  const text = await registry.metrics();
  assert.match(text, /cyberstreams_drift_psi\{family="text"\} 0\.12\n/);
  assert.match(text, /cyberstreams_drift_psi\{family="stats"\} 0\.02\n/);
  assert.match(text, /cyberstreams_drift_class_mix_psi 0\.31\n/);
  assert.match(text, /cyberstreams_drift_ks_statistic\{slot="stats\.1"\} 0\.21\n/);
  assert.match(text, /cyberstreams_drift_alarm 1\n/);
  assert.match(text, /cyberstreams_drift_window_samples 500\n/);
  assert.match(
    text,
    /cyberstreams_model_loaded\{slot="active",model_family="hashed-ngram",model_version="v2"\} 1\n/,
  );

  // Without a report (no model yet) the gauges empty instead of keeping old values.
  current = null;
  const empty = await registry.metrics();
  assert.doesNotMatch(empty, /cyberstreams_drift_psi\{/);
  assert.doesNotMatch(empty, /cyberstreams_drift_ks_statistic\{/);
  assert.match(empty, /cyberstreams_drift_alarm 0\n/);
});
