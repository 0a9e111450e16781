import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { FEATURE_FAMILIES } from './slot.js';
import {
  FAMILY_SLOTS,
  FEATURE_DIMENSION,
  FEATURE_SPEC,
  FEATURE_SPEC_VERSION,
  familyDefinitionCounts,
} from './spec.js';

/**
 * Fingerprint of the slot names and families of spec version 1. If this test
 * fails you changed the layout: bump FEATURE_SPEC_VERSION (saved models and
 * artefacts must then be refitted) and record the new fingerprint here.
 */
const FINGERPRINTS: Record<string, string> = {
  '1': '6dc330e35a96df21309f205f21988935745bb17779d08df84494af670d1bcbd9',
};

test('the spec covers slots 0..127 in order, without gaps or duplicates', () => {
  assert.equal(FEATURE_DIMENSION, 128);
  assert.equal(FEATURE_SPEC.dimension, 128);
  assert.equal(FEATURE_SPEC.slots.length, 128);
  FEATURE_SPEC.slots.forEach((slot, i) => {
    assert.equal(slot.index, i);
  });
  const names = new Set(FEATURE_SPEC.slots.map((s) => s.name));
  assert.equal(names.size, 128, 'slot names are unique');
});

test('the documented layout: each family occupies exactly its slots', () => {
  assert.deepEqual(FAMILY_SLOTS, {
    embedding: [0, 50],
    source: [50, 55],
    temporal: [55, 65],
    entities: [65, 75],
    tone: [75, 80],
    statistics: [80, 90],
    keywords: [90, 100],
    patterns: [100, 128],
  });
  for (const slot of FEATURE_SPEC.slots) {
    const [start, end] = FAMILY_SLOTS[slot.family];
    assert.ok(
      slot.index >= start && slot.index < end,
      `${slot.name} (${slot.index}) lies in ${slot.family} [${start}, ${end})`,
    );
  }
  // The ranges tile 0..128 in family order.
  let next = 0;
  for (const family of FEATURE_FAMILIES) {
    assert.equal(FAMILY_SLOTS[family][0], next, `${family} starts where the previous family ends`);
    next = FAMILY_SLOTS[family][1];
  }
  assert.equal(next, 128);
});

test('no family has more definitions than slots, and the rest are listed as reserved zeros', () => {
  const counts = familyDefinitionCounts();
  for (const family of FEATURE_FAMILIES) {
    const [start, end] = FAMILY_SLOTS[family];
    assert.ok(counts[family] <= end - start, `${family} defines ${counts[family]} slots for ${end - start}`);
    const slots = FEATURE_SPEC.slots.filter((s) => s.family === family);
    assert.equal(slots.filter((s) => !s.reserved).length, counts[family]);
    for (const s of slots.filter((x) => x.reserved)) {
      assert.equal(s.name, `${family}.reserved_${s.index}`);
      assert.deepEqual(s.range, [0, 0]);
    }
  }
});

test('every slot is documented: name prefix, description, range and normalisation', () => {
  const prefix: Record<string, string> = {
    embedding: 'emb.',
    source: 'source.',
    temporal: 'time.',
    entities: 'ent.',
    tone: 'tone.',
    statistics: 'stats.',
    keywords: 'kw.',
    patterns: 'pat.',
  };
  for (const s of FEATURE_SPEC.slots) {
    if (!s.reserved)
      assert.ok(s.name.startsWith(prefix[s.family]!), `${s.name} starts with ${prefix[s.family]}`);
    assert.ok(s.description.length > 10, `${s.name} has a description`);
    assert.ok(s.normalisation.length > 0, `${s.name} documents its normalisation`);
    assert.ok(s.range[0] <= s.range[1], `${s.name} has a range`);
  }
});

test('the spec is frozen and its fingerprint matches its version', () => {
  assert.ok(Object.isFrozen(FEATURE_SPEC));
  assert.ok(Object.isFrozen(FEATURE_SPEC.slots));
  const fingerprint = createHash('sha256')
    .update(FEATURE_SPEC.slots.map((s) => `${s.index}:${s.family}:${s.name}`).join('\n'))
    .digest('hex');
  assert.equal(fingerprint, FINGERPRINTS[FEATURE_SPEC_VERSION], 'changed layout without a version bump?');
});
