/**
 * The classical link of the hybrid scheme (§V-B, eqs. (35)–(38)): the MSE-optimal rank-d A spans the top-d
 * principal directions of the residual x − x̂ (per class z or pooled), and the receiver forms
 * x̃ = AᵀA x + (I − AᵀA) x̂ (A has orthonormal rows, so A† = Aᵀ). Equations: docs/papers/zepe.md#hybrid-link.
 */
import { assertInteger, assertOneOf } from '../../core/index.js';
import { rowCount, secondMoment, symmetricEigen } from '../../core/linalg.js';

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
  const N = rowCount('rows', rows, n);
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
  const N = rowCount('x', o.x, o.n);
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
