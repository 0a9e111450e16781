import { mulberry32 } from '../core/index.js';

/**
 * A small seeded generator (mulberry32) so sampled explanations are
 * reproducible: the same text, model and seed give the same attributions.
 */
export type Uniform = () => number;

/** Uniform numbers in [0, 1) from a 32-bit integer seed (other numbers are truncated to 32 bits). */
export function seededUniform(seed: number): Uniform {
  return mulberry32(seed);
}
