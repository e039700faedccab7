/** Matrices with a known spectrum, built by hand for the linear-algebra tests (no solver involved). */
import { Rng, type SymMatrix } from '../../lib/core/index.js';

/** A random orthogonal matrix as a product of Householder reflections (rows orthonormal), built in the test. */
export function randomOrthogonal(n: number, rng: Rng): Float64Array {
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
export function fromEigen(q: Float64Array, lambda: number[]): SymMatrix {
  const n = lambda.length;
  const data = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] += lambda[k] * q[k * n + i] * q[k * n + j];
  return { data, n };
}

export const dot = (a: ArrayLike<number>, b: ArrayLike<number>, n: number, ia = 0, ib = 0) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ia + i] * b[ib + i];
  return s;
};

/** Brute-force top eigenvector by power iteration (many steps, no shortcuts). */
export function powerIteration(m: SymMatrix, iters = 5000): { value: number; vector: Float64Array } {
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
