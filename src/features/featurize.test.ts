import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureArtefacts, loadFeatureCorpus } from '../../test/fixtures/features/corpus.js';
import { isAppError } from '../core/index.js';
import { emptyExtraction } from '../extract/index.js';
import type { FeatureArtefacts } from './artefacts.js';
import { writeEmbedding } from './embedding.js';
import { writeEntities } from './entities.js';
import { explainVector } from './explain.js';
import { featurize } from './featurize.js';
import { writeKeywords } from './keywords.js';
import { writePatterns } from './patterns.js';
import type { FeatureFamily } from './slot.js';
import { writeSource } from './source.js';
import { FAMILY_SLOTS, FEATURE_SPEC } from './spec.js';
import { writeStatistics } from './statistics.js';
import { parsePublished, writeTemporal } from './temporal.js';
import { writeTone } from './tone.js';

const REFERENCE = Date.parse('2024-09-01T00:00:00Z');
const TEXT =
  'A remote unauthenticated attacker can execute arbitrary code via a crafted request to 203.0.113.7; ' +
  'the flaw is actively exploited and no patch is available. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** Each family's writer, called with the family's own offset, as featurize calls it. */
function writers(artefacts: FeatureArtefacts): Record<FeatureFamily, (out: Float32Array) => void> {
  const lower = TEXT.toLowerCase();
  return {
    embedding: (out) => writeEmbedding(lower, artefacts, out, FAMILY_SLOTS.embedding[0]),
    source: (out) => writeSource('vendor-a', artefacts.sources, out, FAMILY_SLOTS.source[0]),
    temporal: (out) =>
      writeTemporal(parsePublished('2024-08-07T18:00:00Z'), REFERENCE, out, FAMILY_SLOTS.temporal[0]),
    entities: (out) => writeEntities(emptyExtraction(), out, FAMILY_SLOTS.entities[0]),
    tone: (out) => writeTone(lower, out, FAMILY_SLOTS.tone[0]),
    statistics: (out) => writeStatistics(TEXT, lower, out, FAMILY_SLOTS.statistics[0]),
    keywords: (out) => writeKeywords(lower, out, FAMILY_SLOTS.keywords[0]),
    patterns: (out) => writePatterns(lower, out, FAMILY_SLOTS.patterns[0]),
  };
}

test('each family writes every one of its defined slots and nothing outside them', () => {
  const artefacts = fixtureArtefacts();
  for (const [family, write] of Object.entries(writers(artefacts)) as [
    FeatureFamily,
    (o: Float32Array) => void,
  ][]) {
    const out = new Float32Array(128).fill(Number.NaN);
    write(out);
    for (const slot of FEATURE_SPEC.slots) {
      const written = !Number.isNaN(out[slot.index]!);
      if (slot.family === family && !slot.reserved) assert.ok(written, `${family} writes ${slot.name}`);
      else assert.ok(!written, `${family} must not write ${slot.name} (slot ${slot.index})`);
    }
  }
});

test('featurize returns 128 finite values inside each slot range; reserved slots are 0', () => {
  const artefacts = fixtureArtefacts();
  const docs = [
    ...loadFeatureCorpus().map((d, i) => ({
      ...d,
      published: `2024-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:15:00Z`,
    })),
    { text: '' },
    { text: TEXT, source: 'unknown feed', published: '2030-01-01' },
    { text: '\u0000\uFFFF'.repeat(1000) },
    { text: 'exploit '.repeat(20000) },
  ];
  for (const doc of docs) {
    const v = featurize(doc, { artefacts, referenceTime: REFERENCE });
    assert.ok(v instanceof Float32Array);
    assert.equal(v.length, 128);
    for (const slot of FEATURE_SPEC.slots) {
      const x = v[slot.index]!;
      assert.ok(Number.isFinite(x), `${slot.name} is finite`);
      assert.ok(
        x >= slot.range[0] - 1e-6 && x <= slot.range[1] + 1e-6,
        `${slot.name}=${x} in [${slot.range}]`,
      );
      if (slot.reserved) assert.equal(x, 0);
    }
  }
});

test('featurize is pure: same input, same vector; reference time moves only temporal slots', () => {
  const artefacts = fixtureArtefacts();
  const doc = { text: TEXT, source: 'vendor-a', published: '2024-08-07T18:00:00Z' };
  const a = featurize(doc, { artefacts, referenceTime: REFERENCE });
  const b = featurize(doc, { artefacts, referenceTime: REFERENCE });
  assert.deepEqual(Array.from(a), Array.from(b));
  const later = featurize(doc, { artefacts, referenceTime: REFERENCE + 100 * 86_400_000 });
  for (const slot of FEATURE_SPEC.slots) {
    if (slot.family !== 'temporal') assert.equal(later[slot.index], a[slot.index], slot.name);
  }
  assert.notEqual(later[56], a[56], 'age changed');
});

test('a precomputed extraction is used instead of extracting again', () => {
  const artefacts = fixtureArtefacts();
  const own = featurize({ text: TEXT }, { artefacts, referenceTime: REFERENCE });
  assert.ok(own[FAMILY_SLOTS.entities[0]]! > 0, 'the text has an IP address');
  const given = featurize(
    { text: TEXT },
    { artefacts, referenceTime: REFERENCE, extraction: emptyExtraction() },
  );
  assert.equal(given[FAMILY_SLOTS.entities[0]], 0, 'the given (empty) extraction was used');
});

test('the vector reflects the text: families respond to what the text says', () => {
  const artefacts = fixtureArtefacts();
  const v = featurize({ text: TEXT }, { artefacts, referenceTime: REFERENCE });
  const named = Object.fromEntries(explainVector(v).map((s) => [s.name, s.value]));
  assert.ok(named['tone.urgency']! > 0.5);
  assert.equal(named['tone.exploitation_evidence'], 1);
  assert.equal(named['kw.code_execution'], 0.5);
  assert.equal(named['pat.unauthenticated'], 1);
  assert.equal(named['pat.remote'], 1);
  assert.ok(Math.abs(named['pat.cvss_score']! - 0.98) < 1e-6);
  assert.ok(explainVector(v).some((s) => s.family === 'embedding'));
  assert.equal(named['source.known'], undefined, 'no source: slot is 0 and not listed');
});

test('explainVector lists the non-zero slots by name in index order', () => {
  const v = new Float32Array(128);
  v[3] = 0.25;
  v[75] = 1;
  assert.deepEqual(explainVector(v), [
    { index: 3, name: 'emb.lsa_03', family: 'embedding', value: 0.25 },
    { index: 75, name: 'tone.urgency', family: 'tone', value: 1 },
  ]);
  assert.throws(() => explainVector(new Float32Array(10)), RangeError);
});

test('bad context is refused: non-finite reference time, non-string text, foreign spec version', () => {
  const artefacts = fixtureArtefacts();
  assert.throws(
    () => featurize({ text: 'x' }, { artefacts, referenceTime: Number.NaN }),
    (e) => isAppError(e, 'CS_ERR_VALIDATION'),
  );
  assert.throws(
    () => featurize({ text: 42 as unknown as string }, { artefacts, referenceTime: REFERENCE }),
    (e) => isAppError(e, 'CS_ERR_VALIDATION'),
  );
  assert.throws(
    () =>
      featurize(
        { text: 'x' },
        { artefacts: { ...artefacts, featureSpecVersion: '0' }, referenceTime: REFERENCE },
      ),
    (e) => isAppError(e, 'CS_ERR_MODEL_INCOMPATIBLE'),
  );
});
