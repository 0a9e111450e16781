/** A source of the current time, passed in so that pure code never reads the wall clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock fixed at `ms` (tests, reproducible batch jobs). */
export function fixedClock(ms: number): Clock {
  return { now: () => ms };
}
