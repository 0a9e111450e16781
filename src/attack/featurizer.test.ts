import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureSentences } from '../../test/fixtures/attack/fixture-data.js';
import { type FeaturizerConfig, fitIdf, HashingFeaturizer, type SparseVector } from './featurizer.js';
import { FNV_OFFSET, fnvStep, hashString, mix32 } from './hashing.js';
import { createRng } from './rng.js';
import { decodeWeights, encodeWeights, quantizedLogits, sparseRows } from './weights-file.js';

/**
 * The featuriser as first written (regex tokens, token strings, Maps), kept here as the
 * reference: the allocation-free featuriser must give the same vectors bit for bit,
 * because shipped models were trained on these features.
 */
function referenceTransform(config: FeaturizerConfig, text: string, idf: Float32Array | null): SparseVector {
  const mask = config.dim - 1;
  const word = new Map<number, number>();
  const char = new Map<number, number>();
  const add = (m: Map<number, number>, b: number) => m.set(b, (m.get(b) ?? 0) + 1);
  const lower = text.toLowerCase();
  const tokens: string[] = [];
  for (const m of lower.matchAll(/[\p{L}\p{N}_]+/gu))
    tokens.push(config.foldDigits ? m[0].replace(/\d+/g, '0') : m[0]);
  const hashes = tokens.map((w) => hashString(w, 0x9e3779b1));
  for (let i = 0; i < hashes.length; i++) {
    add(word, (hashes[i] as number) & mask);
    let h = hashes[i] as number;
    for (let n = 2; n <= config.wordNgramMax && i + n - 1 < hashes.length; n++) {
      h = mix32((Math.imul(h, 0x01000193) ^ (hashes[i + n - 1] as number) ^ 0x7f4a7c15) >>> 0);
      add(word, h & mask);
    }
  }
  if (config.charNgramMin > 0) {
    for (const m of lower.matchAll(/\S+/g)) {
      const padded = ` ${m[0]} `;
      for (let p = 0; p < padded.length; p++) {
        let h = (FNV_OFFSET ^ 0x2545f491) >>> 0;
        for (let n = 1; n <= config.charNgramMax && p + n <= padded.length; n++) {
          h = fnvStep(h, padded.charCodeAt(p + n - 1));
          if (n >= config.charNgramMin) add(char, mix32(h ^ n) & mask);
        }
      }
    }
  }
  const block = (counts: Map<number, number>, weight: number): Map<number, number> => {
    const stored = new Map<number, number>();
    let norm = 0;
    for (const [b, c] of counts) {
      const v = (1 + Math.log(c)) * (idf === null ? 1 : (idf[b] as number));
      stored.set(b, Math.fround(v));
      norm += v * v;
    }
    const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    const out = new Map<number, number>();
    for (const [b, v] of stored) out.set(b, v * scale);
    return out;
  };
  const all = block(word, 1);
  for (const [b, v] of block(char, config.charWeight)) all.set(b, (all.get(b) ?? 0) + v);
  return { indices: Uint32Array.from(all.keys()), values: Float32Array.from(all.values()) };
}

const EDGE_CASES = [
  '',
  '   \t  ',
  'cmd.exe /c whoami && net user /domain',
  'Connects to 192.168.10.1:8080 and 10.0.0.255 over HTTPS 443; v2.0.17 (2023-10-01).',
  'İstanbul STRASSE Straße ǅemal ΣΊΣΥΦΟΣ',
  'Math letters 𝐀𝐁𝐂 and emoji 😀 next to words😀like this',
  'lone \ud800 high and \udc00 low surrogates\ud83d',
  'non\u00a0breaking\u2003em\u3000ideographic\ufeffbom\u200bzero-width\u2028line',
  'Arabic-Indic ٣٤٥ digits, superscript x² and fullwidth １２３ numbers',
  'snake_case_name __init__ _ 1_000_000 0x41414141',
  'A'.repeat(300),
  'T1059.001 PowerShell -enc SQBFAFgA; rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication"',
];

function randomTexts(n: number): string[] {
  const rng = createRng(1234);
  const alphabet = [
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    ...' \t\n.,;:/\\-_()"\'',
    '\u00a0',
    'é',
    'ß',
    'İ',
    '٣',
    '²',
    '\u2009',
    '😀',
    '𝐀',
    '\ud800',
  ];
  return Array.from({ length: n }, () =>
    Array.from({ length: rng.int(120) }, () => alphabet[rng.int(alphabet.length)] as string).join(''),
  );
}

function corpus(): string[] {
  const data = fixtureSentences();
  const fixture = [
    ...Object.values(data.techniques).flatMap((t) => [...t.train, ...t.test]),
    ...data.negatives.train,
    ...data.negatives.test,
  ];
  return [...EDGE_CASES, ...fixture, ...randomTexts(400)];
}

const CONFIGS: FeaturizerConfig[] = [
  { dim: 2 ** 16, wordNgramMax: 2, charNgramMin: 3, charNgramMax: 5, charWeight: 1, foldDigits: true },
  { dim: 2 ** 10, wordNgramMax: 3, charNgramMin: 2, charNgramMax: 4, charWeight: 0.5, foldDigits: false },
  { dim: 2 ** 8, wordNgramMax: 1, charNgramMin: 0, charNgramMax: 0, charWeight: 1, foldDigits: true },
];

test('transform gives the reference vectors bit for bit (with and without idf)', () => {
  const texts = corpus();
  for (const config of CONFIGS) {
    const f = new HashingFeaturizer(config);
    const idf = fitIdf(f, texts);
    for (const text of texts) {
      for (const table of [null, idf]) {
        const got = f.transform(text, table);
        const want = referenceTransform(config, text, table);
        assert.deepEqual(got.indices, want.indices, `indices of ${JSON.stringify(text)}`);
        assert.deepEqual(got.values, want.values, `values of ${JSON.stringify(text)}`);
      }
    }
  }
});

test('logits equal quantizedLogits of transform bit for bit, and leave no state behind', () => {
  const texts = corpus();
  const config = CONFIGS[1] as FeaturizerConfig;
  const f = new HashingFeaturizer(config);
  const idf = fitIdf(f, texts);
  const outputs = 7;
  const rng = createRng(99);
  // Random weights, half of them zero, with some all-zero rows so that buckets without a stored row occur.
  const weights = Float32Array.from({ length: config.dim * outputs }, (_, i) =>
    Math.floor(i / outputs) % 3 === 0 || rng.next() < 0.5 ? 0 : rng.next() * 2 - 1,
  );
  const bias = Float32Array.from({ length: outputs }, () => rng.next() - 0.5);
  const model = decodeWeights(
    encodeWeights({ output: 'softmax', dim: config.dim, outputs, weights, bias }, idf),
  );
  assert.ok(
    model.rowOf.some((r) => r < 0),
    'some buckets have no stored row',
  );
  const out = new Float32Array(outputs);
  const rows = sparseRows(model);
  assert.ok(rows.entries.length < model.weights.length, 'zero weights are left out');
  for (const text of texts) {
    const want = quantizedLogits(model, f.transform(text, model.idf));
    assert.deepEqual(f.logits(text, model, rows, out), want, JSON.stringify(text));
  }
  // Interleaving calls does not change results: the scratch is cleared after each text.
  const first = Float32Array.from(f.logits(texts[3] as string, model, rows, out));
  f.transform(texts[4] as string, model.idf);
  assert.deepEqual(f.logits(texts[3] as string, model, rows, out), first);
});
