import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SubstringMatcher } from './substring-matcher.js';

const found = (m: SubstringMatcher, text: string): number[] => {
  const out = new Set<number>();
  m.forEachMatch(text, (p) => out.add(p));
  return [...out].sort((a, b) => a - b);
};

describe('SubstringMatcher', () => {
  it('finds overlapping and nested patterns', () => {
    const m = new SubstringMatcher([
      ['he', 0],
      ['she', 1],
      ['his', 2],
      ['hers', 3],
      ['', 4],
    ]);
    assert.deepEqual(found(m, 'ushers'), [0, 1, 3]);
    assert.deepEqual(found(m, 'this'), [2]);
    assert.deepEqual(found(m, 'xyz'), []);
  });

  it('agrees with String.includes (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { maxLength: 12 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 30 }),
        (patterns, text) => {
          const m = new SubstringMatcher(patterns.map((p, i) => [p, i] as const));
          const expected = patterns.flatMap((p, i) => (text.includes(p) ? [i] : []));
          assert.deepEqual(found(m, text), expected);
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });
});
