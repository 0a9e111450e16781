/**
 * A sparse matrix in compressed sparse row (CSR) form and the two products
 * the randomized SVD needs. Dense matrices are row-major `Float64Array`s.
 */
export interface CsrMatrix {
  rows: number;
  columns: number;
  /** Row r's entries are at [rowStart[r], rowStart[r + 1]). Length rows + 1. */
  rowStart: Int32Array;
  /** Column of each entry. */
  column: Int32Array;
  /** Value of each entry. */
  value: Float64Array;
}

/** Y = A · M where M is dense `A.columns × k` (row-major); returns dense `A.rows × k`. */
export function multiplyDense(a: CsrMatrix, m: Float64Array, k: number): Float64Array {
  const y = new Float64Array(a.rows * k);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * k;
    for (let e = a.rowStart[r]!; e < a.rowStart[r + 1]!; e++) {
      const v = a.value[e]!;
      const mo = a.column[e]! * k;
      for (let j = 0; j < k; j++) y[yo + j]! += v * m[mo + j]!;
    }
  }
  return y;
}

/** Z = Aᵀ · M where M is dense `A.rows × k` (row-major); returns dense `A.columns × k`. */
export function multiplyTransposeDense(a: CsrMatrix, m: Float64Array, k: number): Float64Array {
  const z = new Float64Array(a.columns * k);
  for (let r = 0; r < a.rows; r++) {
    const mo = r * k;
    for (let e = a.rowStart[r]!; e < a.rowStart[r + 1]!; e++) {
      const v = a.value[e]!;
      const zo = a.column[e]! * k;
      for (let j = 0; j < k; j++) z[zo + j]! += v * m[mo + j]!;
    }
  }
  return z;
}
