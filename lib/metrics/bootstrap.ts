/**
 * Uncertainty of the numbers the claims compare: percentile bootstrap over test items, a paired bootstrap for the
 * difference (or relative gain) of two methods scored on the same items, and the exact (Clopper–Pearson) binomial
 * interval for accuracies.
 *
 * Percentile bootstrap (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13): draw n items with
 * replacement B times, compute the statistic on each draw, and take the 2.5 % and 97.5 % quantiles of the B values
 * (linear interpolation between order statistics, numpy's default "linear" method).
 *
 * Paired bootstrap: the two methods' scores a_i, b_i of item i are resampled together (one index draw for both), so
 * the interval of mean(a) − mean(b) reflects the per-item correlation — two methods that differ by 0.05 dB on every
 * image are decidably different even when each mean has a ±0.5 dB interval.
 *
 * Clopper–Pearson (Biometrika 26, 1934): the 95 % interval [lo, hi] of a binomial proportion with k successes in n
 * trials solves P(X ≥ k | lo) = 0.025 and P(X ≤ k | hi) = 0.025 (lo = 0 when k = 0, hi = 1 when k = n). Solved here
 * by bisection on the binomial tail summed in log space, exact to 1e-12 in p.
 */
import { MAX_SEED, Rng, assertFiniteNumber, assertInteger, assertInRange, assertObject, assertPositive, assertString,
  describe, isNumericArray } from '../core/index.js';

export interface BootstrapOptions {
  /** Resamples B (default 2000; at least 100, at most 1e6). */
  readonly resamples?: number;
  /** Seed of the resampling stream (default 1); the same seed and data give the same interval. */
  readonly seed?: number;
  /** Coverage of the interval (default 0.95). */
  readonly level?: number;
}

/** A number with its interval: what every compared number in a claim carries. */
export interface Estimate {
  /** The statistic on the full sample. */
  readonly value: number;
  /** Interval at `level` (lower, upper). */
  readonly ci95: readonly [number, number];
  /** Number of test items (images, digits, patches) behind it. */
  readonly n: number;
  /** How the interval was made, e.g. "percentile bootstrap, B = 2000" or "exact binomial (Clopper–Pearson)". */
  readonly method: string;
}

const MAX_RESAMPLES = 1_000_000;

