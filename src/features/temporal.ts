import type { SlotDefinition } from './slot.js';

const DAY_MS = 86_400_000;

/** The temporal family's slots (55-64), in order. All are 0 when the publication time is unknown. */
export const TEMPORAL_SLOTS: readonly SlotDefinition[] = Object.freeze([
  {
    name: 'time.published_known',
    description: 'The document carries a valid publication time.',
    range: [0, 1],
    normalisation: 'flag',
  },
  {
    name: 'time.age',
    description: 'Age at the reference time, in days (0 for future dates).',
    range: [0, 2],
    normalisation: 'ln(1+days)/ln(1+3650): 1 at ten years, capped at 2',
  },
  {
    name: 'time.recency_month',
    description: 'Recency on a monthly scale: 1 when just published, 0.37 after 30 days.',
    range: [0, 1],
    normalisation: 'exp(-days/30); 1 for future dates',
  },
  {
    name: 'time.recency_year',
    description: 'Recency on a yearly scale: 1 when just published, 0.37 after 365 days.',
    range: [0, 1],
    normalisation: 'exp(-days/365); 1 for future dates',
  },
  {
    name: 'time.future',
    description: 'Published after the reference time (embargoed items, clock skew, bad data).',
    range: [0, 1],
    normalisation: 'flag',
  },
  {
    name: 'time.weekday_sin',
    description: 'Day of the week (UTC), cyclic encoding, sine part.',
    range: [-1, 1],
    normalisation: 'sin(2π·day/7), Sunday = 0',
  },
  {
    name: 'time.weekday_cos',
    description: 'Day of the week (UTC), cyclic encoding, cosine part.',
    range: [-1, 1],
    normalisation: 'cos(2π·day/7), Sunday = 0',
  },
  {
    name: 'time.hour_sin',
    description:
      'Time of day (UTC, fractional hours), cyclic encoding, sine part; 0 for date-only timestamps.',
    range: [-1, 1],
    normalisation: 'sin(2π·hour/24)',
  },
  {
    name: 'time.hour_cos',
    description:
      'Time of day (UTC, fractional hours), cyclic encoding, cosine part; 0 for date-only timestamps.',
    range: [-1, 1],
    normalisation: 'cos(2π·hour/24)',
  },
  {
    name: 'time.time_of_day_known',
    description: 'The timestamp has a time of day (not just a date), so the hour slots mean something.',
    range: [0, 1],
    normalisation: 'flag',
  },
]);

/** A parsed publication time. */
export interface PublicationTime {
  /** Milliseconds since the Unix epoch. */
  ms: number;
  /** False for a date without a time of day. */
  hasTimeOfDay: boolean;
}

const HAS_TIME = /\d[T ]\d{1,2}:\d{2}/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses a publication time: ISO 8601 text (`2024-08-01`, `2024-08-01T12:30:00Z`)
 * or epoch milliseconds. A date-time without an offset is read as UTC (never
 * the local zone, so results do not depend on the machine). Returns undefined
 * for anything unparseable.
 */
export function parsePublished(published: string | number | undefined): PublicationTime | undefined {
  if (published === undefined) return undefined;
  if (typeof published === 'number') {
    return Number.isFinite(published) ? { ms: published, hasTimeOfDay: true } : undefined;
  }
  const text = published.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const hasTimeOfDay = HAS_TIME.test(text);
  const ms = Date.parse(hasTimeOfDay && !HAS_ZONE.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isFinite(ms) ? { ms, hasTimeOfDay } : undefined;
}

/** Writes the temporal slots for `published` relative to `referenceTime` (ms) into `out` from `offset`. */
export function writeTemporal(
  published: PublicationTime | undefined,
  referenceTime: number,
  out: Float32Array,
  offset: number,
): void {
  if (published === undefined) {
    out.fill(0, offset, offset + TEMPORAL_SLOTS.length);
    return;
  }
  const days = (referenceTime - published.ms) / DAY_MS;
  const age = Math.max(0, days);
  const date = new Date(published.ms);
  const weekday = date.getUTCDay();
  out[offset] = 1;
  out[offset + 1] = Math.min(2, Math.log1p(age) / Math.log1p(3650));
  out[offset + 2] = Math.exp(-age / 30);
  out[offset + 3] = Math.exp(-age / 365);
  out[offset + 4] = days < 0 ? 1 : 0;
  out[offset + 5] = Math.sin((2 * Math.PI * weekday) / 7);
  out[offset + 6] = Math.cos((2 * Math.PI * weekday) / 7);
  if (published.hasTimeOfDay) {
    const hour = date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600;
    out[offset + 7] = Math.sin((2 * Math.PI * hour) / 24);
    out[offset + 8] = Math.cos((2 * Math.PI * hour) / 24);
    out[offset + 9] = 1;
  } else {
    out[offset + 7] = 0;
    out[offset + 8] = 0;
    out[offset + 9] = 0;
  }
}
