/**
 * Solves `A x = b` for a symmetric positive (semi-)definite `A` (n × n,
 * row-major) by Cholesky factorisation after adding `ridge` to the diagonal
 * (keeps an under-determined weighted least-squares problem solvable; pick it
 * tiny relative to the diagonal so well-posed problems are not biased).
 * Returns x. `A` and `b` are left unchanged.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number, ridge: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        // A column the samples never separate: treat it as ridge-only rather than failing.
        l[i * n + i] = Math.sqrt(Math.max(sum, ridge > 0 ? ridge : Number.MIN_VALUE));
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}
