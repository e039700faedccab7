/** The symmetric eigen-solver and PSD square root of lib/core/linalg.ts against matrices built by hand and power iteration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, symmetricEigen, sqrtPsd, matMulSquare, secondMoment, type SymMatrix } from '../../lib/core/index.js';

/** A random orthogonal matrix as a product of Householder reflections (rows orthonormal), built in the test. */
function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < n; r++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += q[i * n + j] * v[j];
      for (let j = 0; j < n; j++) q[i * n + j] -= (2 * dot * v[j]) / vv;
    }
  }
  return q;
}

/** Σ = Qᵀ diag(λ) Q: the rows of Q are its eigenvectors. */
function fromEigen(q: Float64Array, lambda: number[]): SymMatrix {
  const n = lambda.length;
  const data = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] += lambda[k] * q[k * n + i] * q[k * n + j];
  return { data, n };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, n: number, ia = 0, ib = 0) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ia + i] * b[ib + i];
  return s;
};

/** Brute-force top eigenvector by power iteration (many steps, no shortcuts). */
function powerIteration(m: SymMatrix, iters = 5000): { value: number; vector: Float64Array } {
  const { n, data } = m;
  let v = Float64Array.from({ length: n }, (_, i) => 1 + i / n);
  let value = 0;
  for (let t = 0; t < iters; t++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = dot(data, v, n, i * n);
    const norm = Math.sqrt(dot(w, w, n));
    value = dot(v, w, n) / dot(v, v, n);
    v = w.map((x) => x / norm);
  }
  return { value, vector: v };
}

test('symmetricEigen recovers a spectrum and eigenvectors built by hand', () => {
  const n = 7;
  const q = randomOrthogonal(n, new Rng(3));
  const lambda = [9, 5, 4, 2.5, 1, 0.25, -0.5];
  const e = symmetricEigen(fromEigen(q, lambda));
  assert.ok(e.converged);
  lambda.forEach((l, k) => assert.ok(Math.abs(e.values[k] - l) < 1e-12, `λ${k}: ${e.values[k]} vs ${l}`));
  for (let k = 0; k < n; k++) assert.ok(Math.abs(Math.abs(dot(e.vectors, q, n, k * n, k * n)) - 1) < 1e-10, `vector ${k}`);
});

test('symmetricEigen top pair matches brute-force power iteration on a random SPD matrix', () => {
  const n = 12;
  const rng = new Rng(5);
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) m[i * n + j] += b[k * n + i] * b[k * n + j];
  const e = symmetricEigen({ data: m, n });
  const p = powerIteration({ data: m, n });
  assert.ok(Math.abs(e.values[0] - p.value) < 1e-9 * p.value);
  assert.ok(Math.abs(Math.abs(dot(e.vectors, p.vector, n)) - 1) < 1e-8);
});

test('sqrtPsd squares back to the matrix; secondMoment is (1/N) Σ r rᵀ', () => {
  const n = 6;
  const q = randomOrthogonal(n, new Rng(8));
  const m = fromEigen(q, [4, 3, 2, 1, 0.5, 0]);
  const r = sqrtPsd(m);
  const back = matMulSquare(r.data, r.data, n);
  for (let i = 0; i < n * n; i++) assert.ok(Math.abs(back[i] - m.data[i]) < 1e-12, `entry ${i}`);
  const rows = [1, 2, 3, -1, 0, 2];
  const s = secondMoment(rows, 3);
  assert.deepEqual([...s.data], [1, 1, 0.5, 1, 2, 3, 0.5, 3, 6.5]); // (r1 r1ᵀ + r2 r2ᵀ)/2 by hand
  assert.throws(() => secondMoment([1, 2, 3], 2), RangeError);
});
