import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import pino from 'pino';
import { Compile } from 'typebox/compile';
import { PredictionSchema, type PredictorOutput } from '../http/index.js';
import { loadSeverityModel, readManifest } from '../model/index.js';
import { type LoadedPredictorParts, loadServicePredictor } from './load-predictor.js';

// The predictor with the shipped models (severity, techniques, anomaly) and the graph catalogue.
const MODELS = new URL('../../models', import.meta.url).pathname;
const shipped = existsSync(join(MODELS, 'severity', 'manifest.json'));
const anomalyShipped = existsSync(join(MODELS, 'severity', 'anomaly', 'anomaly.json'));
const baselineShipped = existsSync(join(MODELS, 'severity-baseline', 'manifest.json'));

const CVE =
  'A SQL injection vulnerability in the login page of Acme Web Portal 2.3.1 allows remote unauthenticated attackers to execute arbitrary SQL commands via the username parameter.';
const LOG4J =
  'Apache Log4j2 JNDI features used in configuration, log messages, and parameters do not protect against attacker controlled LDAP endpoints (CVE-2021-44228); also fixed: CVE-2099-0001. Block hxxp://evil-c2[.]example[.]net.';
const RANDOM = 'xq7 zz!k pl0 qqwr vvb 88a-- mnb tt9r ^^k gh0st lpq7 zzzq wq8!';
const RECIPE =
  'Preheat the oven to 180 degrees. Whisk two eggs with sugar until pale, fold in the flour and melted butter, pour into a tin and bake the cake for 35 minutes until golden.';

const checkPrediction = Compile(PredictionSchema);
/** The route's answer around a predictor output, checked against the response schema. */
function assertValidAnswer(out: PredictorOutput): void {
  const answer = { id: 'x', ...out, cached: false, latencyMs: 1 };
  const errors = [...checkPrediction.Errors(answer)].slice(0, 5);
  assert.deepEqual(errors, [], JSON.stringify(errors));
}

function assertOffsets(text: string, out: PredictorOutput): void {
  const words = out.explanation?.words;
  assert.ok(words !== undefined && words.top.length > 0, 'word attributions');
  for (const w of words.top) assert.equal(text.slice(w.start, w.end), w.text, 'offsets point at the word');
  const abs = words.top.map((w) => Math.abs(w.value));
  for (let i = 1; i < abs.length; i++) assert.ok(abs[i - 1]! >= abs[i]!, 'largest |value| first');
}

let parts: LoadedPredictorParts;
before(async () => {
  if (shipped) parts = await loadServicePredictor({ MODELS_DIR: MODELS }, pino({ level: 'silent' }));
});

test('shipped model, default level: leave-one-out words with offsets, anomaly score, recommendations with reasons', {
  skip: !shipped,
}, () => {
  const out = parts.predictor.predict({ text: LOG4J });
  assertValidAnswer(out);
  assert.equal(out.explanation?.level, 'words');
  assert.equal(out.explanation?.explainedClass, out.severity);
  assert.equal(out.explanation?.words?.method, 'leave-one-out');
  assert.ok(Math.abs(out.explanation!.words!.prediction - out.probabilities[out.severity]) < 1e-6);
  assertOffsets(LOG4J, out);
  if (anomalyShipped) assert.ok(out.anomalyScore !== null && out.anomalyScore >= 0 && out.anomalyScore <= 1);
  assert.ok(out.recommendations.length >= 3);
  for (const r of out.recommendations)
    assert.ok(r.reason.length > 10 && r.action.length > 5, JSON.stringify(r));
  assert.equal(out.recommendations.filter((r) => r.kind === 'severity-action').length, 1);
  // CVE-2021-44228 is in the KEV entries of the shipped catalogue; CVE-2099-0001 is not.
  const kev = out.recommendations.find((r) => r.kind === 'cve-known-exploited');
  assert.deepEqual(kev?.subjects, ['CVE-2021-44228']);
  assert.equal((kev?.evidence?.kev as { dateAdded?: string } | undefined)?.dateAdded, '2021-12-10');
  assert.match(kev!.reason, /Known Exploited Vulnerabilities/);
  assert.deepEqual(out.recommendations.find((r) => r.kind === 'cve-patch')?.subjects, ['CVE-2099-0001']);
  assert.deepEqual(out.recommendations.find((r) => r.kind === 'indicator-block')?.subjects, [
    'http://evil-c2.example.net',
    'evil-c2.example.net',
  ]);
});

