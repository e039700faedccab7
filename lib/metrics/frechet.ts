/**
 * Distances between two sets of samples through Gaussian fits:
 * - the Fréchet (2-Wasserstein²) distance between N(μ1, Σ1) and N(μ2, Σ2) (Dowson & Landau 1982),
 *   ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1^{½} Σ2 Σ1^{½})^{½} — computed on a network's features it is the
 *   construction behind FID (Heusel et al. 2017); on other features it is only "a Fréchet distance";
 * - a per-pixel-statistics distance (diagonal Gaussians, averaged per coordinate);
 * - bootstrap intervals over the sample items for a Fréchet distance to a fixed reference, and the paired bootstrap
 *   of the difference of two such distances computed on the same items (one index draw for both).
 *
 * The intervals are normal bootstrap intervals, value ± 1.96·sd(θ*) (Efron & Tibshirani 1993, §13.2), not
 * percentile ones: the plug-in Fréchet distance is biased upward at finite N (the estimated covariances carry
 * noise; Chong & Forsyth, CVPR 2020, for FID), and a resample with duplicated items has a smaller effective N, so
 * the resampled distances sit above the estimate and a percentile interval can miss the estimate itself. The
 * standard error is what the resamples measure well; the interval covers the sampling spread of the evaluated
 * items, not the estimator's bias (compare distances computed on equally many items — their biases are alike).
 */
import { MAX_ELEMENTS, MAX_SEED, Rng, assertFiniteArray, assertInteger, assertObject,
  describe } from '../core/index.js';
import { matMulSquare, rowCount, secondMoment, sqrtPsd, symmetricEigen, type SymMatrix } from '../core/linalg.js';
import type { Estimate } from './bootstrap.js';

/** Largest dimension n of a Fréchet distance (an n×n covariance and its eigen-decomposition): 4096. */
export const MAX_FRECHET_DIM = 4096;

/** Rows N of an N×n sample set, checked: n in 1..MAX_FRECHET_DIM, N ≥ 2, every entry finite. */
function sampleRows(name: string, rows: ArrayLike<number>, n: number): number {
  assertInteger('n', n, 1, MAX_FRECHET_DIM);
  const N = rowCount(name, rows, n);
  if (N < 2) throw new RangeError(`${name} must hold at least 2 rows for a covariance, got ${N}`);
  assertFiniteArray(name, rows);
  return N;
}

/** A symmetric n×n matrix { data, n } with finite entries. */
function checkSym(name: string, c: unknown, n: number): asserts c is SymMatrix {
  assertObject(name, c);
  const m = c as SymMatrix;
  if (m.n !== n) throw new RangeError(`${name}.n must be ${n} (the dimension of the means), got ${describe(m.n)}`);
  assertFiniteArray(`${name}.data`, m.data);
  if (m.data.length !== n * n) {
    throw new RangeError(`${name}.data must hold n² = ${n * n} entries, got ${m.data.length}`);
  }
}

function checkReference(ref: unknown, n: number): asserts ref is FrechetReference {
  assertObject('ref', ref);
  const r = ref as FrechetReference;
  assertFiniteArray('ref.mean', r.mean);
  if (r.mean.length !== n) throw new RangeError(`ref.mean has dimension ${r.mean.length}, which differs from n = ${n}`);
  checkSym('ref.cov', r.cov, n);
  checkSym('ref.root', r.root, n);
}

/** Mean and covariance (1/N) of N×n rows. */
export function gaussianFit(rows: ArrayLike<number>, n: number): { mean: Float64Array; cov: SymMatrix } {
  const N = sampleRows('rows', rows, n);
  const mean = new Float64Array(n);
  for (let s = 0; s < N; s++) for (let i = 0; i < n; i++) mean[i] += rows[s * n + i] / N;
  const centred = new Float64Array(N * n);
  for (let s = 0; s < N; s++) for (let i = 0; i < n; i++) centred[s * n + i] = rows[s * n + i] - mean[i];
  return { mean, cov: secondMoment(centred, n) };
}

/**
 * Fréchet (2-Wasserstein²) distance between N(μ1, Σ1) and N(μ2, Σ2):
 * ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1^{½} Σ2 Σ1^{½})^{½}.
 */