function finiteArray(name: string, x: unknown): ArrayLike<number> {
  if (!isNumericArray(x)) throw new TypeError(`${name} must be an array of finite numbers, got ${describe(x)}`);
  const a = x as ArrayLike<number>;
  if (a.length < 2) throw new RangeError(`${name} must hold at least 2 values to resample, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) throw new RangeError(`${name}[${i}] must be a finite number, got ${String(a[i])}`);
  }
  return a;
}

function settings(o: BootstrapOptions): { b: number; rng: Rng; level: number } {
  assertObject('options', o);
  const b = o.resamples ?? 2000;
  assertInteger('resamples', b, 100, MAX_RESAMPLES);
  const seed = o.seed ?? 1;
  assertInteger('seed', seed, 0, MAX_SEED);
  const level = o.level ?? 0.95;
  assertInRange('level', level, 0.5, 0.999);
  return { b, rng: new Rng(seed), level };
}

/** Quantile q of sorted values (linear interpolation between order statistics, numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  assertInRange('q', q, 0, 1);
  if (!isNumericArray(sorted)) {
    throw new TypeError(`sorted must be an array of numbers in ascending order, got ${describe(sorted)}`);
  }
  const n = sorted.length;
  if (n === 0) throw new RangeError('sorted must be non-empty');
  for (let i = 0; i < n; i++) {
    if (typeof sorted[i] !== 'number' || Number.isNaN(sorted[i])) {
      throw new RangeError(`sorted[${i}] must be a number, got ${describe(sorted[i])}`);
    }
    if (i > 0 && sorted[i] < sorted[i - 1]) {
      throw new RangeError(`sorted must be in ascending order: sorted[${i}] = ${sorted[i]} < sorted[${i - 1}]`);
    }
  }
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function sumOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function percentile(stats: Float64Array, level: number): [number, number] {
  stats.sort();
  const tail = (1 - level) / 2;
  return [quantileSorted(stats, tail), quantileSorted(stats, 1 - tail)];
}

/** Mean of `values` with its percentile-bootstrap interval over the items. */
export function bootstrapMean(values: ArrayLike<number>, options: BootstrapOptions = {}): Estimate {
  const x = finiteArray('values', values);
  const { b, rng, level } = settings(options);
  const n = x.length;
  const stats = new Float64Array(b);
  for (let r = 0; r < b; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[rng.int(n)];
    stats[r] = s / n;
  }
  return { value: sumOf(x) / n, ci95: percentile(stats, level), n, method: `percentile bootstrap over ${n} items, B = ${b}` };
}

export type PairedStatistic = 'difference' | 'relative-gain';

export interface PairedBootstrapOptions extends BootstrapOptions {
  /**
   * 'difference' (default): mean(a) − mean(b). 'relative-gain': mean(a) / mean(b) − 1 (e.g. "A's PSNR is 24 % above
   * B's"; mean(b) must stay positive).
   */
  readonly statistic?: PairedStatistic;
}

/** mean(a) − mean(b) (or the relative gain) over items scored by both methods, with the paired-bootstrap interval. */
export function pairedBootstrap(a: ArrayLike<number>, b: ArrayLike<number>, options: PairedBootstrapOptions = {}): Estimate {
  const x = finiteArray('a', a);
  const y = finiteArray('b', b);
  if (x.length !== y.length) throw new RangeError(`a and b must score the same items (same length), got ${x.length} and ${y.length}`);
  assertObject('options', options);
  const statistic = options.statistic ?? 'difference';
  if (statistic !== 'difference' && statistic !== 'relative-gain') {
    throw new RangeError(`statistic must be 'difference' or 'relative-gain', got ${JSON.stringify(statistic)}`);
  }
  const { b: nb, rng, level } = settings(options);
  const n = x.length;
  const stat = (sa: number, sb: number): number => (statistic === 'difference' ? (sa - sb) / n : sa / sb - 1);
  const sb0 = sumOf(y);
  if (statistic === 'relative-gain' && !(sb0 > 0)) throw new RangeError('b must have a positive mean for a relative gain');
  const stats = new Float64Array(nb);
  for (let r = 0; r < nb; r++) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      const k = rng.int(n);
      sa += x[k];
      sb += y[k];
    }
    stats[r] = stat(sa, sb);
  }
  if (!stats.every(Number.isFinite)) throw new RangeError('b resampled to a zero mean: a relative gain is undefined here');
  return {
    value: stat(sumOf(x), sb0),
    ci95: percentile(stats, level),
    n,
    method: `paired percentile bootstrap (${statistic}) over ${n} items, B = ${nb}`,
  };
}

// ---- exact binomial interval ----

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error < 1e-14 on x ≥ 0.5). */
export function logGamma(x: number): number {
  assertPositive('x', x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

function logBinomPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** Largest n of binomialCdf and exactBinomialInterval (the cdf sums n + 1 terms). */
export const MAX_BINOMIAL_N = 1e7;

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space from the mode outwards. */
export function binomialCdf(k: number, n: number, p: number): number {
  assertInteger('n', n, 0, MAX_BINOMIAL_N);
  assertInteger('k', k, -1, n);
  assertInRange('p', p, 0, 1);
  if (k < 0) return 0;
  if (k >= n) return 1;
  // Sum the smaller tail directly (terms relative to the largest, for stability).
  const lower: number[] = [];
  for (let i = 0; i <= k; i++) lower.push(logBinomPmf(i, n, p));
  const upper: number[] = [];
  for (let i = k + 1; i <= n; i++) upper.push(logBinomPmf(i, n, p));
  const lse = (v: number[]): number => {
    const m = Math.max(...v);
    if (m === -Infinity) return -Infinity;
    let s = 0;
    for (const x of v) s += Math.exp(x - m);
    return m + Math.log(s);
  };
  const lo = lse(lower);
  const hi = lse(upper);
  const m = Math.max(lo, hi);
  return Math.exp(lo - m) / (Math.exp(lo - m) + Math.exp(hi - m));
}

function bisect(f: (p: number) => number, target: number, increasing: boolean): number {
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    const v = f(mid);
    if ((v < target) === increasing) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Accuracy k/n with the exact (Clopper–Pearson) interval at `level` (default 0.95). */
export function exactBinomialInterval(k: number, n: number, level = 0.95): Estimate {
  assertInteger('n', n, 1, MAX_BINOMIAL_N);
  assertInteger('k', k, 0, n);
  assertInRange('level', level, 0.5, 0.999);
  const a = (1 - level) / 2;
  // lo: P(X ≥ k | p) = a, i.e. 1 − cdf(k − 1) = a; increasing in p.
  const lo = k === 0 ? 0 : bisect((p) => 1 - binomialCdf(k - 1, n, p), a, true);
  // hi: P(X ≤ k | p) = a; decreasing in p.
  const hi = k === n ? 1 : bisect((p) => binomialCdf(k, n, p), a, false);
  return { value: k / n, ci95: [lo, hi], n, method: `exact binomial (Clopper–Pearson), n = ${n}` };
}

/** An estimate from a value and a known symmetric half-width (e.g. a Monte-Carlo standard error × 1.96). */
export function estimateFromHalfWidth(value: number, halfWidth: number, n: number, method: string): Estimate {
  assertFiniteNumber('value', value);
  assertFiniteNumber('halfWidth', halfWidth);
  if (halfWidth < 0) throw new RangeError(`halfWidth must be >= 0, got ${halfWidth}`);
  assertInteger('n', n, 1, Number.MAX_SAFE_INTEGER);
  assertString('method', method);
  if (method === '') throw new TypeError('method must name how the interval was made');
  return { value, ci95: [value - halfWidth, value + halfWidth], n, method };
}
