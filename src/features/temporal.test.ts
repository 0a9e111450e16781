import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePublished, TEMPORAL_SLOTS, writeTemporal } from './temporal.js';

const DAY = 86_400_000;

function temporal(published: string | number | undefined, reference: number): Record<string, number> {
  const out = new Float32Array(10).fill(Number.NaN);
  writeTemporal(parsePublished(published), reference, out, 0);
  return Object.fromEntries(TEMPORAL_SLOTS.map((s, i) => [s.name, out[i]!]));
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

test('parsePublished: ISO dates and date-times, epoch ms; no offset means UTC; junk is undefined', () => {
  assert.deepEqual(parsePublished('2024-08-01'), { ms: Date.UTC(2024, 7, 1), hasTimeOfDay: false });
  assert.deepEqual(parsePublished('2024-08-01T12:30:00Z'), {
    ms: Date.UTC(2024, 7, 1, 12, 30),
    hasTimeOfDay: true,
  });
  assert.deepEqual(parsePublished('2024-08-01T12:30:00'), {
    ms: Date.UTC(2024, 7, 1, 12, 30),
    hasTimeOfDay: true,
  });
  assert.deepEqual(parsePublished('2024-08-01 12:30:00'), {
    ms: Date.UTC(2024, 7, 1, 12, 30),
    hasTimeOfDay: true,
  });
  assert.deepEqual(parsePublished('2024-08-01T12:30:00+02:00'), {
    ms: Date.UTC(2024, 7, 1, 10, 30),
    hasTimeOfDay: true,
  });
  assert.equal(parsePublished(1_700_000_000_000)?.ms, 1_700_000_000_000);
  for (const bad of ['yesterday', '', '2024-13-45', 'August 1, 2024', Number.NaN]) {
    assert.equal(parsePublished(bad as string), undefined, String(bad));
  }
});

test('age and recency relative to the reference time passed in', () => {
  const reference = Date.UTC(2024, 8, 1);
  const t = temporal('2024-08-02', reference); // 30 days earlier
  assert.equal(t['time.published_known'], 1);
  assert.ok(close(t['time.age']!, Math.log1p(30) / Math.log1p(3650)));
  assert.ok(close(t['time.recency_month']!, Math.exp(-1)));
  assert.ok(close(t['time.recency_year']!, Math.exp(-30 / 365)));
  assert.equal(t['time.future'], 0);
  // Moving the reference time moves only age and recency.
  const later = temporal('2024-08-02', reference + 365 * DAY);
  assert.ok(later['time.age']! > t['time.age']!);
  assert.ok(later['time.recency_year']! < t['time.recency_year']!);
  assert.equal(later['time.weekday_sin'], t['time.weekday_sin']);
});

test('future dates are flagged with age 0 and recency 1', () => {
  const t = temporal('2024-09-10', Date.UTC(2024, 8, 1));
  assert.equal(t['time.future'], 1);
  assert.equal(t['time.age'], 0);
  assert.equal(t['time.recency_month'], 1);
});

test('weekday and hour are cyclic (UTC); date-only timestamps leave the hour at zero', () => {
  const reference = Date.UTC(2025, 0, 1);
  const sunday = temporal('2024-08-04T00:00:00Z', reference);
  assert.ok(close(sunday['time.weekday_sin']!, 0) && close(sunday['time.weekday_cos']!, 1));
  const wednesday = temporal('2024-08-07T18:00:00Z', reference);
  assert.ok(close(wednesday['time.weekday_sin']!, Math.sin((2 * Math.PI * 3) / 7)));
  assert.ok(close(wednesday['time.hour_sin']!, -1) && close(wednesday['time.hour_cos']!, 0));
  assert.equal(wednesday['time.time_of_day_known'], 1);
  // 23:30 and 00:30 are neighbours on the circle.
  const late = temporal('2024-08-07T23:30:00Z', reference);
  const early = temporal('2024-08-08T00:30:00Z', reference);
  assert.ok(
    Math.hypot(
      late['time.hour_sin']! - early['time.hour_sin']!,
      late['time.hour_cos']! - early['time.hour_cos']!,
    ) < 0.3,
  );
  const dateOnly = temporal('2024-08-07', reference);
  assert.equal(dateOnly['time.time_of_day_known'], 0);
  assert.equal(dateOnly['time.hour_sin'], 0);
  assert.equal(dateOnly['time.hour_cos'], 0);
});

test('unknown or invalid publication time gives all zeros', () => {
  for (const p of [undefined, 'not a date']) {
    assert.deepEqual(Object.values(temporal(p, Date.UTC(2024, 0, 1))), new Array(10).fill(0));
  }
});
