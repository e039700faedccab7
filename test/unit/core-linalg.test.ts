/** The symmetric eigen-solver and PSD square root of lib/core/linalg.ts against matrices built by hand and power iteration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomOrthogonal, fromEigen, dot, powerIteration } from '../helpers/matrices.js';
import { Rng, symmetricEigen, sqrtPsd, matMulSquare, secondMoment } from '../../lib/core/index.js';

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
