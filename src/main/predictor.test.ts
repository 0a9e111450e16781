import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKevLookup } from '../graph/index.js';
import type { ModelManifest, SeverityModel } from '../model/index.js';
import { createServicePredictor, type LoadedSeverityModel, techniqueMapperOf } from './predictor.js';

function fakeModel(version: string): LoadedSeverityModel & { disposed: number } {
  const loaded = {
    disposed: 0,
    manifest: { metrics: { macroF1: 0.6, accuracy: 0.7 } } as unknown as ModelManifest,
    model: {
      ref: { family: 'fake', version },
      predict: (doc) => ({
        probabilities: doc.text.includes('rce') ? [0.7, 0.1, 0.1, 0.05, 0.05] : [0.05, 0.05, 0.1, 0.1, 0.7],
        severity: doc.text.includes('rce') ? 'critical' : 'informational',
        confidence: 0.7,
        model: { family: 'fake', version },
      }),
      predictBatch: () => [],
      dispose: () => {
        loaded.disposed++;
      },
    } satisfies SeverityModel,
  };
  return loaded;
}

test('composes extraction and the severity model into one answer', () => {
  const predictor = createServicePredictor({ severity: fakeModel('v1'), warninglists: undefined });
  const text = 'rce via CVE-2024-3400 from 203.0.113[.]7';
  const out = predictor.predict({ text });
  assert.equal(out.severity, 'critical');
  assert.deepEqual(out.probabilities, {
    critical: 0.7,
    high: 0.1,
    medium: 0.1,
    low: 0.05,
    informational: 0.05,
  });
  assert.deepEqual(out.model, { family: 'fake', version: 'v1' });
  assert.deepEqual(out.entities.cves, ['CVE-2024-3400']);
  assert.deepEqual(out.entities.ipv4s, ['203.0.113.7']);
  const match = (out.entities.matches as { raw: string; start: number; end: number }[]).find((m) =>
    m.raw.startsWith('203'),
  );
  assert.equal(text.slice(match!.start, match!.end), match!.raw);
  assert.deepEqual(out.techniques, []);
  assert.deepEqual(predictor.models(), [
    { family: 'fake', version: 'v1', active: true, holdout: { macroF1: 0.6, accuracy: 0.7 } },
  ]);
});

test('hot swap answers with the new model and disposes the old one; unloaded is CS_ERR_MODEL_NOT_LOADED', () => {
  const v1 = fakeModel('v1');
  const predictor = createServicePredictor({ severity: v1, warninglists: undefined });
  predictor.setSeverityModel(fakeModel('v2'));
  assert.equal(v1.disposed, 1);
  assert.deepEqual(predictor.current(), { family: 'fake', version: 'v2' });
  assert.equal(predictor.predict({ text: 'x' }).model.version, 'v2');
  predictor.setSeverityModel(undefined);
  assert.equal(predictor.current(), undefined);
  assert.throws(() => predictor.predict({ text: 'x' }), { code: 'CS_ERR_MODEL_NOT_LOADED' });
});

test('technique mapping fills techniques with their supporting sentences', () => {
  const mapper = techniqueMapperOf({
    mapDocument: (text: string) => ({
      techniques: text.includes('powershell')
        ? [
            {
              id: 'T1059.001',
              name: 'PowerShell',
              score: 0.9,
              sentences: [{ text: 'It ran powershell.', start: 0, end: 18, score: 0.9 }],
            },
          ]
        : [],
    }),
  });
  const predictor = createServicePredictor({
    severity: fakeModel('v1'),
    warninglists: undefined,
    techniques: mapper,
  });
  assert.deepEqual(predictor.predict({ text: 'It ran powershell.' }).techniques, [
    {
      id: 'T1059.001',
      name: 'PowerShell',
      score: 0.9,
      sentences: [{ text: 'It ran powershell.', start: 0, end: 18, score: 0.9 }],
    },
  ]);
  assert.deepEqual(predictor.predict({ text: 'nothing' }).techniques, []);
});

test('explanation levels, anomaly score and recommendations from the composed parts', () => {
  const advice = {
    kev: createKevLookup(
      [{ cve: 'CVE-2024-3400', dateAdded: '2024-04-12', ransomware: false }],
      '2025.01.01',
    ),
    mitigatedTechniques: 1,
    mitigationsOf: (id: string) =>
      id === 'T1059.001' ? [{ id: 'M1042', name: 'Disable or Remove Feature' }] : [],
  };
  const mapper = techniqueMapperOf({
    mapDocument: () => ({ techniques: [{ id: 'T1059.001', name: 'PowerShell', score: 0.9, sentences: [] }] }),
  });
  const predictor = createServicePredictor({
    severity: fakeModel('v1'),
    warninglists: undefined,
    techniques: mapper,
    advice,
  });
  const text = 'rce via CVE-2024-3400 from 203.0.113[.]7';
  const out = predictor.predict({ text });
  // No anomaly model: null. The fake model is no hashed model: generic leave-one-out over words.
  assert.equal(out.anomalyScore, null);
  assert.equal(out.explanation?.level, 'words');
  assert.equal(out.explanation?.explainedClass, 'critical');
  assert.equal(out.explanation?.words?.method, 'leave-one-out');
  const top = out.explanation!.words!.top[0]!;
  assert.deepEqual(top, { text: 'rce', start: 0, end: 3, value: 0.65 });
  assert.equal(predictor.predict({ text, explain: 'none' }).explanation, null);
  const kinds = out.recommendations.map((r) => r.kind);
  assert.deepEqual(kinds, [
    'cve-known-exploited',
    'severity-action',
    'indicator-block',
    'technique-mitigate',
  ]);
  assert.match(out.recommendations[0]!.reason, /Known Exploited Vulnerabilities catalogue/);
  assert.match(out.recommendations[3]!.action, /M1042 Disable or Remove Feature/);
});
