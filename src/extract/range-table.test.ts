import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RangeTable } from './range-table.js';

describe('RangeTable', () => {
  it('answers overlapping and nested ranges at their bounds', () => {
    const t = RangeTable.build<number>([
      { lo: 0, hiExclusive: 100, id: 0 },
      { lo: 10, hiExclusive: 20, id: 1 },
      { lo: 15, hiExclusive: 30, id: 2 },
      { lo: 200, hiExclusive: 201, id: 1 },
    ]);
    assert.deepEqual(t.lookup(0), [0]);
    assert.deepEqual(t.lookup(9), [0]);
    assert.deepEqual(t.lookup(10), [0, 1]);
    assert.deepEqual(t.lookup(15), [0, 1, 2]);
    assert.deepEqual(t.lookup(20), [0, 2]);
    assert.deepEqual(t.lookup(99), [0]);
    assert.deepEqual(t.lookup(100), []);
    assert.deepEqual(t.lookup(200), [1]);
    assert.deepEqual(t.lookup(201), []);
    assert.deepEqual(t.lookup(-1), []);
  });

  it('works with bigints (IPv6)', () => {
    const t = RangeTable.build<bigint>([{ lo: 1n << 100n, hiExclusive: (1n << 100n) + 16n, id: 3 }]);
    assert.deepEqual(t.lookup((1n << 100n) + 15n), [3]);
    assert.deepEqual(t.lookup((1n << 100n) + 16n), []);
  });

  it('agrees with a brute-force scan (property)', () => {
    const range = fc
      .tuple(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 5 }),
      )
      .map(([lo, len, id]) => ({ lo, hiExclusive: lo + len, id }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), fc.integer({ min: -5, max: 250 }), (ranges, p) => {
        const expected = [
          ...new Set(ranges.filter((r) => r.lo <= p && p < r.hiExclusive).map((r) => r.id)),
        ].sort((a, b) => a - b);
        assert.deepEqual([...RangeTable.build(ranges).lookup(p)], expected);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
