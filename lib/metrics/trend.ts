/**
 * A power law y = a·x^b fitted by least squares on log y = log a + b·log x (ordinary least squares in log–log
 * coordinates), used to extrapolate learning curves (a gap against training steps) to where they reach a target.
 * The inverse x(t) = (t / a)^(1/b) for a target t is finite only for b ≠ 0; a curve that does not fall (b ≥ 0) never reaches a
 * lower target, and xAt returns null.
 */
import { assertPositive } from '../core/index.js';

export interface PowerLawFit {
  /** a in y = a·x^b. */
  readonly scale: number;
  /** b in y = a·x^b. */
  readonly exponent: number;
  /** Points behind the fit. */
  readonly n: number;
}

/** Least-squares power law through (x_i, y_i), all positive, at least two distinct x. */
export function powerLawFit(x: ArrayLike<number>, y: ArrayLike<number>): PowerLawFit {
  if (!x || typeof x.length !== 'number' || !y || typeof y.length !== 'number') throw new TypeError('x and y must be arrays of numbers');
  if (x.length !== y.length) throw new RangeError(`x and y must have the same length, got ${x.length} and ${y.length}`);
  if (x.length < 2) throw new RangeError(`x must hold at least 2 points, got ${x.length}`);
  const lx: number[] = [], ly: number[] = [];
  for (let i = 0; i < x.length; i++) {
    assertPositive(`x[${i}]`, x[i]);
    assertPositive(`y[${i}]`, y[i]);
    lx.push(Math.log(x[i]));
    ly.push(Math.log(y[i]));
  }
  const n = lx.length;
  const mx = lx.reduce((s, v) => s + v, 0) / n, my = ly.reduce((s, v) => s + v, 0) / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  if (!(sxx > 0)) throw new RangeError('x must hold at least 2 distinct values');
  const exponent = sxy / sxx;
  return { scale: Math.exp(my - exponent * mx), exponent, n };
}

/** The x where the fitted power law reaches the target y (> 0); null when the law does not move towards it (b = 0, or wrong sign). */
export function powerLawXAt(fit: PowerLawFit, target: number): number | null {
  if (!fit || typeof fit !== 'object') throw new TypeError('fit must be a PowerLawFit');
  assertPositive('fit.scale', fit.scale);
  if (typeof fit.exponent !== 'number' || !Number.isFinite(fit.exponent)) throw new RangeError(`fit.exponent must be a finite number, got ${String(fit.exponent)}`);
  assertPositive('target', target);
  if (fit.exponent === 0) return null;
  const x = (target / fit.scale) ** (1 / fit.exponent);
  return Number.isFinite(x) ? x : null;
}
