/**
 * Dense row-major matrices and the argument checks shared by the information-theory solvers.
 * Every check throws a RangeError naming the argument, so bad input never turns into a NaN rate.
 */
import { toProbabilityVector, assertPositive, describe, optionalInteger } from '../core/index.js';

/** Row-major dense matrix: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** A distortion (or probability) matrix: `number[][]` (rows = source letters x) or a DenseMatrix. */
export type DistortionMatrix = readonly (readonly number[])[] | DenseMatrix;

/** Probability vectors are accepted as plain arrays or typed arrays. */
export type ProbabilityVector = ArrayLike<number>;

function isDense(m: unknown): m is DenseMatrix {
  return typeof m === 'object' && m !== null && (m as DenseMatrix).data instanceof Float64Array;
}

/** Copy any accepted matrix form into a fresh DenseMatrix with finite entries (checked). */
export function toDenseMatrix(name: string, m: DistortionMatrix): DenseMatrix {
  if (typeof name !== 'string') {
    throw new TypeError(`name must be the argument's name (a string), got ${describe(name)}`);
  }
  if (isDense(m)) {
    const { rows, cols, data } = m;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || data.length !== rows * cols) {
      throw new RangeError(`${name} must have integer rows, cols >= 1 and data.length = rows*cols`);
    }
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new RangeError(`${name}[${Math.floor(i / cols)}][${i % cols}] must be finite, got ${data[i]}`);
      }
    }
    return { rows, cols, data: Float64Array.from(data) };
  }
  if (!Array.isArray(m) || m.length === 0) {
    throw new TypeError(`${name} must be a non-empty number[][] or {data, rows, cols}, got ${describe(m)}`);
  }
  const rows = m.length;
  const cols = Array.isArray(m[0]) ? m[0].length : 0;
  if (cols === 0) throw new RangeError(`${name} must have non-empty rows`);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = m[i];
    if (!Array.isArray(r) || r.length !== cols) throw new RangeError(`${name}[${i}] must have length ${cols}`);
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${name}[${i}][${j}] must be finite, got ${String(v)}`);
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/** A distortion matrix: finite, >= 0, with `rows` matching the source alphabet. */
export function toDistortion(name: string, m: DistortionMatrix, rows: number, square = false): DenseMatrix {
  const d = toDenseMatrix(name, m);
  if (d.rows !== rows) throw new RangeError(`${name} must have ${rows} rows (one per source letter), has ${d.rows}`);
  if (square && d.cols !== d.rows) throw new RangeError(`${name} must be square (Y = X), is ${d.rows}x${d.cols}`);
  for (let i = 0; i < d.data.length; i++) {
    if (d.data[i] < 0) throw new RangeError(`${name}[${Math.floor(i / d.cols)}][${i % d.cols}] must be >= 0, got ${d.data[i]}`);
  }
  return d;
}

export function toProb(name: string, p: ProbabilityVector): Float64Array {
  return toProbabilityVector(name, p, 1e-9);
}

/** A row-stochastic matrix (each row a probability vector within 1e-9). */
export function toStochastic(name: string, m: DistortionMatrix): DenseMatrix {
  const s = toDenseMatrix(name, m);
  for (let i = 0; i < s.rows; i++) {
    let sum = 0;
    for (let j = 0; j < s.cols; j++) {
      const v = s.data[i * s.cols + j];
      if (v < 0) throw new RangeError(`${name}[${i}][${j}] must be a probability >= 0, got ${v}`);
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`${name}[${i}] must sum to 1 (within 1e-9), sums to ${sum}`);
  }
  return s;
}

export function checkPositive(name: string, v: unknown): number {
  assertPositive(name, v);
  return v as number;
}

/** The most iterations one solve may run (maxIters). */
export const MAX_SOLVER_ITERATIONS = 10_000_000;

/** The most points one curve may ask for (points, or explicit betas / lambdas). */
export const MAX_CURVE_POINTS = 10_000;

/** Optional integer in min..max with a default. */
export function optInt(name: string, v: unknown, dflt: number, min: number, max: number): number {
  return optionalInteger(name, v, dflt, min, max);
}

/** Explicit slopes or multipliers: a non-empty array of at most MAX_CURVE_POINTS numbers > 0. */
export function checkParams(name: string, v: unknown): readonly number[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new RangeError(`${name} must be a non-empty array of numbers > 0, got ${describe(v)}`);
  }
  if (v.length > MAX_CURVE_POINTS) {
    throw new RangeError(`${name} must hold at most ${MAX_CURVE_POINTS} values, got ${v.length}`);
  }
  v.forEach((b, i) => assertPositive(`${name}[${i}]`, b));
  return v as readonly number[];
}

/** A target distortion: a finite number >= 0. */
export function checkTarget(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`targetDistortion must be a finite number >= 0, got ${describe(v)}`);
  }
  return v;
}

/** Optional positive tolerance with a default. */
export function optTol(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  assertPositive(name, v);
  return v as number;
}

/**
 * Solve A x = b for a small dense n×n system (row-major `a`, overwritten; `b` overwritten with x) by Gaussian
 * elimination with partial pivoting. Returns false when a pivot is below 1e-300 (singular to working precision).
 * For the solvers' Newton steps (a few dozen unknowns); not a general-purpose linear-algebra routine.
 */
export function solveDense(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let k = 0; k < n; k++) {
    let piv = k, best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) { best = v; piv = i; }
    }
    if (!(best > 1e-300)) return false;
    if (piv !== k) {
      for (let j = 0; j < n; j++) { const t = a[k * n + j]; a[k * n + j] = a[piv * n + j]; a[piv * n + j] = t; }
      const t = b[k]; b[k] = b[piv]; b[piv] = t;
    }
    const akk = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / akk;
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < n; j++) s -= a[k * n + j] * b[j];
    b[k] = s / a[k * n + k];
  }
  return true;
}
