/**
 * mulberry32: a small, fast seeded generator of uniform numbers in [0, 1), the
 * one every reproducible run here samples from (training order and initial
 * weights, feature fitting, sampled explanations, test data, benchmarks). The
 * seed is truncated to 32 bits; the same seed gives the same sequence. Not for
 * anything that must be unpredictable.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
