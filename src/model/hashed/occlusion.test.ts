import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { HashedConfigV1 } from '../format/hashed-v1.js';
import { loadSeverityModel } from '../load-severity-model.js';
import { createRng } from '../rng.js';
import type { SeverityInput } from '../severity.js';
import { HashedSeverityModel } from './hashed-model.js';
import { allocateWeights, outputWidth } from './network.js';
import { leaveOneOutOcclusion, removeToken } from './occlusion.js';

const TEXTS: SeverityInput[] = [
  {
    text: 'A remote code execution vulnerability in Apache Log4j2 2.14.1 allows attackers to run arbitrary code via JNDI lookups (CVE-2021-44228).',
  },
  {
    text: 'SQL injection in the login form of Foo CMS 3.2 lets an unauthenticated user read the database.',
    source: 'VulDB',
  },
  {
    text: 'This issue was rated as critical. A buffer overflow in the parser, high severity, is fixed in 1.2.',
  },
  {
    text: 'Cross-site scripting  in   admin/settings.php via the "name" parameter; the issue is classified as problematic.',
  },
  { text: 'The the the repeated repeated words words and a word.' },
  { text: 'one' },
  { text: '' },
  { text: '!!! ---' },
];

function assertClose(
  actual: readonly number[],
  expected: readonly number[],
  tol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, what);
  for (let c = 0; c < actual.length; c++) {
    assert.ok(
      Math.abs(actual[c]! - expected[c]!) <= tol,
      `${what}: class ${c}: ${actual[c]} vs ${expected[c]}`,
    );
  }
}

/** Checks the incremental answer against plain re-prediction of the text with each token removed. */
function checkAgainstRePrediction(model: HashedSeverityModel, doc: SeverityInput, tol = 2e-5): void {
  const loo = leaveOneOutOcclusion(model, doc);
  assert.ok(loo !== undefined, `occlusion refused ${JSON.stringify(doc.text)}`);
  assertClose(loo.full, model.predict(doc).probabilities, 0, 'full');
  const window = doc.text.slice(0, loo.window);
  assert.equal(loo.without.length, loo.tokens.length);
  loo.tokens.forEach((t, i) => {
    assert.equal(window.slice(t.start, t.end), t.text, 'offsets point at the token');
    const expected = model.predict({ ...doc, text: removeToken(window, t.start, t.end) }).probabilities;
    assertClose(loo.without[i]!, expected, tol, `${JSON.stringify(doc.text.slice(0, 30))} without ${t.text}`);
  });
}

function randomModel(
  features: Partial<HashedConfigV1['features']>,
  network: Partial<HashedConfigV1['network']>,
  output: HashedConfigV1['output'],
  seed: number,
): HashedSeverityModel {
  const heads = network.heads ?? [5, 4, 2, 3, 2, 2, 3, 3, 3];
  const net = {
    dim: network.dim ?? outputWidth({ heads }),
    hidden: network.hidden ?? false,
    heads,
  };
  const config: HashedConfigV1 = {
    features: {
      buckets: 4096,
      wordNgrams: 2,
      charMin: 3,
      charMax: 5,
      charWeight: 1,
      metaTokens: true,
      metaWeight: 1,
      statedSeverity: true,
      sourceWords: false,
      numberShape: true,
      maxChars: 4000,
      ...features,
    },
    network: net,
    output,
    tensors: [],
  };
  const weights = allocateWeights({ ...net, buckets: config.features.buckets });
  const rng = createRng(seed);
  for (const a of [weights.embedding, weights.embeddingBias, weights.dense, weights.denseBias]) {
    for (let i = 0; i < a.length; i++) a[i] = (rng.next() - 0.5) * 4;
  }
  return new HashedSeverityModel(
    config,
    weights,
    { temperature: 1.3, offsets: [0.1, -0.2, 0, 0.3, -0.1] },
    {
      family: 'hashed-ngram',
      version: `random-${seed}`,
    },
  );
}

