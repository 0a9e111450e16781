import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../core/index.js';
import type { HashedFeatureConfigV1 } from '../format/hashed-v1.js';
import { createRng } from '../rng.js';
import type { SeverityInput } from '../severity.js';
import { combineHash, fnv1a } from './hash.js';
import {
  hashedFeatures,
  SEED,
  type SparseVector,
  STATED_RE,
  sortedBuckets,
  WORD_RE,
} from './text-features.js';

/**
 * The first implementation of the representation (a `Map` of bucket sums, each
 * character n-gram hashed from scratch), kept as the reference the faster one
 * must match bit for bit: trained models depend on the exact values.
 */
function referenceFeatures(doc: SeverityInput, cfg: HashedFeatureConfigV1): SparseVector {
  const mask = cfg.buckets - 1;
  const acc = new Map<number, number>();
  const add = (h: number, w: number) => {
    const i = h & mask;
    acc.set(i, (acc.get(i) ?? 0) + w);
  };
  const text = doc.text.length > cfg.maxChars ? doc.text.slice(0, cfg.maxChars) : doc.text;
  const toks: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD_RE))
    toks.push(cfg.numberShape ? m[0].replace(/\d+/g, '0') : m[0]);
  const source = doc.source?.trim().toLowerCase();
  const sourceHash = cfg.sourceWords && source ? fnv1a(source, 0, source.length, SEED.sourceWord) : 0;
  let prev1 = 0;
  let prev2 = 0;
  for (let t = 0; t < toks.length; t++) {
    const tok = toks[t] as string;
    const h = fnv1a(tok, 0, tok.length, SEED.word);
    add(h, 1);
    if (cfg.wordNgrams >= 2 && t >= 1) add(combineHash(prev1, h) ^ SEED.bigram, 1);
    if (cfg.wordNgrams >= 3 && t >= 2) add(combineHash(combineHash(prev2, prev1), h) ^ SEED.trigram, 1);
    if (sourceHash !== 0) add(combineHash(sourceHash, h), 1);
    prev2 = prev1;
    prev1 = h;
    if (cfg.charMax >= cfg.charMin && cfg.charWeight > 0) {
      const padded = `<${tok}>`;
      for (let n = cfg.charMin; n <= cfg.charMax; n++) {
        for (let s = 0; s + n <= padded.length; s++) {
          if (n === padded.length) continue;
          add(fnv1a(padded, s, s + n, SEED.char), cfg.charWeight);
        }
      }
    }
  }
  if (cfg.metaTokens) {
    const meta = [`source:${source ?? '?'}`];
    const cwes = doc.cwes ?? [];
    if (cwes.length === 0) meta.push('cwe:none');
    for (const c of cwes) meta.push(`cwe:${c.toUpperCase()}`);
    for (const m of meta) add(fnv1a(m, 0, m.length, SEED.meta), cfg.metaWeight);
  }
  if (cfg.statedSeverity) {
    for (const m of text.matchAll(STATED_RE)) {
      const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
      const tok = `stated:${word}`;
      add(fnv1a(tok, 0, tok.length, SEED.meta), Math.max(cfg.metaWeight, 1));
    }
  }
  const idx = Int32Array.from(acc.keys()).sort();
  const val = new Float32Array(idx.length);
  let norm = 0;
  for (let k = 0; k < idx.length; k++) {
    const tf = acc.get(idx[k] as number) as number;
    const v = tf <= 1 ? tf : 1 + Math.log(tf);
    val[k] = v;
    norm += v * v;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < val.length; k++) val[k] = (val[k] as number) * inv;
  return { idx, val };
}

const BASE: HashedFeatureConfigV1 = {
  buckets: 2 ** 16,
  wordNgrams: 2,
  charMin: 3,
  charMax: 4,
  charWeight: 1,
  metaTokens: true,
  metaWeight: 1,
  statedSeverity: true,
  sourceWords: true,
  numberShape: true,
  maxChars: 4000,
};

const WORDS = [
  'buffer',
  'overflow',
  'in',
  'the',
  'SQL',
  'injection',
  'remote',
  'attacker',
  'CVE-2024-1234',
  'v1.2.3',
  "user's",
  'x',
  'ab',
  'über',
  'naïve',
  '漏洞',
  'a_b-c',
  '0day',
  'critical',
  'severity',
  'rated',
  'as',
  'high',
  'high-severity',
  'allows',
  'execute',
  'arbitrary',
  'code',
  'via',
  'crafted',
];

function randomDoc(rng: ReturnType<typeof createRng>): SeverityInput {
  const n = rng.int(80);
  const words = Array.from({ length: n }, () => WORDS[rng.int(WORDS.length)] as string);
  const doc: SeverityInput = { text: words.join(rng.int(3) === 0 ? ', ' : ' ') };
  if (rng.int(2) === 0) doc.source = [' RedHat ', 'VulDB', 'mitre', ''][rng.int(4)] as string;
  if (rng.int(2) === 0) doc.cwes = ['CWE-79', 'cwe-89'].slice(0, rng.int(3));
  return doc;
}

test('hashedFeatures equals the reference implementation bit for bit, across settings', () => {
  const rng = createRng(11);
  const configs: HashedFeatureConfigV1[] = [
    BASE,
    { ...BASE, buckets: 2 ** 10, charMax: 5, sourceWords: false },
    { ...BASE, buckets: 2 ** 18, wordNgrams: 3, charMin: 1, charMax: 8, charWeight: 0.3, metaWeight: 0 },
    { ...BASE, wordNgrams: 1, charMax: 0, numberShape: false, statedSeverity: false, metaTokens: false },
    { ...BASE, charWeight: 0, maxChars: 40, metaWeight: 2.5 },
  ];
  for (const cfg of configs) {
    for (let i = 0; i < 150; i++) {
      const doc = randomDoc(rng);
      const got = hashedFeatures(doc, cfg);
      const want = referenceFeatures(doc, cfg);
      assert.deepEqual(Array.from(got.idx), Array.from(want.idx), JSON.stringify({ doc, cfg }));
      assert.deepEqual(Array.from(got.val), Array.from(want.val), JSON.stringify({ doc, cfg }));
    }
  }
});

test('hashedFeatures is repeatable (no state carried between calls) and handles an empty text', () => {
  const doc = { text: 'Heap overflow in libfoo allows remote code execution', source: 'redhat' };
  const a = hashedFeatures(doc, BASE);
  hashedFeatures({ text: 'something else entirely with other words' }, BASE);
  const b = hashedFeatures(doc, BASE);
  assert.deepEqual(Array.from(a.idx), Array.from(b.idx));
  assert.deepEqual(Array.from(a.val), Array.from(b.val));
  const empty = hashedFeatures({ text: '' }, { ...BASE, metaTokens: false });
  assert.equal(empty.idx.length, 0);
});

test('sortedBuckets equals the built-in sort of the distinct buckets, for 8, 16 and 20 bits', () => {
  const random = mulberry32(11);
  for (const bits of [8, 16, 20]) {
    for (const n of [0, 1, 63, 64, 65, 200, 256]) {
      if (n > 2 ** bits) continue;
      const seen = new Set<number>();
      while (seen.size < n) seen.add(Math.floor(random() * 2 ** bits));
      const keys = new Int32Array(n + 5);
      keys.set([...seen]);
      keys.fill(-1, n); // beyond n: must be ignored
      assert.deepEqual(
        [...sortedBuckets(keys, n, bits)],
        [...keys.slice(0, n)].sort((a, b) => a - b),
        `${bits}/${n}`,
      );
    }
  }
});
