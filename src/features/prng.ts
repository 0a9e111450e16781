import { mulberry32 } from '../core/index.js';

/**
 * A small seeded pseudo-random generator (mulberry32), so fitting is
 * reproducible: the same corpus, options and seed give the same artefacts.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/** Creates a generator from a 32-bit integer seed (other numbers are truncated to 32 bits). */
export function createPrng(seed: number): Prng {
  const next = mulberry32(seed);
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}
