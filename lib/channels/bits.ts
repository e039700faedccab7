/**
 * Bit-array utilities. Bits are Uint8Array of 0/1; an m-bit index is written MSB first
 * (index k ↦ bits b_0..b_{m-1} with k = Σ b_i 2^{m-1-i}), the order used on the VQ index path.
 */
import { assertInteger, assertObject, assertRng, assertSize, describe, isNumericArray,
  type Rng } from '../core/index.js';

/** Throws unless every entry of `bits` is 0 or 1. */
export function assertBits(name: string, bits: unknown): asserts bits is Uint8Array {
  if (!(bits instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array of 0/1, got ${describe(bits)}`);
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] > 1) throw new RangeError(`${name}[${i}] must be 0 or 1, got ${bits[i]}`);
  }
}

/** Throws unless `indices` is an array of integers in 0..2^mBits − 1. */
export function assertIndices(name: string, indices: unknown, mBits: number): asserts indices is ArrayLike<number> {
  if (!isNumericArray(indices)) {
    throw new TypeError(`${name} must be an array of integer indices, got ${describe(indices)}`);
  }
  const limit = 2 ** mBits;
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= limit) {
      throw new RangeError(`${name}[${i}] must be an integer in 0..${limit - 1}, got ${k}`);
    }
  }
}

/** Indices of `mBits` bits each → bit array of length indices.length·mBits (MSB first). */
export function indicesToBits(indices: ArrayLike<number>, mBits: number): Uint8Array {
  assertInteger('mBits', mBits, 1, 31);
  assertIndices('indices', indices, mBits);
  const out = new Uint8Array(indices.length * mBits);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    for (let b = 0; b < mBits; b++) out[i * mBits + b] = (k >>> (mBits - 1 - b)) & 1;
  }
  return out;
}

/** Bit array (MSB first per index) → indices; bits.length must be a multiple of mBits. */
export function bitsToIndices(bits: Uint8Array, mBits: number): Uint32Array {
  assertInteger('mBits', mBits, 1, 31);
  assertBits('bits', bits);
  if (bits.length % mBits !== 0) {
    throw new RangeError(`bits.length must be a multiple of mBits=${mBits}, got ${bits.length}`);
  }
  const out = new Uint32Array(bits.length / mBits);
  for (let i = 0; i < out.length; i++) {
    let k = 0;
    for (let b = 0; b < mBits; b++) k = k * 2 + bits[i * mBits + b];
    out[i] = k;
  }
  return out;
}

/** What draws the random numbers: every random function of this package takes its Rng as `rng` in its options. */
export interface RngOption {
  readonly rng: Rng;
}

/** n i.i.d. fair bits (n ≤ MAX_ELEMENTS). */
export function randomBits(n: number, opts: RngOption): Uint8Array {
  assertSize('n', n);
  assertObject('options', opts);
  const { rng } = opts;
  assertRng('rng', rng);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 32) {
    const w = rng.nextUint32();
    const end = Math.min(32, n - i);
    for (let b = 0; b < end; b++) out[i + b] = (w >>> b) & 1;
  }
  return out;
}

/** Number of positions where a and b differ (equal lengths required). */
export function countBitErrors(a: Uint8Array, b: Uint8Array): number {
  assertBits('a', a);
  assertBits('b', b);
  if (a.length !== b.length) throw new RangeError(`a and b must have equal lengths, got ${a.length} and ${b.length}`);
  let e = 0;
  for (let i = 0; i < a.length; i++) e += (a[i] ^ b[i]) & 1;
  return e;
}

/** Number of set bits of v's low 32 bits (v >>> 0). */
export function popcount32(v: number): number {
  let x = v >>> 0;
  let d = 0;
  while (x) {
    x &= x - 1;
    d++;
  }
  return d;
}

/** Hamming distance between two integers in 0..2^53 − 1 (popcount of the XOR, over both 32-bit halves). */
export function hammingDistance(a: number, b: number): number {
  assertInteger('a', a, 0, Number.MAX_SAFE_INTEGER);
  assertInteger('b', b, 0, Number.MAX_SAFE_INTEGER);
  const hi = Math.floor(a / 2 ** 32) ^ Math.floor(b / 2 ** 32);
  return popcount32(a ^ b) + popcount32(hi);
}
