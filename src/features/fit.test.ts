import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureArtefacts, loadFeatureCorpus } from '../../test/fixtures/features/corpus.js';
import { isAppError } from '../core/index.js';
import { serializeFeatureArtefacts } from './artefacts.js';
import { featurize } from './featurize.js';
import { fitFeatureArtefacts } from './fit.js';
import { EMBEDDING_DIMENSIONS } from './spec.js';

const REFERENCE = Date.parse('2024-09-01T00:00:00Z');

test('fitting is deterministic: the same corpus, options and seed give byte-identical artefacts', () => {
  const a = serializeFeatureArtefacts(fixtureArtefacts({ seed: 3 }));
  const b = serializeFeatureArtefacts(fixtureArtefacts({ seed: 3 }));
  assert.equal(a, b);
});

test('another seed finds the same subspace: embeddings agree up to sign per component', () => {
  const corpus = loadFeatureCorpus();
  const a = fixtureArtefacts({ seed: 1, powerIterations: 8 });
  const b = fixtureArtefacts({ seed: 2, powerIterations: 8 });
  // The leading components are well separated on this corpus; compare the first five.
  for (let d = 0; d < 5; d++) {
    let dot = 0;
    for (let t = 0; t < a.vocabulary.length; t++) {
      dot +=
        a.embedding.projection[t * EMBEDDING_DIMENSIONS + d]! *
        b.embedding.projection[t * EMBEDDING_DIMENSIONS + d]!;
    }
    assert.ok(Math.abs(dot) > 0.99, `component ${d}: |cos| = ${Math.abs(dot)}`);
  }
  const va = featurize(corpus[0]!, { artefacts: a, referenceTime: REFERENCE });
  const vb = featurize(corpus[0]!, { artefacts: b, referenceTime: REFERENCE });
  for (let i = EMBEDDING_DIMENSIONS; i < 128; i++)
    assert.equal(va[i], vb[i], `non-embedding slot ${i} does not depend on the seed`);
});

test('vocabulary: words and bigrams, most frequent first, bounded by maxVocabulary and document frequency', () => {
  const corpus = loadFeatureCorpus();
  const full = fitFeatureArtefacts(corpus, { minDocumentFrequency: 1, maxDocumentFrequencyRatio: 1 });
  assert.ok(full.vocabulary.includes('remote attacker'), 'bigrams are terms');
  assert.ok(full.vocabulary.includes('vulnerability'));
  assert.ok(!full.vocabulary.includes('the'), 'stop words are dropped');
  assert.ok(!full.vocabulary.some((t) => /^\d/.test(t)), 'numbers are not terms');

  const small = fitFeatureArtefacts(corpus, {
    maxVocabulary: 100,
    minDocumentFrequency: 3,
    maxDocumentFrequencyRatio: 0.5,
  });
  assert.equal(small.vocabulary.length, 100);
  assert.equal(small.idf.length, 100);
  assert.equal(small.embedding.projection.length, 100 * EMBEDDING_DIMENSIONS);
  // idf is non-decreasing along the vocabulary (sorted by document frequency, descending).
  for (let i = 1; i < small.idf.length; i++) assert.ok(small.idf[i]! >= small.idf[i - 1]! - 1e-12);
  // Terms in more than half of the documents (boilerplate) are gone.
  const n = corpus.length;
  for (const term of small.vocabulary) {
    const df = corpus.filter((d) =>
      ` ${d.text.toLowerCase().replace(/[^a-z0-9_]+/g, ' ')} `.includes(` ${term} `),
    ).length;
    assert.ok(df <= n / 2 || term.includes(' '), `${term} in ${df} of ${n} documents`);
  }

  const unigrams = fitFeatureArtefacts(corpus, { ngramMax: 1, minDocumentFrequency: 1 });
  assert.ok(unigrams.vocabulary.every((t) => !t.includes(' ')));
});

test('a tiny corpus gives fewer components; the missing ones are zero slots', () => {
  const artefacts = fitFeatureArtefacts(
    [
      { text: 'remote code execution in the router' },
      { text: 'cross-site scripting in the plugin' },
      { text: 'router plugin' },
    ],
    { minDocumentFrequency: 1, maxDocumentFrequencyRatio: 1 },
  );
  assert.ok(artefacts.embedding.rank <= 3);
  const v = featurize({ text: 'remote code execution in a plugin' }, { artefacts, referenceTime: REFERENCE });
  for (let d = artefacts.embedding.rank; d < EMBEDDING_DIMENSIONS; d++) assert.equal(v[d], 0);
  assert.ok(v.slice(0, artefacts.embedding.rank).some((x) => x !== 0));
});

test('embedding slots have unit root-mean-square over the fitting corpus', () => {
  const corpus = loadFeatureCorpus();
  const artefacts = fixtureArtefacts();
  const sums = new Float64Array(EMBEDDING_DIMENSIONS);
  for (const doc of corpus) {
    const v = featurize(doc, { artefacts, referenceTime: REFERENCE });
    for (let d = 0; d < EMBEDDING_DIMENSIONS; d++) sums[d]! += v[d]! ** 2;
  }
  for (let d = 0; d < artefacts.embedding.rank; d++) {
    const rms = Math.sqrt(sums[d]! / corpus.length);
    assert.ok(Math.abs(rms - 1) < 1e-3, `slot ${d}: RMS ${rms}`);
  }
});

test('source table: documents per normalised source, explicit priors, default reputation', () => {
  const corpus = [
    { text: 'a b', source: 'VulDB' },
    { text: 'c d', source: ' vuldb ' },
    { text: 'e f', source: 'Wordfence' },
    { text: 'g h' },
  ];
  const a = fitFeatureArtefacts(corpus, {
    minDocumentFrequency: 1,
    sourcePriors: { wordfence: 0.8, 'CISA KEV': 0.95 },
    defaultReputation: 0.4,
  });
  assert.deepEqual(a.sources.priors.get('vuldb'), { reputation: 0.4, observations: 0, documents: 2 });
  assert.deepEqual(a.sources.priors.get('wordfence'), { reputation: 0.8, observations: 0, documents: 1 });
  assert.deepEqual(a.sources.priors.get('cisa kev'), { reputation: 0.95, observations: 0, documents: 0 });
  assert.equal(a.sources.maxDocuments, 2);
  assert.equal(a.sources.defaultReputation, 0.4);
});

test('bad corpora and options are refused with CS_ERR_VALIDATION', () => {
  const corpus = loadFeatureCorpus();
  const bad: [unknown, object][] = [
    [[], {}],
    [[{ text: 42 }], {}],
    [corpus, { maxVocabulary: 0 }],
    [corpus, { minDocumentFrequency: 1.5 }],
    [corpus, { maxDocumentFrequencyRatio: 0 }],
    [corpus, { ngramMax: 3 }],
    [corpus, { powerIterations: -1 }],
    [corpus, { sourcePriors: { vuldb: 1.5 } }],
    [corpus, { sourcePriors: { '  ': 0.5 } }],
    [corpus, { defaultReputation: -0.1 }],
  ];
  for (const [docs, options] of bad) {
    assert.throws(
      () => fitFeatureArtefacts(docs as never, options),
      (e) => isAppError(e, 'CS_ERR_VALIDATION'),
      JSON.stringify(options),
    );
  }
});
