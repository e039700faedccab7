/**
 * Learning-curve extrapolation, two models:
 * - the plain power law y = a·x^b, fitted by ordinary least squares in log–log coordinates (powerLawFit), with its
 *   inverse x(t) = (t / a)^(1/b) (powerLawXAt: where a falling gap reaches a target; null when b = 0 or x overflows);
 * - a least-squares fit of the saturating power law
 *   y(x) = a − b·x^(−c),  c > 0,
 * (the usual form of learning curves against training time x; a is the asymptote) and the ordinary least-squares
 * slope of the last points. For fixed c the model is linear in (a, b), solved in closed form; c is found by a
 * log-spaced grid over [cMin, cMax] followed by golden-section refinement of the residual sum of squares in log c.
 * An extrapolation far beyond the data is a statement about this model, not about the learner: state it as such.
 */
import { assertFiniteArray, assertObject, assertPositive } from '../core/index.js';

export interface SaturatingFit {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Residual sum of squares at (a, b, c). */
  readonly sse: number;
  /** a − b·x^(−c). */
  predict(x: number): number;
}

export interface SaturatingFitOptions {
  /** Search range of the exponent c (default 0.02 … 4). */
  readonly cMin?: number;
  readonly cMax?: number;
}

function checkXY(x: unknown, y: unknown, min: number): asserts x is ArrayLike<number> {
  assertFiniteArray('x', x, min);
  assertFiniteArray('y', y, min);
  if (x.length !== (y as ArrayLike<number>).length) throw new RangeError(`x and y must have the same length, got ${x.length} and ${(y as ArrayLike<number>).length}`);
}

/** Closed-form (a, b, sse) for a fixed c; null when the regressor x^(−c) is constant over the data. */
function fixedC(x: ArrayLike<number>, y: ArrayLike<number>, c: number): { a: number; b: number; sse: number } | null {
  const n = x.length;
  let mu = 0;
  let my = 0;
  for (let i = 0; i < n; i++) { mu += x[i] ** -c; my += y[i]; }
  mu /= n;
  my /= n;
  let suu = 0;
  let suy = 0;
  for (let i = 0; i < n; i++) { const u = x[i] ** -c - mu; suu += u * u; suy += u * (y[i] - my); }
  if (!(suu > 1e-300)) return null;
  const slope = suy / suu; // y = a + slope·u  ⇒ b = −slope
  const a = my - slope * mu;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - a - slope * x[i] ** -c) ** 2;
  return { a, b: -slope, sse };
}

/** Least-squares fit of y = a − b·x^(−c) to points with x > 0 (at least 3 points, at least 2 distinct x). */
export function fitSaturating(x: ArrayLike<number>, y: ArrayLike<number>, options: SaturatingFitOptions = {}): SaturatingFit {
  checkXY(x, y, 3);
  assertObject('options', options);
  const cMin = options.cMin ?? 0.02;
  const cMax = options.cMax ?? 4;
  assertPositive('cMin', cMin);
  assertPositive('cMax', cMax);
  if (!(cMax > cMin)) throw new RangeError(`cMax must exceed cMin, got ${cMin} … ${cMax}`);
  for (let i = 0; i < x.length; i++) if (!(x[i] > 0)) throw new RangeError(`x[${i}] must be > 0 (x^(−c) is undefined at 0), got ${x[i]}`);
  let distinct = false;
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) distinct = true;
  if (!distinct) throw new RangeError('x must hold at least two distinct values');
  const sseAt = (lc: number) => fixedC(x, y, Math.exp(lc))?.sse ?? Infinity;
  const lo = Math.log(cMin);
  const hi = Math.log(cMax);
  const G = 200;
  let best = 0;
  let bestSse = Infinity;
  for (let k = 0; k <= G; k++) { const s = sseAt(lo + ((hi - lo) * k) / G); if (s < bestSse) { bestSse = s; best = k; } }
  if (!Number.isFinite(bestSse)) throw new RangeError('x must hold at least two distinct values (x^(−c) is constant over the data)');
  let l = lo + ((hi - lo) * Math.max(0, best - 1)) / G;
  let r = lo + ((hi - lo) * Math.min(G, best + 1)) / G;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 100 && r - l > 1e-12; it++) {
    const m1 = r - phi * (r - l);
    const m2 = l + phi * (r - l);
    if (sseAt(m1) <= sseAt(m2)) r = m2; else l = m1;
  }
  const c = Math.exp((l + r) / 2);
  const f = fixedC(x, y, c);
  if (!f) throw new RangeError('x must hold at least two distinct values (x^(−c) is constant over the data)');
  return { a: f.a, b: f.b, c, sse: f.sse, predict: (t: number) => f.a - f.b * t ** -c };
}

/** Ordinary least-squares slope dy/dx of the points (at least 2, with distinct x). */
export function olsSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkXY(x, y, 2);
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  if (!(sxx > 0)) throw new RangeError('x must hold at least two distinct values');
  return sxy / sxx;
}

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
