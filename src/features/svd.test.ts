import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPrng } from './prng.js';
import type { CsrMatrix } from './sparse.js';
import { randomizedSvd, symmetricEigen } from './svd.js';

/** A random sparse matrix with about `density` non-zeros, as CSR and dense row-major. */
function randomSparse(
  rows: number,
  columns: number,
  density: number,
  seed: number,
): { csr: CsrMatrix; dense: Float64Array } {
  const prng = createPrng(seed);
  const dense = new Float64Array(rows * columns);
  const rowStart = new Int32Array(rows + 1);
  const column: number[] = [];
  const value: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (prng.next() < density) {
        // A low-rank-ish structure: columns in the same block share a scale, so the spectrum decays.
        const v = (1 + (c % 5)) * prng.next();
        dense[r * columns + c] = v;
        column.push(c);
        value.push(v);
      }
    }
    rowStart[r + 1] = column.length;
  }
  return {
    csr: { rows, columns, rowStart, column: Int32Array.from(column), value: Float64Array.from(value) },
    dense,
  };
}

/** Exact singular values from the eigenvalues of AᵀA. */
function exactSingularValues(dense: Float64Array, rows: number, columns: number): number[] {
  const ata = new Float64Array(columns * columns);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < columns; i++) {
      const a = dense[r * columns + i]!;
      if (a === 0) continue;
      for (let j = 0; j < columns; j++) ata[i * columns + j]! += a * dense[r * columns + j]!;
    }
  }
  return Array.from(symmetricEigen(ata, columns).values, (v) => Math.sqrt(Math.max(v, 0)));
}

test('symmetricEigen diagonalises a symmetric matrix (A v = λ v, descending)', () => {
  const m = 4;
  const a = Float64Array.from([4, 1, 0.5, 0, 1, 3, 0.2, 0.1, 0.5, 0.2, 2, 0.3, 0, 0.1, 0.3, 1]);
  const { values, vectors } = symmetricEigen(a, m);
  for (let k = 0; k < m - 1; k++) assert.ok(values[k]! >= values[k + 1]!);
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < m; i++) {
      let av = 0;
      for (let j = 0; j < m; j++) av += a[i * m + j]! * vectors[j * m + k]!;
      assert.ok(Math.abs(av - values[k]! * vectors[i * m + k]!) < 1e-10);
    }
  }
});

test('randomizedSvd finds the top singular values of a sparse matrix (tolerance 1e-6 relative)', () => {
  const rows = 120;
  const columns = 40;
  const { csr, dense } = randomSparse(rows, columns, 0.2, 11);
  const exact = exactSingularValues(dense, rows, columns);
  const svd = randomizedSvd(csr, 10, { seed: 3, oversampling: 10, powerIterations: 6 });
  assert.equal(svd.rank, 10);
  for (let i = 0; i < 10; i++) {
    assert.ok(
      Math.abs(svd.singularValues[i]! - exact[i]!) <= 1e-6 * exact[0]!,
      `σ${i}: ${svd.singularValues[i]} vs exact ${exact[i]}`,
    );
  }
});

test('components are orthonormal, sign-normalised, and ‖A v_i‖ = σ_i', () => {
  const rows = 80;
  const columns = 60;
  const { csr, dense } = randomSparse(rows, columns, 0.15, 5);
  const k = 8;
  const svd = randomizedSvd(csr, k, { seed: 1 });
  for (let i = 0; i < k; i++) {
    const vi = svd.components.subarray(i * columns, (i + 1) * columns);
    for (let j = 0; j <= i; j++) {
      const vj = svd.components.subarray(j * columns, (j + 1) * columns);
      let dot = 0;
      for (let c = 0; c < columns; c++) dot += vi[c]! * vj[c]!;
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-9, `v${i}·v${j} = ${dot}`);
    }
    let largest = 0;
    for (let c = 0; c < columns; c++) if (Math.abs(vi[c]!) > Math.abs(largest)) largest = vi[c]!;
    assert.ok(largest > 0, 'largest entry is positive');
    let norm = 0;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < columns; c++) s += dense[r * columns + c]! * vi[c]!;
      norm += s * s;
    }
    // Equal up to the convergence of 4 power iterations on a flat spectrum: 1e-3 relative.
    assert.ok(
      Math.abs(Math.sqrt(norm) - svd.singularValues[i]!) < 1e-3 * svd.singularValues[i]!,
      `‖A v${i}‖ = ${Math.sqrt(norm)} vs σ = ${svd.singularValues[i]}`,
    );
  }
});

test('the same seed gives identical output; a rank-deficient matrix reports its rank', () => {
  const { csr } = randomSparse(50, 30, 0.3, 9);
  const a = randomizedSvd(csr, 5, { seed: 42 });
  const b = randomizedSvd(csr, 5, { seed: 42 });
  assert.deepEqual(Array.from(a.components), Array.from(b.components));
  assert.deepEqual(Array.from(a.singularValues), Array.from(b.singularValues));

  // Rank 2: every row is a multiple of one of two patterns.
  const rows = 20;
  const columns = 6;
  const rowStart = new Int32Array(rows + 1);
  const column: number[] = [];
  const value: number[] = [];
  for (let r = 0; r < rows; r++) {
    const pattern = r % 2 === 0 ? [1, 2, 0, 0, 1, 0] : [0, 0, 3, 1, 0, 1];
    pattern.forEach((v, c) => {
      if (v !== 0) {
        column.push(c);
        value.push(v * (1 + r));
      }
    });
    rowStart[r + 1] = column.length;
  }
  const low = randomizedSvd(
    { rows, columns, rowStart, column: Int32Array.from(column), value: Float64Array.from(value) },
    5,
    { seed: 1 },
  );
  assert.equal(low.rank, 2);
  assert.equal(low.components.length, 2 * columns);
});

test('an empty matrix gives rank 0', () => {
  const svd = randomizedSvd(
    {
      rows: 3,
      columns: 4,
      rowStart: new Int32Array(4),
      column: new Int32Array(0),
      value: new Float64Array(0),
    },
    2,
  );
  assert.equal(svd.rank, 0);
});
