import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../core/index.js';
import {
  DEFAULT_REPUTATION_FLOOR,
  DEFAULT_REPUTATION_RATE,
  DEFAULT_SOURCE_REPUTATION,
  type SourcePrior,
  type SourceTable,
  sourceKey,
  updateSourceReputation,
  writeSource,
} from './source.js';

const table: SourceTable = {
  defaultReputation: DEFAULT_SOURCE_REPUTATION,
  maxDocuments: 100,
  priors: new Map<string, SourcePrior>([
    ['vuldb', { reputation: 0.7, observations: 20, documents: 100 }],
    ['tiny cna', { reputation: 0.3, observations: 0, documents: 1 }],
  ]),
};

function source(name: string | undefined): number[] {
  const out = new Float32Array(5);
  writeSource(name, table, out, 0);
  return Array.from(out);
}

test('a known source gets its reputation, volume and confidence', () => {
  const [reputation, known, present, volume, confidence] = source('VulDB');
  assert.ok(Math.abs(reputation! - 0.7) < 1e-7);
  assert.equal(known, 1);
  assert.equal(present, 1);
  assert.equal(volume, 1);
  assert.equal(confidence, 0.5);
  const tiny = source('  Tiny   CNA ');
  assert.ok(Math.abs(tiny[3]! - Math.log1p(1) / Math.log1p(100)) < 1e-7);
  assert.equal(tiny[4], 0);
});

test('unknown and missing sources get the documented default', () => {
  assert.deepEqual(source('some new feed'), [DEFAULT_SOURCE_REPUTATION, 0, 1, 0, 0]);
  assert.deepEqual(source(undefined), [DEFAULT_SOURCE_REPUTATION, 0, 0, 0, 0]);
  assert.deepEqual(source('   '), [DEFAULT_SOURCE_REPUTATION, 0, 0, 0, 0]);
  assert.equal(DEFAULT_SOURCE_REPUTATION, 0.5);
});

test('sourceKey normalises case, white space and Unicode compatibility forms', () => {
  assert.equal(sourceKey('  GitHub_M '), 'github_m');
  assert.equal(sourceKey('CISA\tKEV'), 'cisa kev');
  assert.equal(sourceKey('ＶｕｌＤＢ'), 'vuldb');
  assert.equal(sourceKey(''), undefined);
  assert.equal(sourceKey('x'.repeat(500))?.length, 200);
});

test('updateSourceReputation: corrections move towards the floor, confirmations towards 1', () => {
  const prior = { reputation: 0.5, observations: 0, documents: 10 };
  const down = updateSourceReputation(prior, true, 0.1, 0.1);
  assert.ok(Math.abs(down.reputation - (0.5 - 0.1 * (0.5 - 0.1))) < 1e-12);
  assert.equal(down.observations, 1);
  assert.equal(down.documents, 10);
  assert.equal(prior.reputation, 0.5, 'pure: the prior is not changed');
  const up = updateSourceReputation(prior, false, 0.1, 0.1);
  assert.ok(Math.abs(up.reputation - 0.55) < 1e-12);

  // Always corrected: approaches the floor, never below it; always confirmed: approaches 1, never above.
  let r = prior;
  let s = prior;
  for (let i = 0; i < 500; i++) {
    r = updateSourceReputation(r, true, DEFAULT_REPUTATION_RATE, DEFAULT_REPUTATION_FLOOR);
    s = updateSourceReputation(s, false, DEFAULT_REPUTATION_RATE, DEFAULT_REPUTATION_FLOOR);
    assert.ok(r.reputation >= DEFAULT_REPUTATION_FLOOR && s.reputation <= 1);
  }
  assert.ok(r.reputation - DEFAULT_REPUTATION_FLOOR < 1e-6);
  assert.ok(1 - s.reputation < 1e-6);
  assert.equal(r.observations, 500);
  // A reputation below the floor is lifted to it.
  assert.ok(
    updateSourceReputation({ reputation: 0, observations: 0, documents: 0 }, true, 0.5, 0.2).reputation >=
      0.2,
  );
});

test('updateSourceReputation refuses rates, floors and reputations out of range', () => {
  const prior = { reputation: 0.5, observations: 0, documents: 0 };
  for (const [p, rate, floor] of [
    [prior, 0, 0.1],
    [prior, 1.5, 0.1],
    [prior, Number.NaN, 0.1],
    [prior, 0.1, 1],
    [prior, 0.1, -0.1],
    [{ ...prior, reputation: 2 }, 0.1, 0.1],
  ] as const) {
    assert.throws(
      () => updateSourceReputation(p, true, rate, floor),
      (e) => isAppError(e, 'CS_ERR_VALIDATION'),
    );
  }
});
