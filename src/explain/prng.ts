/**
 * A small seeded generator (mulberry32) so sampled explanations are
 * reproducible: the same text, model and seed give the same attributions.
 */
export type Uniform = () => number;

/** Uniform numbers in [0, 1) from a 32-bit integer seed (other numbers are truncated to 32 bits). */
export function seededUniform(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
