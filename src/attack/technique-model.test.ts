import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureSentences } from '../../test/fixtures/attack/fixture-data.js';
import { isAppError } from '../core/index.js';
import { fitClassifier } from './classifier.js';
import type { LabelledUnit } from './data/corpus.js';
import { HashingFeaturizer } from './featurizer.js';
import { activate } from './linear-model.js';
import { TECHNIQUE_MANIFEST_VERSION, TECHNIQUE_MODEL_FAMILY } from './manifest.js';
import { splitSentences } from './sentences.js';
import { parseTrainingSettings } from './settings.js';
import { loadTechniqueModel, saveTechniqueModel } from './technique-model.js';
import { decodeWeights, quantizedLogits } from './weights-file.js';

const settings = parseTrainingSettings({ hashBits: '12', epochs: '30', negativeWeight: '1' });

function fixtureUnits(): { units: LabelledUnit[]; labels: string[] } {
  const data = fixtureSentences();
  const units: LabelledUnit[] = [];
  for (const [id, t] of Object.entries(data.techniques)) {
    for (const text of t.train)
      units.push({ text, techniques: [id], outside: false, report: null, source: 'tram-span' });
  }
  for (const text of data.negatives.train) {
    units.push({ text, techniques: [], outside: false, report: null, source: 'report-sentence' });
  }
  return { units, labels: Object.keys(data.techniques).sort() };
}

function trainAndSave(dir: string): void {
  const { units, labels } = fixtureUnits();
  const fitted = fitClassifier(units, labels, settings, 7);
  saveTechniqueModel(dir, {
    manifest: {
      formatVersion: TECHNIQUE_MANIFEST_VERSION,
      family: TECHNIQUE_MODEL_FAMILY,
      createdAt: '2026-01-01T00:00:00.000Z',
      labels,
      featurizer: fitted.featurizer,
      classifier: { output: 'softmax', noneOutput: true },
      decision: { thresholds: labels.map(() => 0.5), maxPerSentence: 2 },
      weights: { file: 'weights.cstw', encoding: 'cstw-1' },
      namesFile: 'techniques.json',
      training: { dataSha256: '0'.repeat(64), files: [], seed: 7, hyperparameters: {}, counts: {} },
      metrics: {},
    },
    weights: fitted.weights,
    names: { 'T1003.001': 'OS Credential Dumping: LSASS Memory', T1105: 'Ingress Tool Transfer' },
  });
}

function withModel(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'cs-attack-model-'));
  try {
    trainAndSave(dir);
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a tiny training run learns separable fixture sentences and says "no technique" for the others', () => {
  withModel((dir) => {
    const model = loadTechniqueModel(dir);
    const data = fixtureSentences();
    for (const [id, t] of Object.entries(data.techniques)) {
      for (const text of t.test)
        assert.deepEqual(
          model.mapSentence(text).map((x) => x.id),
          [id],
          text,
        );
    }
    for (const text of data.negatives.test) assert.deepEqual(model.mapSentence(text), [], text);
    const lsass = model.mapSentence('They dumped lsass memory for credentials.')[0];
    assert.equal(lsass?.name, 'OS Credential Dumping: LSASS Memory');
    assert.ok((lsass?.score ?? 0) >= 0.5 && (lsass?.score ?? 2) <= 1);
  });
});

test('mapDocument groups supporting sentences per technique with offsets into the text', () => {
  withModel((dir) => {
    const model = loadTechniqueModel(dir);
    const text =
      'This blog post was written by our research team. The intruders dumped lsass memory on the server.\n' +
      'The spyware takes screenshots of the desktop. Later they dumped lsass memory again for credentials.';
    const { techniques } = model.mapDocument(text);
    assert.deepEqual(techniques.map((t) => t.id).sort(), ['T1003.001', 'T1113']);
    const lsass = techniques.find((t) => t.id === 'T1003.001');
    assert.equal(lsass?.sentences.length, 2);
    for (const t of techniques) {
      assert.equal(t.score, Math.max(...t.sentences.map((s) => s.score)));
      for (const s of t.sentences) assert.equal(text.slice(s.start, s.end), s.text);
    }
    assert.deepEqual(model.mapDocument('Nothing to see here.').techniques, []);
  });
});

test('scores equal the plain composition (featurise, quantised logits, softmax), and mapDocument maps each sentence', () => {
  withModel((dir) => {
    const model = loadTechniqueModel(dir);
    const weights = decodeWeights(new Uint8Array(readFileSync(join(dir, 'weights.cstw'))));
    const featurizer = new HashingFeaturizer(model.manifest.featurizer);
    const data = fixtureSentences();
    const texts = [
      ...Object.values(data.techniques).flatMap((t) => [...t.train, ...t.test]),
      ...data.negatives.test,
    ];
    for (const text of texts) {
      const want = activate('softmax', quantizedLogits(weights, featurizer.transform(text, weights.idf)));
      assert.deepEqual(model.scoreSentence(text), want.slice(0, model.labels.length), text);
    }
    // A document is the union of its sentences' mappings, sentence by sentence.
    const document = texts.join(' ');
    const expected = new Map<string, number>();
    for (const s of splitSentences(document)) {
      for (const t of model.mapSentence(s.text))
        expected.set(t.id, Math.max(expected.get(t.id) ?? 0, t.score));
    }
    const got = model.mapDocument(document).techniques;
    assert.deepEqual(new Map(got.map((t) => [t.id, t.score])), expected);
    assert.ok(got.length >= 2);
  });
});

function rewriteManifest(dir: string, edit: (m: Record<string, unknown>) => void): void {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(m);
  writeFileSync(path, JSON.stringify(m));
}

test('refuses manifests of another format, family or shape with CS_ERR_MODEL_INCOMPATIBLE', () => {
  const edits: ((m: Record<string, unknown>) => void)[] = [
    (m) => {
      m.formatVersion = 99;
    },
    (m) => {
      m.family = 'something-else';
    },
    (m) => {
      m.labels = 'T1105';
    },
    (m) => {
      (m.decision as { thresholds: number[] }).thresholds = [0.5];
    },
  ];
  for (const edit of edits) {
    withModel((dir) => {
      rewriteManifest(dir, edit);
      assert.throws(
        () => loadTechniqueModel(dir),
        (e) => isAppError(e, 'CS_ERR_MODEL_INCOMPATIBLE'),
      );
    });
  }
  withModel((dir) => {
    writeFileSync(join(dir, 'manifest.json'), '{not json');
    assert.throws(
      () => loadTechniqueModel(dir),
      (e) => isAppError(e, 'CS_ERR_MODEL_INCOMPATIBLE'),
    );
  });
});

test('missing or tampered files are refused with their own codes', () => {
  assert.throws(
    () => loadTechniqueModel(join(tmpdir(), 'cs-attack-no-such-dir')),
    (e) => isAppError(e, 'CS_ERR_MODEL_NOT_LOADED'),
  );
  withModel((dir) => {
    const path = join(dir, 'weights.cstw');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    assert.throws(
      () => loadTechniqueModel(dir),
      (e) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID'),
    );
  });
});