test('leave-one-out occlusion equals re-predicting the text without each token (random models, several settings)', () => {
  const settings: [
    Partial<HashedConfigV1['features']>,
    Partial<HashedConfigV1['network']>,
    HashedConfigV1['output'],
  ][] = [
    [{}, {}, { mode: 'mix', mixWeight: 0.5 }],
    [
      { wordNgrams: 3, sourceWords: true, charWeight: 0.4 },
      { hidden: true, dim: 16 },
      { mode: 'cvss', mixWeight: 0 },
    ],
    [
      { wordNgrams: 1, charMax: 0, numberShape: false, metaWeight: 0.5 },
      { heads: [5], dim: 5 },
      { mode: 'direct', mixWeight: 1 },
    ],
    [
      { buckets: 1024, statedSeverity: false, metaTokens: false },
      { hidden: true, dim: 8, heads: [5] },
      { mode: 'direct', mixWeight: 1 },
    ],
  ];
  settings.forEach(([f, n, o], i) => {
    const model = randomModel(f, n, o, 7 + i);
    for (const doc of TEXTS) checkAgainstRePrediction(model, doc);
  });
});

test('tokens near stated-severity phrases are re-predicted; the rest incrementally', () => {
  const model = randomModel({}, {}, { mode: 'mix', mixWeight: 0.5 }, 3);
  const plain = leaveOneOutOcclusion(model, {
    text: 'A buffer overflow in the parser allows code execution.',
  });
  assert.equal(plain?.fullPredictions, 0);
  const stated = leaveOneOutOcclusion(model, {
    text: 'A buffer overflow in the parser allows code execution and was rated as very critical by the vendor.',
  });
  assert.ok(
    stated !== undefined && stated.fullPredictions > 0 && stated.fullPredictions < stated.tokens.length,
  );
});

test('a text longer than the model window is occluded within the window', () => {
  const model = randomModel({ maxChars: 64 }, {}, { mode: 'mix', mixWeight: 0.5 }, 11);
  const doc = {
    text: 'word '.repeat(10) + 'overflow in the kernel driver allows privilege escalation to root users',
  };
  const loo = leaveOneOutOcclusion(model, doc);
  assert.ok(loo !== undefined);
  assert.equal(loo.window, 64);
  assert.ok(loo.tokens.every((t) => t.end <= 64));
  checkAgainstRePrediction(model, doc);
});

test("given probabilities that are not the model's answer, occlusion refuses (the guard)", () => {
  const model = randomModel({}, {}, { mode: 'mix', mixWeight: 0.5 }, 13);
  const doc = { text: 'A remote heap overflow in the parser.' };
  const p = model.predict(doc).probabilities;
  assert.ok(leaveOneOutOcclusion(model, doc, p) !== undefined);
  assert.equal(leaveOneOutOcclusion(model, doc, [0.2, 0.2, 0.2, 0.2, 0.2]), undefined);
});

test('a text whose lower-case form has another length is refused (offsets would not point into it)', () => {
  const model = randomModel({}, {}, { mode: 'mix', mixWeight: 0.5 }, 5);
  assert.equal(leaveOneOutOcclusion(model, { text: 'İstanbul office server compromised' }), undefined);
});

test('removeToken drops the token and the whitespace after it when whitespace precedes it', () => {
  assert.equal(removeToken('foo bar baz', 4, 7), 'foo baz');
  assert.equal(removeToken('foo bar', 0, 3), 'bar');
  assert.equal(removeToken('foo (bar) baz', 5, 8), 'foo () baz');
  assert.equal(removeToken('foo bar', 4, 7), 'foo ');
});

const SHIPPED = fileURLToPath(new URL('../../../models/severity/', import.meta.url));

test('the shipped severity model: occlusion equals re-prediction', {
  skip: !existsSync(`${SHIPPED}manifest.json`),
}, async () => {
  const model = await loadSeverityModel(SHIPPED);
  if (!(model instanceof HashedSeverityModel)) return; // another family ships: nothing to check here
  for (const doc of TEXTS) checkAgainstRePrediction(model, doc);
});