export function frechetDistance(m1: Float64Array, c1: SymMatrix, m2: Float64Array, c2: SymMatrix): number {
  assertFiniteArray('m1', m1);
  const n = m1.length;
  assertInteger('m1.length', n, 1, MAX_FRECHET_DIM);
  assertFiniteArray('m2', m2);
  if (m2.length !== n) throw new RangeError(`m2 must have the dimension of m1 (${n}), got ${m2.length}`);
  checkSym('c1', c1, n);
  checkSym('c2', c2, n);
  return frechetWithRoot(m1, c1, { mean: m2, cov: c2, root: sqrtPsd(c2) });
}

/** A fixed reference Gaussian with its covariance square root precomputed (for many distances to it). */
export interface FrechetReference {
  readonly mean: Float64Array;
  readonly cov: SymMatrix;
  /** Σ_ref^{½}. */
  readonly root: SymMatrix;
}

/** The reference fit of N×n rows (mean, covariance and its square root). */
export function frechetReference(rows: ArrayLike<number>, n: number): FrechetReference {
  const { mean, cov } = gaussianFit(rows, n);
  return { mean, cov, root: sqrtPsd(cov) };
}

/** Fréchet distance of N(m, c) to the reference (tr (Σ^{½} Σ_r Σ^{½})^{½} = tr (Σ_r^{½} Σ Σ_r^{½})^{½}). */
function frechetWithRoot(m: Float64Array, c: SymMatrix, ref: FrechetReference): number {
  const n = m.length;
  let dist = 0;
  for (let i = 0; i < n; i++) dist += (m[i] - ref.mean[i]) ** 2 + c.data[i * n + i] + ref.cov.data[i * n + i];
  const mid = matMulSquare(matMulSquare(ref.root.data, c.data, n), ref.root.data, n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) mid[i * n + j] = mid[j * n + i] = (mid[i * n + j] + mid[j * n + i]) / 2;
  const { values } = symmetricEigen({ data: mid, n });
  for (const v of values) dist -= 2 * Math.sqrt(Math.max(v, 0));
  return Math.max(dist, 0);
}

/** Fréchet distance between the Gaussian fit of N×n rows and a reference. */
export function frechetToReference(rows: ArrayLike<number>, n: number, ref: FrechetReference): number {
  sampleRows('rows', rows, n);
  checkReference(ref, n);
  const { mean, cov } = gaussianFit(rows, n);
  return frechetWithRoot(mean, cov, ref);
}

