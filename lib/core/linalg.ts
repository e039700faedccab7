/**
 * Float64 dense linear algebra for symmetric matrices: second-moment matrices, a symmetric eigen-solver
 * (Householder tridiagonalisation + implicit QL, the EISPACK tred2/tql2 pair as in JAMA) and the PSD square root.
 * tfjs has no float64, so this is plain TypeScript. Eigenvalues are accurate to a few ulps of the largest |λ|
 * (QL stops when an off-diagonal entry is below 2^-52 of the running norm).
 */
import { assertFiniteArray, assertInteger, assertObject, describe, isNumericArray } from './validate.js';

/** Symmetric n×n matrix, row-major. */
export interface SymMatrix {
  readonly data: Float64Array;
  readonly n: number;
}

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** n×n, row k = unit eigenvector of values[k]. */
  readonly vectors: Float64Array;
  readonly n: number;
  /** QL sweeps used in total. */
  readonly iterations: number;
  readonly converged: boolean;
}

/** Rows N of a flat row-major N×n array (throws unless its length is a multiple of n). */
export function rowCount(name: string, x: ArrayLike<number>, n: number): number {
  if (!isNumericArray(x)) throw new TypeError(`${name} must be a flat numeric array of rows, got ${describe(x)}`);
  assertInteger('n (row length)', n, 1);
  if (x.length % n !== 0) throw new RangeError(`${name}.length (${x.length}) must be a multiple of the row length ${n}`);
  return x.length / n;
}

/**
 * M = (1/N) Σ r rᵀ over the rows r of `rows` (N×n). Uncentred on purpose: x̃ − x = (I − P)(x̂ − x), so the
 * MSE-optimal rank-d projector captures the residual's second moment, mean included.
 */
export function secondMoment(rows: ArrayLike<number>, n: number): SymMatrix {
  const N = rowCount('rows', rows, n);
  if (N === 0) throw new RangeError('rows must hold at least one row');
  assertFiniteArray('rows', rows);
  const m = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (let s = 0; s < N; s++) {
    for (let i = 0; i < n; i++) r[i] = rows[s * n + i];
    for (let i = 0; i < n; i++) {
      const ri = r[i];
      if (ri === 0) continue;
      const off = i * n;
      for (let j = i; j < n; j++) m[off + j] += ri * r[j];
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = m[i * n + j] / N;
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  return { data: m, n };
}

/**
 * All eigenpairs of a symmetric matrix (tred2 + tql2). Storage is column-major internally (t[c·n + r] = V[r][c])
 * so that every inner loop runs over contiguous memory.
 */
export function symmetricEigen(a: SymMatrix): SymmetricEigen {
  assertObject('a', a);
  const { n } = a;
  assertInteger('a.n', n, 1);
  if (!isNumericArray(a.data)) {
    throw new TypeError(`a.data must be a Float64Array of n² entries, got ${describe(a.data)}`);
  }
  if (a.data.length !== n * n) throw new RangeError(`a.data must hold n² = ${n * n} entries, got ${a.data.length}`);
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(a.data[i])) throw new RangeError(`a.data[${i}] must be finite, got ${a.data[i]}`);
  }
  const t = Float64Array.from(a.data); // symmetric: its transpose is itself
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(t, d, e, n);
  const { iterations, converged } = tql2(t, d, e, n);
  if (!converged) console.warn(`symmetricEigen: QL iteration did not converge for n = ${n}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d[q] - d[p]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = d[src];
    vectors.set(t.subarray(src * n, (src + 1) * n), k * n);
  });
  return { values, vectors, n, iterations, converged };
}

/** Householder reduction to tridiagonal form (JAMA tred2), V stored column-major in t. */
function tred2(t: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const V = (r: number, c: number): number => c * n + r;
  for (let j = 0; j < n; j++) d[j] = t[V(n - 1, j)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = t[V(i - 1, j)];
        t[V(i, j)] = 0;
        t[V(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        t[V(j, i)] = f;
        const cj = j * n;
        g = e[j] + t[cj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += t[cj + k] * d[k];
          e[k] += t[cj + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const cj = j * n;
        for (let k = j; k <= i - 1; k++) t[cj + k] -= f * e[k] + g * d[k];
        d[j] = t[cj + i - 1];
        t[cj + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    t[V(n - 1, i)] = t[V(i, i)];
    t[V(i, i)] = 1;
    const h = d[i + 1];
    const ci1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = t[ci1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const cj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += t[ci1 + k] * t[cj + k];
        for (let k = 0; k <= i; k++) t[cj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) t[ci1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = t[V(n - 1, j)];
    t[V(n - 1, j)] = 0;
  }
  t[V(n - 1, n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), rotating the columns of V (JAMA tql2). */
function tql2(t: Float64Array, d: Float64Array, e: Float64Array, n: number): { iterations: number; converged: boolean } {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  const maxIter = 60;
  let iterations = 0;
  let converged = true;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        iterations++;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1;
        const el1 = e[l + 1];
        let s = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const ci = i * n, ci1 = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            h = t[ci1 + k];
            t[ci1 + k] = s * t[ci + k] + c * h;
            t[ci + k] = c * t[ci + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (iter >= maxIter) {
          converged = false;
          break;
        }
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return { iterations, converged };
}

/** Symmetric PSD square root via the eigen-decomposition (negative round-off eigenvalues clipped to 0). */
export function sqrtPsd(a: SymMatrix): SymMatrix {
  const { values, vectors, n } = symmetricEigen(a);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const s = Math.sqrt(Math.max(values[k], 0));
    if (s === 0) continue;
    for (let i = 0; i < n; i++) {
      const vi = s * vectors[k * n + i];
      for (let j = 0; j < n; j++) out[i * n + j] += vi * vectors[k * n + j];
    }
  }
  return { data: out, n };
}

/** C = A·B for square n×n row-major matrices. */
export function matMulSquare(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  assertInteger('n', n, 1);
  assertFiniteArray('a', a);
  assertFiniteArray('b', b);
  if (a.length !== n * n || b.length !== n * n) {
    throw new RangeError(`a and b must hold n² = ${n * n} entries, got ${a.length} and ${b.length}`);
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
    }
  }
  return out;
}
