/**
 * Float64 linear algebra for the hybrid scheme: second-moment matrices, a dense symmetric eigen-solver
 * (Householder tridiagonalisation + implicit QL, the EISPACK tred2/tql2 pair as in JAMA), top-d projections,
 * the hybrid combination x̃ = AᵀA x + (I − AᵀA) x̂, and the Fréchet distance between Gaussian fits.
 * tfjs has no float64 (PLATFORM.md), so all of this is plain TypeScript.
 */
import { assertInteger, assertOneOf } from '../../core/index.js';

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

function rowsOf(name: string, x: ArrayLike<number>, n: number): number {
  assertInteger('n (row length)', n, 1);
  if (x.length % n !== 0) throw new RangeError(`${name}.length (${x.length}) must be a multiple of the row length ${n}`);
  return x.length / n;
}

/**
 * M = (1/N) Σ r rᵀ over the rows r of `rows` (N×n). Uncentred on purpose: x̃ − x = (I − P)(x̂ − x), so the
 * MSE-optimal rank-d projector captures the residual's second moment, mean included.
 */
export function secondMoment(rows: ArrayLike<number>, n: number): SymMatrix {
  const N = rowsOf('rows', rows, n);
  if (N === 0) throw new RangeError('rows must hold at least one row');
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
  const { n } = a;
  assertInteger('a.n', n, 1);
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

export type ProjectionMode = 'per-class' | 'pooled';
export const PROJECTION_MODES: readonly ProjectionMode[] = ['per-class', 'pooled'];

/** Leading principal directions of a set of residuals. */
export interface PrincipalDirections {
  /** Second-moment eigenvalues, descending (length k; 0 for completion directions). */
  readonly values: Float64Array;
  /** k×n, orthonormal rows. */
  readonly vectors: Float64Array;
  readonly k: number;
  /** 'covariance': eigen-decomposition of the n×n second moment; 'gram': of the N×N Gram matrix (N < n). */
  readonly method: 'covariance' | 'gram';
  /** Directions with positive training energy; rows beyond it complete the basis arbitrarily (zero energy). */
  readonly rank: number;
  readonly converged: boolean;
}

/**
 * Top-k eigenvectors of M = (1/N) RᵀR for residual rows R (N×n). With N ≥ n the n×n matrix is decomposed; with
 * N < n the N×N Gram matrix G = (1/N) R Rᵀ is (same non-zero spectrum, v = Rᵀu/√(Nλ)), which is exact and far
 * cheaper for 32×32×3 photos. Directions beyond the rank carry no training energy; they are completed with
 * Gram–Schmidt on the standard basis so that A still has k orthonormal rows.
 */
export function principalDirections(rows: ArrayLike<number>, n: number, k: number): PrincipalDirections {
  const N = rowsOf('rows', rows, n);
  if (N === 0) throw new RangeError('rows must hold at least one row');
  assertInteger('k', k, 0, n);
  if (N >= n) {
    const eig = symmetricEigen(secondMoment(rows, n));
    let rank = 0;
    while (rank < n && eig.values[rank] > 1e-12 * Math.max(eig.values[0], 1e-300)) rank++;
    return { values: eig.values.slice(0, k), vectors: eig.vectors.slice(0, k * n), k, method: 'covariance', rank: Math.min(rank, k), converged: eig.converged };
  }
  const g = new Float64Array(N * N);
  for (let a = 0; a < N; a++) {
    for (let b = a; b < N; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += rows[a * n + i] * rows[b * n + i];
      g[a * N + b] = g[b * N + a] = s / N;
    }
  }
  const eig = symmetricEigen({ data: g, n: N });
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * n);
  let rank = 0;
  const tol = 1e-12 * Math.max(eig.values[0], 1e-300);
  for (; rank < Math.min(k, N) && eig.values[rank] > tol; rank++) {
    values[rank] = eig.values[rank];
    const scale = 1 / Math.sqrt(N * eig.values[rank]);
    const v = vectors.subarray(rank * n, (rank + 1) * n);
    for (let a = 0; a < N; a++) {
      const ua = eig.vectors[rank * N + a] * scale;
      if (ua === 0) continue;
      for (let i = 0; i < n; i++) v[i] += ua * rows[a * n + i];
    }
  }
  completeBasis(vectors, rank, k, n);
  return { values, vectors, k, method: 'gram', rank, converged: eig.converged };
}

