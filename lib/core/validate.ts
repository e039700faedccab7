/**
 * Argument checks shared by every module. Each throws a RangeError (or TypeError) that names the
 * argument and the expected form, so bad input never becomes a NaN figure.
 */

export function assertFiniteNumber(name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`${name} must be a finite number, got ${typeof v === 'number' ? v : describe(v)}`);
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
  checkBounds(min, max);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = `${Number.isFinite(min) ? min : '-∞'}..${Number.isFinite(max) ? max : '∞'}`;
    throw new RangeError(`${name} must be an integer in ${range}, got ${typeof v === 'number' ? v : describe(v)}`);
  }
}

export function assertInRange(name: string, v: unknown, lo: number, hi: number): asserts v is number {
  checkBounds(lo, hi, 'lo', 'hi');
  assertFiniteNumber(name, v);
  if (v < lo || v > hi) throw new RangeError(`${name} must be in [${lo}, ${hi}], got ${v}`);
}

export function assertOneOf<T extends string | number>(name: string, v: unknown, allowed: readonly T[]): asserts v is T {
  if (!Array.isArray(allowed)) throw new TypeError(`allowed must be an array of the values ${name} may take`);
  if (!allowed.includes(v as T)) {
    throw new RangeError(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`);
  }
}

/** A probability vector: finite, non-negative, summing to 1 within tol. Returns a Float64Array copy. */
export function toProbabilityVector(name: string, p: ArrayLike<number>, tol = 1e-9): Float64Array {
  assertPositive('tol', tol);
  if (!isNumericArray(p) || p.length === 0) {
    throw new TypeError(`${name} must be a non-empty array of probabilities, got ${describe(p)}`);
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

/** min ≤ max, neither NaN (the bounds of assertInteger / assertInRange). */
function checkBounds(min: unknown, max: unknown, minName = 'min', maxName = 'max'): void {
  if (typeof min !== 'number' || Number.isNaN(min)) {
    throw new RangeError(`${minName} must be a number, got ${String(min)}`);
  }
  if (typeof max !== 'number' || Number.isNaN(max)) {
    throw new RangeError(`${maxName} must be a number, got ${String(max)}`);
  }
  if (min > max) throw new RangeError(`${minName} (${min}) must be <= ${maxName} (${max})`);
}

/** A short description of a value for error messages: its type, and its value when it is a primitive. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'no prototype'})`;
  if (typeof v === 'function') return 'a function';
  return `${typeof v} ${String(v)}`;
}

/** True for an Array or a typed array (not a string, whose `length` would pass for an array's). */
export function isNumericArray(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** An Array or typed array whose entries are all finite numbers (non-empty unless minLength = 0). */
export function assertFiniteArray(name: string, v: unknown, minLength = 1): asserts v is ArrayLike<number> {
  if (!isNumericArray(v)) throw new TypeError(`${name} must be an array of finite numbers, got ${describe(v)}`);
  if (v.length < minLength) throw new RangeError(`${name} must hold at least ${minLength} value(s), got ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' && typeof x !== 'bigint') {
      throw new TypeError(`${name}[${i}] must be a number, got ${describe(x)}`);
    }
    if (!Number.isFinite(Number(x))) throw new RangeError(`${name}[${i}] must be finite, got ${String(x)}`);
  }
}

/** An integer option with a default: `v` when given, else `dflt`; either way an integer in min..max. */
export function optionalInteger(name: string, v: unknown, dflt: number, min: number, max: number): number {
  const x = v === undefined ? dflt : v;
  assertInteger(name, x, min, max);
  return x;
}

/** A plain options object (not null, an array or a primitive). */
export function assertObject(name: string, v: unknown): asserts v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`${name} must be an object, got ${describe(v)}`);
  }
}

export function assertString(name: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, got ${describe(v)}`);
}

export function assertFunction(name: string, v: unknown): asserts v is (...args: never[]) => unknown {
  if (typeof v !== 'function') throw new TypeError(`${name} must be a function, got ${describe(v)}`);
}

/**
 * A seeded generator (lib/core's Rng, or anything with its uniform/normal/nextUint32 methods). Every function that
 * draws random numbers takes it as the `rng` field of its options, and names `rng` when it is missing.
 */
export function assertRng(name: string, v: unknown): void {
  const r = v as { uniform?: unknown; normal?: unknown; nextUint32?: unknown } | null | undefined;
  const ok = r !== null && typeof r === 'object'
    && typeof r.uniform === 'function' && typeof r.normal === 'function' && typeof r.nextUint32 === 'function';
  if (!ok) {
    throw new TypeError(`${name} must be a seeded Rng (new Rng(seed) from semcom-workbook/core), got ${describe(v)}`);
  }
}

/**
 * The most elements a library function allocates from a size argument (2^28 ≈ 2.7e8: 2 GiB of Float64). A larger
 * size is refused with this limit in the message instead of running out of memory or running for hours.
 */
export const MAX_ELEMENTS = 2 ** 28;

/** A size or count: an integer in min..max (default 0..MAX_ELEMENTS). */
export function assertSize(name: string, v: unknown, min = 0, max = MAX_ELEMENTS): asserts v is number {
  assertInteger(name, v, min, max);
}