/** Mean and covariance of the rows weighted by resampling counts (Σ counts = N). */
function weightedFit(rows: ArrayLike<number>, n: number, counts: Uint32Array, total: number): { mean: Float64Array; cov: SymMatrix } {
  const mean = new Float64Array(n);
  const N = counts.length;
  for (let s = 0; s < N; s++) {
    const c = counts[s];
    if (c !== 0) for (let i = 0; i < n; i++) mean[i] += (c * rows[s * n + i]) / total;
  }
  const cov = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (let s = 0; s < N; s++) {
    const c = counts[s];
    if (c === 0) continue;
    for (let i = 0; i < n; i++) r[i] = rows[s * n + i] - mean[i];
    for (let i = 0; i < n; i++) {
      const ri = c * r[i];
      if (ri === 0) continue;
      const off = i * n;
      for (let j = i; j < n; j++) cov[off + j] += ri * r[j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) cov[j * n + i] = cov[i * n + j] = cov[i * n + j] / total;
  return { mean, cov: { data: cov, n } };
}

export interface FrechetBootstrapOptions {
  /** Resamples B (default 100; each costs one n×n eigen-decomposition per set). */
  readonly resamples?: number;
  readonly seed?: number;
  /**
   * pairedFrechetBootstrap only: the weight w of the second distance, which estimates Fréchet(a) − w·Fréchet(b)
   * (default 1). With b the real items themselves, w = 2 asks whether a's excess over b is below b's own level.
   */
  readonly weightB?: number;
}

/** z of the two-sided 95 % normal interval. */
const Z95 = 1.959963984540054;

function bootstrapSettings(o: FrechetBootstrapOptions): { b: number; rng: Rng } {
  assertObject('options', o);
  const b = o.resamples ?? 100;
  assertInteger('resamples', b, 20, 100_000);
  const seed = o.seed ?? 1;
  assertInteger('seed', seed, 0, MAX_SEED);
  return { b, rng: new Rng(seed) };
}

/** value ± 1.96 · (standard deviation of the resampled statistics). */
function normalInterval(value: number, stats: Float64Array): [number, number] {
  let m = 0;
  for (const v of stats) m += v / stats.length;
  let ss = 0;
  for (const v of stats) ss += (v - m) ** 2;
  const half = Z95 * Math.sqrt(ss / (stats.length - 1));
  return [value - half, value + half];
}

/**
 * Fréchet distance of the rows' Gaussian fit to a fixed reference, with a 95 % normal bootstrap interval over the
 * rows (the reference set is held fixed: the interval covers the sampling of the evaluated items only).
 */
export function frechetBootstrap(rows: ArrayLike<number>, n: number, ref: FrechetReference, options: FrechetBootstrapOptions = {}): Estimate {
  const N = sampleRows('rows', rows, n);
  checkReference(ref, n);
  const { b, rng } = bootstrapSettings(options);
  const stats = new Float64Array(b);
  const counts = new Uint32Array(N);
  for (let r = 0; r < b; r++) {
    counts.fill(0);
    for (let k = 0; k < N; k++) counts[rng.int(N)]++;
    const fit = weightedFit(rows, n, counts, N);
    stats[r] = frechetWithRoot(fit.mean, fit.cov, ref);
  }
  const value = frechetToReference(rows, n, ref);
  return { value, ci95: normalInterval(value, stats), n: N, method: `normal bootstrap interval over ${N} items (reference fixed), B = ${b}` };
}

/**
 * Fréchet(a) − Fréchet(b) to the same reference, where row k of a and row k of b come from the same test item,
 * with the paired 95 % normal bootstrap interval (one index draw resamples both sets).
 */
export function pairedFrechetBootstrap(
  a: ArrayLike<number>, b: ArrayLike<number>, n: number, ref: FrechetReference, options: FrechetBootstrapOptions = {},
): Estimate {
  const N = sampleRows('a', a, n);
  if (sampleRows('b', b, n) !== N) throw new RangeError('a and b must hold the same items (same number of rows)');
  checkReference(ref, n);
  const { b: B, rng } = bootstrapSettings(options);
  const w = options.weightB ?? 1;
  if (typeof w !== 'number' || !Number.isFinite(w)) throw new RangeError(`weightB must be a finite number, got ${String(w)}`);
  const stats = new Float64Array(B);
  const counts = new Uint32Array(N);
  for (let r = 0; r < B; r++) {
    counts.fill(0);
    for (let k = 0; k < N; k++) counts[rng.int(N)]++;
    const fa = weightedFit(a, n, counts, N);
    const fb = weightedFit(b, n, counts, N);
    stats[r] = frechetWithRoot(fa.mean, fa.cov, ref) - w * frechetWithRoot(fb.mean, fb.cov, ref);
  }
  const value = frechetToReference(a, n, ref) - w * frechetToReference(b, n, ref);
  const what = w === 1 ? '' : ` (Fréchet(a) − ${w}·Fréchet(b))`;
  return { value, ci95: normalInterval(value, stats), n: N, method: `paired normal bootstrap interval${what} over ${N} items (reference fixed), B = ${B}` };
}

/**
 * Per-pixel-statistics distance: the Fréchet distance between diagonal Gaussian fits, averaged per pixel,
 * (1/n) Σ_i (μ1i − μ2i)² + (σ1i − σ2i)². Cheap for any n; blind to correlations between pixels.
 */
export function pixelStatsDistance(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  assertInteger('n', n, 1, MAX_ELEMENTS);
  const na = rowCount('a', a, n);
  const nb = rowCount('b', b, n);
  if (na < 2 || nb < 2) throw new RangeError('a and b must hold at least 2 rows each');
  assertFiniteArray('a', a);
  assertFiniteArray('b', b);
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
