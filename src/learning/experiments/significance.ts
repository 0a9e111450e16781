/**
 * Significance tests for comparing two models on the same labelled items
 * (McNemar, exact) and on different items (two-proportion z-test). Pure.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Standard normal upper tail P(Z > z), via the complementary error function
 * (W. J. Cody's rational approximation as in Numerical Recipes `erfcc`,
 * fractional error below 1.2e-7).
 */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const r =
    t *
    Math.exp(
      -ax * ax -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? r : 2 - r;
  return erfc / 2;
}

/** The outcome of a paired comparison. */
export interface McNemarResult {
  /** Items the candidate got right and the active model wrong. */
  candidateOnly: number;
  /** Items the active model got right and the candidate wrong. */
  activeOnly: number;
  /** Two-sided exact p-value (binomial with p = 0.5 on the discordant pairs); 1 without discordant pairs. */
  pValue: number;
}

/**
 * McNemar's exact test on the discordant pairs of a paired comparison:
 * p = min(1, 2 · P(X ≤ min(b, c))) with X ~ Binomial(b + c, 1/2).
 * Exact for any count (summed in log space), so small experiments get honest p-values.
 */
export function mcnemarExact(candidateOnly: number, activeOnly: number): McNemarResult {
  for (const [name, v] of [
    ['candidateOnly', candidateOnly],
    ['activeOnly', activeOnly],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  const n = candidateOnly + activeOnly;
  if (n === 0) return { candidateOnly, activeOnly, pValue: 1 };
  const k = Math.min(candidateOnly, activeOnly);
  const logHalfN = -n * Math.LN2;
  // Sum the lower tail with log-sum-exp so large n neither under- nor overflows.
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) terms.push(logChoose(n, i) + logHalfN);
  const max = Math.max(...terms);
  const tail = Math.exp(max) * terms.reduce((s, t) => s + Math.exp(t - max), 0);
  return { candidateOnly, activeOnly, pValue: Math.min(1, 2 * tail) };
}

/** The outcome of a two-proportion z-test. */
export interface TwoProportionResult {
  /** z statistic of p1 − p2 with the pooled standard error; 0 when undefined. */
  z: number;
  /** Two-sided p-value; 1 when either group is empty or the pooled rate is 0 or 1. */
  pValue: number;
}

/**
 * Two-proportion z-test of x1/n1 against x2/n2 (pooled variance), for
 * comparing accuracy on disjoint items (canary-served against active-served).
 */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): TwoProportionResult {
  if (n1 <= 0 || n2 <= 0) return { z: 0, pValue: 1 };
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}
