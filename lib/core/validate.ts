/**
 * Argument checks shared by every module. Each throws a RangeError (or TypeError) that names the
 * argument and the expected form, so bad input never becomes a NaN figure.
 */

export function assertFiniteNumber(name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`${name} must be a finite number, got ${String(v)}`);
  }
}

export function assertPositive(name: string, v: unknown): asserts v is number {
  assertFiniteNumber(name, v);
  if (v <= 0) throw new RangeError(`${name} must be > 0, got ${v}`);
}

export function assertNonNegative(name: string, v: unknown): asserts v is number {
  assertFiniteNumber(name, v);
  if (v < 0) throw new RangeError(`${name} must be >= 0, got ${v}`);
}

export function assertInteger(name: string, v: unknown, min = -Infinity, max = Infinity): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = `${Number.isFinite(min) ? min : '-∞'}..${Number.isFinite(max) ? max : '∞'}`;
    throw new RangeError(`${name} must be an integer in ${range}, got ${String(v)}`);
  }
}

export function assertInRange(name: string, v: unknown, lo: number, hi: number): asserts v is number {
  assertFiniteNumber(name, v);
  if (v < lo || v > hi) throw new RangeError(`${name} must be in [${lo}, ${hi}], got ${v}`);
}

export function assertOneOf<T extends string | number>(name: string, v: unknown, allowed: readonly T[]): asserts v is T {
  if (!allowed.includes(v as T)) {
    throw new RangeError(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`);
  }
}

/** A probability vector: finite, non-negative, summing to 1 within tol. Returns a Float64Array copy. */
export function toProbabilityVector(name: string, p: ArrayLike<number>, tol = 1e-9): Float64Array {
  if (p === null || p === undefined || typeof p.length !== 'number' || p.length === 0) {
    throw new RangeError(`${name} must be a non-empty array of probabilities`);
  }
  const out = new Float64Array(p.length);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${name}[${i}] must be a finite probability >= 0, got ${String(v)}`);
    }
    out[i] = v;
    sum += v;
  }
  if (Math.abs(sum - 1) > tol) throw new RangeError(`${name} must sum to 1 (within ${tol}), sums to ${sum}`);
  return out;
}
