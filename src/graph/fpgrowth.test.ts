import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { associationRules, fpGrowth } from './fpgrowth.js';

/** Every itemset with its count, by enumerating subsets of every transaction (small inputs only). */
function bruteForce(transactions: string[][], minCount: number, maxLength: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of transactions) {
    const items = [...new Set(t)].sort();
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const subset = items.filter((_, i) => mask & (1 << i));
      if (subset.length > maxLength) continue;
      const key = subset.join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return new Map([...counts].filter(([, c]) => c >= minCount));
}

test('FP-Growth finds the textbook example (Han et al. 2000, minimum count 3)', () => {
  const t = ['facdgimp', 'abcflmo', 'bfhjo', 'bcksp', 'afcelpmn'].map((s) => s.split(''));
  const found = fpGrowth(t, { minCount: 3 });
  const got = new Map(found.map((s) => [s.items.join(''), s.count]));
  const expected = {
    f: 4,
    c: 4,
    a: 3,
    b: 3,
    m: 3,
    p: 3,
    cf: 3,
    af: 3,
    ac: 3,
    fm: 3,
    cm: 3,
    am: 3,
    cp: 3,
    acf: 3,
    cfm: 3,
    afm: 3,
    acm: 3,
    acfm: 3,
  };
  assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries(Object.entries(expected).sort()));
  assert.equal(found[0]?.support, 4 / 5);
});

test('FP-Growth equals brute-force enumeration on random transactions (fixed seed)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 6 }), {
        minLength: 1,
        maxLength: 30,
      }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 4 }),
      (transactions, minCount, maxLength) => {
        const got = new Map(
          fpGrowth(transactions, { minCount, maxLength }).map((s) => [s.items.join(','), s.count]),
        );
        assert.deepEqual(
          Object.fromEntries([...got].sort()),
          Object.fromEntries([...bruteForce(transactions, minCount, maxLength)].sort()),
        );
      },
    ),
    { seed: 20260101, numRuns: 200 },
  );
});

test('association rules carry support, confidence and lift, filtered by thresholds', () => {
  // T1 and T2 always together; T3 with T1 half the time; T4 everywhere (no lift).
  const t = [
    ['T1', 'T2', 'T3', 'T4'],
    ['T1', 'T2', 'T4'],
    ['T1', 'T2', 'T3', 'T4'],
    ['T1', 'T2', 'T4'],
    ['T5', 'T4'],
  ];
  const sets = fpGrowth(t, { minCount: 2 });
  const rules = associationRules(sets, t.length, { minConfidence: 0.5, minLift: 1.01, maxAntecedent: 1 });
  const r = rules.find((x) => x.antecedent.join() === 'T1' && x.consequent === 'T2');
  assert.ok(r);
  assert.equal(r.confidence, 1);
  assert.ok(Math.abs(r.lift - 1 / 0.8) < 1e-12);
  assert.equal(r.support, 0.8);
  assert.ok(
    !rules.some((x) => x.consequent === 'T4'),
    'an item in every transaction has lift 1 and is dropped',
  );
  const t3 = rules.find((x) => x.antecedent.join() === 'T3' && x.consequent === 'T1');
  assert.equal(t3?.confidence, 1);
  assert.ok(rules.every((x) => x.antecedent.length === 1));
  assert.deepEqual(fpGrowth([], { minCount: 1 }), []);
});