test('techniques get the catalogue mitigations, with the reason', { skip: !shipped }, () => {
  const text =
    'The adversary sent spearphishing emails with malicious attachments; a PowerShell script then created a scheduled task for persistence and dumped credentials from LSASS memory.';
  const out = parts.predictor.predict({ text, explain: 'none' });
  assert.equal(out.explanation, null);
  const mitigate = out.recommendations.filter((r) => r.kind === 'technique-mitigate');
  assert.ok(out.techniques.length > 0 && mitigate.length > 0, 'techniques with mitigations');
  for (const r of mitigate) {
    assert.match(r.reason, /ATT&CK lists \d+ mitigations?/);
    assert.ok(((r.evidence?.mitigations as unknown[]) ?? []).length > 0);
  }
});

test('shapley level: word values plus the base value add up to the predicted probability', {
  skip: !shipped,
}, () => {
  for (const text of [CVE, LOG4J, 'Critical overflow in the kernel.']) {
    const out = parts.predictor.predict({ text, explain: 'shapley' });
    assertValidAnswer(out);
    const w = out.explanation?.words;
    assert.ok(w?.baseValue !== undefined && w.otherValue !== undefined);
    assert.ok(w.method === 'kernel-shap-words' || w.method === 'exact-shapley-words');
    const sum = w.baseValue + w.top.reduce((s, a) => s + a.value, 0) + w.otherValue;
    assert.ok(Math.abs(sum - w.prediction) < 1e-5, `${sum} vs ${w.prediction}`);
    assert.ok(Math.abs(w.prediction - out.probabilities[out.severity]) < 1e-6);
    assertOffsets(text, out);
  }
});

test('anomaly: random characters and a cooking recipe score higher than a CVE description', {
  skip: !shipped || !anomalyShipped,
}, () => {
  const score = (text: string) => parts.predictor.predict({ text, explain: 'none' }).anomalyScore!;
  const cve = score(CVE);
  assert.ok(score(RANDOM) > cve, `random ${score(RANDOM)} vs CVE ${cve}`);
  assert.ok(score(RECIPE) > cve, `recipe ${score(RECIPE)} vs CVE ${cve}`);
  assert.ok(cve < 0.9, `a plain CVE description is not anomalous (${cve})`);
});

test('the MLP baseline (128-slot vector model) as a variant: leave-one-out words by default, exact family Shapley values that add up', {
  skip: !shipped || !baselineShipped,
}, async () => {
  const dir = join(MODELS, 'severity-baseline');
  const [model, manifest] = await Promise.all([loadSeverityModel(dir), readManifest(dir)]);
  const variant = parts.variant({ model, manifest });
  try {
    // Default level: leave-one-out words (generic re-prediction path), no family values.
    const words = variant.predict({ text: LOG4J });
    assertValidAnswer(words);
    assert.equal(words.model.family, 'tfjs-mlp');
    assert.equal(words.explanation?.words?.method, 'leave-one-out');
    assert.equal(words.explanation?.families, undefined);
    assertOffsets(LOG4J, words);
    if (anomalyShipped) assert.ok(words.anomalyScore !== null);
    // Shapley level: the family values add up to the predicted probability.
    const out = variant.predict({ text: LOG4J, explain: 'shapley' });
    assertValidAnswer(out);
    const f = out.explanation?.families;
    assert.ok(f !== undefined && f.values.length === 8, 'eight families');
    const sum = f.baseValue + f.values.reduce((s, v) => s + v.value, 0);
    assert.ok(Math.abs(sum - f.prediction) < 1e-5, `${sum} vs ${f.prediction}`);
    assert.ok(Math.abs(f.prediction - out.probabilities[out.severity]) < 1e-5);
    assertOffsets(LOG4J, out);
  } finally {
    variant.dispose();
  }
});
