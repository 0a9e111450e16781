import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../core/index.js';
import { collectTechniqueSets, minePatterns, suggestTechniques } from './patterns.js';
import type { GraphBatch } from './schema.js';
import { openSqliteGraph } from './sqlite-graph.js';

/** Six actors: T1566 and T1204 always together, T1059.001 with them in four, T1486 alone in two. */
function batch(): GraphBatch {
  const sets: Record<string, string[]> = {
    a1: ['T1566.001', 'T1204.002', 'T1059.001'],
    a2: ['T1566.002', 'T1204', 'T1059.001'],
    a3: ['T1566', 'T1204', 'T1059.003'],
    a4: ['T1566', 'T1204', 'T1059'],
    a5: ['T1486', 'T1490'],
    a6: ['T1486'],
  };
  const techniques = [...new Set(Object.values(sets).flat())];
  return {
    nodes: [
      ...Object.keys(sets).map((a) => ({ id: `actor:${a}`, type: 'Actor' as const, name: a, source: 't' })),
      ...techniques.map((t) => ({
        id: `technique:${t}`,
        type: 'Technique' as const,
        name: `Name of ${t}`,
        source: 't',
      })),
    ],
    edges: Object.entries(sets).flatMap(([a, ts]) =>
      ts.map((t) => ({
        src: `actor:${a}`,
        type: 'USES' as const,
        dst: `technique:${t}`,
        source: 't',
        confidence: 1,
      })),
    ),
  };
}

test('technique sets roll sub-techniques up to their parents and patterns are mined and stored', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  await g.apply(batch());
  const sets = await collectTechniqueSets(g, ['actors']);
  assert.deepEqual(sets.find((s) => s.id === 'actor:a1')?.techniques, ['T1059', 'T1204', 'T1566']);
  const r = await minePatterns(g, {
    minSupport: 0.3,
    minConfidence: 0.6,
    minLift: 1.1,
    clock: fixedClock(Date.UTC(2026, 0, 2)),
  });
  assert.equal(r.transactions, 6);
  assert.equal(r.minedAt, '2026-01-02T00:00:00.000Z');
  const info = await g.patternInfo();
  assert.equal(info?.itemsets, r.itemsets);
  assert.ok(r.rules > 0);
  const suggestions = await suggestTechniques(g, ['T1566.001']);
  assert.deepEqual(
    suggestions.map((s) => [s.id, s.name, s.confidence, s.because]),
    [
      ['T1059', 'Name of T1059', 1, ['T1566']],
      ['T1204', 'Name of T1204', 1, ['T1566']],
    ],
  );
  assert.ok(Math.abs((suggestions[0]?.lift ?? 0) - 1 / (4 / 6)) < 1e-9);
  assert.deepEqual(
    (await suggestTechniques(g, ['T1566', 'T1204', 'T1059'])).length,
    0,
    'nothing left to suggest',
  );
  assert.deepEqual(await suggestTechniques(g, ['not-an-id']), []);
  for (const bad of [{ minSupport: 0 }, { minConfidence: 2 }, { maxLength: 9 }]) {
    await assert.rejects(minePatterns(g, bad), { code: 'CS_ERR_VALIDATION' });
  }
  await g.close();
});

test('exact granularity keeps sub-techniques, and no stored patterns means no suggestions', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  await g.apply(batch());
  assert.deepEqual(await suggestTechniques(g, ['T1566']), []);
  await minePatterns(g, { minSupport: 0.3, minConfidence: 0.5, minLift: 1, granularity: 'exact' });
  const s = await suggestTechniques(g, ['T1486']);
  assert.deepEqual(
    s.map((x) => x.id),
    [],
  );
  const s2 = await suggestTechniques(g, ['T1204']);
  assert.ok(s2.some((x) => x.id === 'T1566'));
  await g.close();
});
