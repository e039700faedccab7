/** Complex baseband signals as two parallel Float64Arrays (structure of arrays: fast, typed). */
import { assertSize, describe } from '../core/index.js';

export interface ComplexArray {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** n zero symbols (n ≤ MAX_ELEMENTS). */
export function complexZeros(n: number): ComplexArray {
  assertSize('n', n);
  return { re: new Float64Array(n), im: new Float64Array(n) };
}

/** Throws unless `x` is a ComplexArray with equal, finite-valued parts. */
export function assertComplex(name: string, x: unknown): asserts x is ComplexArray {
  const c = x as ComplexArray | null | undefined;
  if (!c || !(c.re instanceof Float64Array) || !(c.im instanceof Float64Array)) {
    throw new TypeError(`${name} must be { re: Float64Array, im: Float64Array }, got ${describe(x)}`);
  }
  if (c.re.length !== c.im.length) {
    throw new RangeError(`${name}.re and ${name}.im must have equal lengths, got ${c.re.length} and ${c.im.length}`);
  }
  for (let i = 0; i < c.re.length; i++) {
    if (!Number.isFinite(c.re[i]) || !Number.isFinite(c.im[i])) {
      throw new RangeError(`${name} must hold finite values, got ${c.re[i]} + ${c.im[i]}i at ${name}[${i}]`);
    }
  }
}

/** Mean of |x_i|² (0 for an empty signal). */
export function averagePower(x: ComplexArray): number {
  assertComplex('x', x);
  const n = x.re.length;
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += x.re[i] * x.re[i] + x.im[i] * x.im[i];
  return s / n;
}

/** Copy of x scaled to unit average power per complex symbol (mean |x|² = 1). */
export function normalizePower(x: ComplexArray): ComplexArray {
  const p = averagePower(x);
  if (!(p > 0)) throw new RangeError('x must have non-zero average power to be normalised');
  const g = 1 / Math.sqrt(p);
  const re = new Float64Array(x.re.length);
  const im = new Float64Array(x.im.length);
  for (let i = 0; i < re.length; i++) {
    re[i] = x.re[i] * g;
    im[i] = x.im[i] * g;
  }
  return { re, im };
}
