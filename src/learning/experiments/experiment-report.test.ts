import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelledObservation } from '../../store/index.js';
import { buildExperimentReport } from './experiment-report.js';

function obs(i: number, candidate: string, active: string, label: string | null): LabelledObservation {
  return {
    createdAt: i,
    family: 'fam',
    role: 'canary',
    candidateVersion: 'v2',
    activeVersion: 'v1',
    served: i % 2 === 0 ? 'candidate' : 'active',
    textSha256: String(i).padStart(64, '0'),
    candidateSeverity: candidate,
    activeSeverity: active,
    candidateLatencyMs: 2,
    activeLatencyMs: 1,
    correctLabel: label,
  };
}

test('a canary right alone on 12 of 14 discordant texts is significantly better', () => {
  const observations: LabelledObservation[] = [];
  let i = 0;
  for (let k = 0; k < 12; k++) observations.push(obs(i++, 'high', 'low', 'high'));
  for (let k = 0; k < 2; k++) observations.push(obs(i++, 'low', 'high', 'high'));
  for (let k = 0; k < 20; k++) observations.push(obs(i++, 'medium', 'medium', 'medium'));
  for (let k = 0; k < 10; k++) observations.push(obs(i++, 'medium', 'medium', null));
  const r = buildExperimentReport({
    family: 'fam',
    candidateVersion: 'v2',
    role: 'canary',
    observations,
    agreement: [
      { modelFamily: 'fam', modelVersion: 'v2', total: 40, agreed: 34 },
      { modelFamily: 'fam', modelVersion: 'v1', total: 40, agreed: 24 },
    ],
  });
  assert.equal(r.feedback.labelled, 34);
  assert.equal(r.feedback.candidateOnly, 12);
  assert.equal(r.feedback.activeOnly, 2);
  // 2 * P(X <= 2), X ~ Bin(14, 1/2) = 2 * (1 + 14 + 91) / 16384
  assert.ok(Math.abs(r.test.pValue - (2 * 106) / 16384) < 1e-12);
  assert.equal(r.verdict, 'better');
  assert.match(r.summary, /McNemar exact p = 0\.0129 < 0\.05/);
  assert.ok(Math.abs(r.agreement! - 30 / 44) < 1e-12);
  assert.deepEqual(r.latencyMs.candidate, { p50: 2, p95: 2, mean: 2 });
  assert.equal(r.served.candidate, 22);
  assert.ok(r.servedTest !== null && r.servedTest.pValue < 0.05 && r.servedTest.z > 0);
});

test('balanced disagreement is no difference; no discordant pair is insufficient data', () => {
  const balanced = [obs(0, 'high', 'low', 'high'), obs(1, 'low', 'high', 'high')];
  const r = buildExperimentReport({
    family: 'fam',
    candidateVersion: 'v2',
    role: 'shadow',
    observations: balanced,
    agreement: [],
  });
  assert.equal(r.verdict, 'no-difference');
  assert.equal(r.servedTest, null);
  const none = buildExperimentReport({
    family: 'fam',
    candidateVersion: 'v2',
    role: 'shadow',
    observations: [],
    agreement: [],
  });
  assert.equal(none.verdict, 'insufficient-data');
  assert.equal(none.agreement, null);
  assert.equal(none.latencyMs.active, null);
});
