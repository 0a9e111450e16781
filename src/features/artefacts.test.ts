import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureArtefacts, loadFeatureCorpus } from '../../test/fixtures/features/corpus.js';
import { type ErrorCode, isAppError } from '../core/index.js';
import {
  FEATURES_FILE,
  parseFeatureArtefacts,
  serializeFeatureArtefacts,
  toFeatureArtefactsFile,
  withSourcePriors,
} from './artefacts.js';
import { featurize } from './featurize.js';

const REFERENCE = Date.parse('2024-09-01T00:00:00Z');

test('serialize -> parse -> serialize is the identity, and parsed artefacts give identical vectors', () => {
  const fitted = fixtureArtefacts();
  const text = serializeFeatureArtefacts(fitted);
  const parsed = parseFeatureArtefacts(text);
  assert.equal(serializeFeatureArtefacts(parsed), text);
  assert.equal(FEATURES_FILE, 'features.json');
  for (const doc of loadFeatureCorpus()) {
    const a = featurize(
      { ...doc, published: '2024-08-20T08:00:00Z' },
      { artefacts: fitted, referenceTime: REFERENCE },
    );
    const b = featurize(
      { ...doc, published: '2024-08-20T08:00:00Z' },
      { artefacts: parsed, referenceTime: REFERENCE },
    );
    assert.deepEqual(Array.from(b), Array.from(a));
  }
});

test('the file records format, versions, fit settings and source priors', () => {
  const file = toFeatureArtefactsFile(fixtureArtefacts({ seed: 9 }));
  assert.equal(file.format, 'cyberstreams-features');
  assert.equal(file.formatVersion, 1);
  assert.equal(file.featureSpecVersion, '1');
  assert.equal(file.fit.seed, 9);
  assert.equal(file.fit.documents, 52);
  assert.equal(file.embedding.dimensions, 50);
  assert.equal(file.vocabulary.length, file.idf.length);
  assert.equal(file.sources.priors['vendor-a']?.documents, 4);
});

/** The artefacts JSON as a loosely typed object, so tests can break any field. */
// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary fields of the JSON on purpose.
type LooseJson = Record<string, any>;

/** Serialized fixture artefacts, changed by `edit`, then parsed: must fail with `code` and a message matching `message`. */
function assertRefused(edit: (file: LooseJson) => void, code: ErrorCode, message: RegExp): void {
  const file = JSON.parse(serializeFeatureArtefacts(fixtureArtefacts())) as LooseJson;
  edit(file);
  assert.throws(
    () => parseFeatureArtefacts(JSON.stringify(file), 'models/x/features.json'),
    (e) => isAppError(e, code) && message.test(e.message) && e.message.includes('models/x/features.json'),
  );
}

test('a bad file is refused with CS_ERR_ARTEFACT_INVALID naming the problem', () => {
  assert.throws(
    () => parseFeatureArtefacts('{not json', 'f.json'),
    (e) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID') && /not valid JSON/.test(e.message),
  );
  assert.throws(
    () => parseFeatureArtefacts('{"formatVersion": 1, "classes": []}', 'manifest.json'),
    (e) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID') && /not a feature artefacts file/.test(e.message),
  );
  assertRefused((f) => delete f.idf, 'CS_ERR_ARTEFACT_INVALID', /idf/);
  assertRefused(
    (f) => f.idf.pop(),
    'CS_ERR_ARTEFACT_INVALID',
    /idf has \d+ entries for \d+ vocabulary terms/,
  );
  assertRefused((f) => f.idf.splice(0, 1, -1), 'CS_ERR_ARTEFACT_INVALID', /idf/);
  assertRefused(
    (f) => f.vocabulary.splice(1, 1, f.vocabulary[0]),
    'CS_ERR_ARTEFACT_INVALID',
    /appears twice/,
  );
  assertRefused((f) => (f.fit.ngramMax = 1), 'CS_ERR_ARTEFACT_INVALID', /bigrams/);
  assertRefused(
    (f) => (f.embedding.projection.data = f.embedding.projection.data.slice(0, 400)),
    'CS_ERR_ARTEFACT_INVALID',
    /projection holds/,
  );
  assertRefused((f) => (f.embedding.projection.data = '!!!'), 'CS_ERR_ARTEFACT_INVALID', /projection/);
  assertRefused((f) => (f.embedding.rank = 3), 'CS_ERR_ARTEFACT_INVALID', /singular values for rank/);
  assertRefused((f) => (f.embedding.scale = [1, 2]), 'CS_ERR_ARTEFACT_INVALID', /scale/);
  assertRefused(
    (f) => (f.sources.priors.x = { reputation: 2, observations: 0, documents: 0 }),
    'CS_ERR_ARTEFACT_INVALID',
    /reputation|priors/,
  );
  assertRefused((f) => (f.sources.maxDocuments = 99), 'CS_ERR_ARTEFACT_INVALID', /maxDocuments/);
  assertRefused((f) => (f.extra = true), 'CS_ERR_ARTEFACT_INVALID', /extra|propert/i);
});

test('a projection entry outside [-1, 1] or non-finite is refused', () => {
  const fitted = fixtureArtefacts();
  const file = toFeatureArtefactsFile(fitted);
  const bytes = Buffer.from(file.embedding.projection.data, 'base64');
  bytes.writeFloatLE(Number.NaN, 8);
  file.embedding.projection.data = bytes.toString('base64');
  assert.throws(
    () => parseFeatureArtefacts(JSON.stringify(file)),
    (e) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID') && /entry 2 is NaN/.test(e.message),
  );
});

test('another format or feature-spec version is refused with CS_ERR_MODEL_INCOMPATIBLE', () => {
  assertRefused(
    (f) => (f.formatVersion = 2),
    'CS_ERR_MODEL_INCOMPATIBLE',
    /format version 2 is not supported/,
  );
  assertRefused((f) => (f.featureSpecVersion = '0'), 'CS_ERR_MODEL_INCOMPATIBLE', /spec 0.*refit/);
});

test('withSourcePriors replaces priors by normalised name and leaves the original untouched', () => {
  const fitted = fixtureArtefacts();
  const updated = withSourcePriors(
    fitted,
    new Map([[' Vendor-A ', { reputation: 0.2, observations: 5, documents: 4 }]]),
  );
  assert.equal(updated.sources.priors.get('vendor-a')?.reputation, 0.2);
  assert.equal(fitted.sources.priors.get('vendor-a')?.reputation, 0.5);
  const v = featurize({ text: 'x', source: 'VENDOR-A' }, { artefacts: updated, referenceTime: REFERENCE });
  assert.ok(Math.abs(v[50]! - 0.2) < 1e-7);
  assert.equal(
    parseFeatureArtefacts(serializeFeatureArtefacts(updated)).sources.priors.get('vendor-a')?.observations,
    5,
  );
  assert.throws(
    () => withSourcePriors(fitted, new Map([['x', { reputation: 1.5, observations: 0, documents: 0 }]])),
    (e) => isAppError(e, 'CS_ERR_VALIDATION'),
  );
});