/** Fills rows from..k−1 of `v` with unit vectors orthogonal to all earlier rows (two-pass Gram–Schmidt on e_i). */
function completeBasis(v: Float64Array, from: number, k: number, n: number): void {
  let row = from;
  for (let e = 0; e < n && row < k; e++) {
    const c = v.subarray(row * n, (row + 1) * n);
    c.fill(0);
    c[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let r = 0; r < row; r++) {
        const b = v.subarray(r * n, (r + 1) * n);
        let dot = 0;
        for (let i = 0; i < n; i++) dot += b[i] * c[i];
        if (dot !== 0) for (let i = 0; i < n; i++) c[i] -= dot * b[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += c[i] * c[i];
    norm = Math.sqrt(norm);
    if (norm < 0.1) continue; // e_e lies (almost) in the span already
    for (let i = 0; i < n; i++) c[i] /= norm;
    row++;
  }
  if (row < k) throw new Error(`completeBasis: could only build ${row} of ${k} orthonormal rows`);
}

/** Residual principal directions per class ('per-class') or one shared set ('pooled', key −1). */
export interface ResidualBases {
  readonly mode: ProjectionMode;
  readonly n: number;
  /** How many directions were kept: projections exist for d ≤ maxD, and d = n (identity). */
  readonly maxD: number;
  readonly byClass: ReadonlyMap<number, PrincipalDirections>;
  /** Training residuals per key. */
  readonly counts: ReadonlyMap<number, number>;
}

export interface FitProjectionOptions {
  /** N×n originals (training set). */
  readonly x: ArrayLike<number>;
  /** N×n generator outputs for the same rows. */
  readonly xhat: ArrayLike<number>;
  /** N class labels (the transmitted z). */
  readonly labels: ArrayLike<number>;
  readonly n: number;
  readonly mode: ProjectionMode;
  /** Largest d that will be asked for (default n). Smaller values save the basis completion. */
  readonly maxD?: number;
}

function residuals(x: ArrayLike<number>, xhat: ArrayLike<number>, rows: readonly number[], n: number): Float64Array {
  const r = new Float64Array(rows.length * n);
  rows.forEach((s, k) => {
    for (let i = 0; i < n; i++) r[k * n + i] = x[s * n + i] - xhat[s * n + i];
  });
  return r;
}

/** Fits the residual bases once; `projectionFor(bases, z, d)` then reads A off for any d ≤ maxD without refitting. */
export function fitResidualBases(o: FitProjectionOptions): ResidualBases {
  assertOneOf('mode', o.mode, PROJECTION_MODES);
  const N = rowsOf('x', o.x, o.n);
  const maxD = o.maxD ?? o.n;
  assertInteger('maxD', maxD, 0, o.n);
  if (o.xhat.length !== o.x.length) throw new RangeError(`xhat must have the shape of x (${o.x.length} values), got ${o.xhat.length}`);
  if (o.labels.length !== N) throw new RangeError(`labels must hold one label per row (${N}), got ${o.labels.length}`);
  const groups = new Map<number, number[]>();
  for (let s = 0; s < N; s++) {
    if (!Number.isInteger(o.labels[s])) throw new RangeError(`labels[${s}] must be an integer class, got ${o.labels[s]}`);
    const key = o.mode === 'pooled' ? -1 : o.labels[s];
    const g = groups.get(key) ?? [];
    g.push(s);
    groups.set(key, g);
  }
  const byClass = new Map<number, PrincipalDirections>();
  const counts = new Map<number, number>();
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = groups.get(key) as number[];
    byClass.set(key, principalDirections(residuals(o.x, o.xhat, rows, o.n), o.n, maxD));
    counts.set(key, rows.length);
  }
  return { mode: o.mode, n: o.n, maxD, byClass, counts };
}

/** A (d×n, orthonormal rows): the top-d residual directions for class z (d = n: the identity). */
export function projectionFor(bases: ResidualBases, z: number, d: number): Float64Array {
  const { n } = bases;
  assertInteger('d', d, 0, n);
  if (d === n && bases.maxD < n) {
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    return eye;
  }
  if (d > bases.maxD) throw new RangeError(`d must be ≤ maxD = ${bases.maxD} (or = n = ${n}) for these bases, got ${d}`);
  const dirs = bases.byClass.get(bases.mode === 'pooled' ? -1 : z);
  if (!dirs) throw new RangeError(`z = ${z} has no fitted projection (no training residuals of that class)`);
  return dirs.vectors.slice(0, d * n);
}

export interface HybridProjectionOptions extends FitProjectionOptions {
  readonly d: number;
}

/** Top-d residual principal directions: class → A (d×n, orthonormal rows). Pooled: one entry, key −1. */
export function hybridProjection(o: HybridProjectionOptions): Map<number, Float64Array> {
  assertInteger('d', o.d, 0, o.n);
  const bases = fitResidualBases({ ...o, maxD: o.d });
  const out = new Map<number, Float64Array>();
  for (const key of bases.byClass.keys()) out.set(key, projectionFor(bases, key, o.d));
  return out;
}

/**
 * x̃ = AᵀA x + (I − AᵀA) x̂ = x̂ + Aᵀ A (x − x̂) for one image (length n) and A (d×n, orthonormal rows).
 * The receiver knows x̂ and gets y = Ax; A x̂ is computed there, so only y crosses the classical link.
 */
export function combine(x: ArrayLike<number>, xhat: ArrayLike<number>, a: ArrayLike<number>, n = x.length): Float64Array {
  if (x.length !== n || xhat.length !== n) throw new RangeError(`x and xhat must have length n = ${n}, got ${x.length} and ${xhat.length}`);
  if (a.length % n !== 0) throw new RangeError(`a.length (${a.length}) must be d·n for n = ${n}`);
  const d = a.length / n;
  const out = Float64Array.from(xhat);
  for (let k = 0; k < d; k++) {
    let c = 0;
    for (let i = 0; i < n; i++) c += a[k * n + i] * (x[i] - xhat[i]);
    for (let i = 0; i < n; i++) out[i] += c * a[k * n + i];
  }
  return out;
}

/** Mean and covariance (1/N) of N×n rows. */
export function gaussianFit(rows: ArrayLike<number>, n: number): { mean: Float64Array; cov: SymMatrix } {
  const N = rowsOf('rows', rows, n);
  if (N < 2) throw new RangeError(`rows must hold at least 2 rows for a covariance, got ${N}`);
  const mean = new Float64Array(n);
  for (let s = 0; s < N; s++) for (let i = 0; i < n; i++) mean[i] += rows[s * n + i] / N;
  const centred = new Float64Array(N * n);
  for (let s = 0; s < N; s++) for (let i = 0; i < n; i++) centred[s * n + i] = rows[s * n + i] - mean[i];
  return { mean, cov: secondMoment(centred, n) };
}

/** Symmetric PSD square root via the eigen-decomposition (negative round-off eigenvalues clipped to 0). */
function sqrtPsd(a: SymMatrix): SymMatrix {
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

function matMulSquare(a: Float64Array, b: Float64Array, n: number): Float64Array {
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

/**
 * Fréchet (2-Wasserstein²) distance between N(μ1, Σ1) and N(μ2, Σ2):
 * ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1^{½} Σ2 Σ1^{½})^{½}.
 */
export function frechetDistance(m1: Float64Array, c1: SymMatrix, m2: Float64Array, c2: SymMatrix): number {
  const n = m1.length;
  if (m2.length !== n || c1.n !== n || c2.n !== n) throw new RangeError(`means and covariances must share the dimension ${n}`);
  let dist = 0;
  for (let i = 0; i < n; i++) dist += (m1[i] - m2[i]) ** 2 + c1.data[i * n + i] + c2.data[i * n + i];
  const s1 = sqrtPsd(c1);
  const mid = matMulSquare(matMulSquare(s1.data, c2.data, n), s1.data, n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) mid[i * n + j] = mid[j * n + i] = (mid[i * n + j] + mid[j * n + i]) / 2;
  const { values } = symmetricEigen({ data: mid, n });
  for (const v of values) dist -= 2 * Math.sqrt(Math.max(v, 0));
  return Math.max(dist, 0);
}

/**
 * Per-pixel-statistics distance: the Fréchet distance between diagonal Gaussian fits, averaged per pixel,
 * (1/n) Σ_i (μ1i − μ2i)² + (σ1i − σ2i)². Cheap for any n; blind to correlations between pixels.
 */
export function pixelStatsDistance(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  const na = rowsOf('a', a, n);
  const nb = rowsOf('b', b, n);
  if (na < 2 || nb < 2) throw new RangeError('a and b must hold at least 2 rows each');
  const stats = (x: ArrayLike<number>, N: number) => {
    const m = new Float64Array(n);
    const s = new Float64Array(n);
    for (let r = 0; r < N; r++) for (let i = 0; i < n; i++) m[i] += x[r * n + i] / N;
    for (let r = 0; r < N; r++) for (let i = 0; i < n; i++) s[i] += (x[r * n + i] - m[i]) ** 2 / N;
    return { m, s };
  };
  const A = stats(a, na), B = stats(b, nb);
  let dist = 0;
  for (let i = 0; i < n; i++) dist += (A.m[i] - B.m[i]) ** 2 + (Math.sqrt(A.s[i]) - Math.sqrt(B.s[i])) ** 2;
  return dist / n;
}
