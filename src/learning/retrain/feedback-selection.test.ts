import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeedbackSelectionSettings } from '../settings.js';
import { type FeedbackInput, selectFeedback, textKey } from './feedback-selection.js';

const settings: FeedbackSelectionSettings = {
  feedbackWeight: 2,
  maxAnalystShare: 0.25,
  maxSourceShare: 0.5,
  capMinItems: 3,
  recentShare: 0.25,
};

function item(i: number, overrides: Partial<FeedbackInput> = {}): FeedbackInput {
  return {
    id: `f${String(i).padStart(3, '0')}`,
    createdAt: i,
    text: `text number ${i}`,
    correctLabel: 'high',
    analyst: `analyst${i % 8}`,
    apiKeyId: `key${i % 8}`,
    source: `source${i % 4}`,
    ...overrides,
  };
}

test('dedups texts by majority (ties to the newest), weights by agreement, drops bad labels and holdout texts', () => {
  const items = [
    item(1, { text: 'Same  TEXT', correctLabel: 'low' }),
    item(2, { text: 'same text', correctLabel: 'low' }),
    item(3, { text: 'same text ', correctLabel: 'critical' }),
    item(4, { text: 'tie', correctLabel: 'low' }),
    item(5, { text: 'tie', correctLabel: 'medium' }),
    item(6, { correctLabel: 'bogus' }),
    item(7, { text: 'Held out text' }),
  ];
  const s = selectFeedback(items, { ...settings, recentShare: 0.01 }, new Set([textKey('held OUT   text')]));
  assert.equal(s.report.invalidLabel, 1);
  assert.equal(s.report.holdoutTexts, 1);
  assert.equal(s.report.distinctTexts, 2);
  assert.equal(s.report.conflicts, 2);
  const all = [...s.train, ...s.recent];
  const same = all.find((e) => e.text === 'same text ')!;
  assert.equal(same.label, 'low');
  assert.ok(Math.abs(same.weight - (2 * 2) / 3) < 1e-12);
  assert.equal(same.id, 'feedback:f003');
  assert.equal(all.find((e) => e.text === 'tie')?.label, 'medium');
  assert.equal(s.recent.length, 1);
  assert.equal(s.recent[0]?.text, 'tie');
});

test('the newest share is held out; every analyst, key and source is capped at its share', () => {
  const items: FeedbackInput[] = [];
  for (let i = 0; i < 40; i++) items.push(item(i));
  // A flood from one analyst with one key: 60 items.
  for (let i = 100; i < 160; i++) items.push(item(i, { analyst: 'mallory', apiKeyId: 'kx', source: 'feed' }));
  const s = selectFeedback(items, settings);
  assert.equal(s.report.distinctTexts, 100);
  assert.equal(
    s.recent.length +
      s.report.capped.analyst +
      s.report.capped.apiKey +
      s.report.capped.source +
      s.train.length,
    100,
  );
  const trainMallory = s.train.filter((e) => e.source === 'feed').length;
  // train part: 75 texts, cap max(3, floor(0.25*75)) = 18.
  assert.equal(trainMallory, 18);
  // recent part: the 25 newest, all Mallory's: capped to max(3, floor(0.25*25)) = 6.
  assert.equal(s.recent.length, 6);
  assert.ok(s.recent.every((e) => e.createdAt >= 154));
  assert.ok(s.train.every((e, i) => i === 0 || e.createdAt >= s.train[i - 1]!.createdAt));
});

test('one analyst with few items is never capped below the minimum', () => {
  const items = Array.from({ length: 3 }, (_, i) => item(i, { analyst: 'solo', apiKeyId: 'k', source: 's' }));
  const s = selectFeedback(items, { ...settings, recentShare: 0.34 });
  assert.equal(s.train.length + s.recent.length, 3);
  assert.equal(s.recent.length, 2);
});

test('feedback without analyst, key or source is not lumped into one capped group', () => {
  const items = Array.from({ length: 200 }, (_, i) =>
    item(i, { analyst: null, apiKeyId: null, source: null }),
  );
  const s = selectFeedback(items, settings);
  assert.equal(s.train.length + s.recent.length, 200);
  assert.deepEqual(s.report.capped, { analyst: 0, apiKey: 0, source: 0 });
});
