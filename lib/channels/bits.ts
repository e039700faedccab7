/**
 * Bit-array utilities. Bits are Uint8Array of 0/1; an m-bit index is written MSB first
 * (index k ↦ bits b_0..b_{m-1} with k = Σ b_i 2^{m-1-i}), the order used on the VQ index path.
 */
import { Rng, assertInteger } from '../core/index.js';

/** Throws unless every entry of `bits` is 0 or 1. */
export function assertBits(name: string, bits: unknown): asserts bits is Uint8Array {
  if (!(bits instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array of 0/1`);
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] > 1) throw new RangeError(`${name}[${i}] must be 0 or 1, got ${bits[i]}`);
  }
}

/** Indices of `mBits` bits each → bit array of length indices.length·mBits (MSB first). */
export function indicesToBits(indices: ArrayLike<number>, mBits: number): Uint8Array {
  assertInteger('mBits', mBits, 1, 31);
  const limit = 2 ** mBits;
  const out = new Uint8Array(indices.length * mBits);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= limit) {
      throw new RangeError(`indices[${i}] must be an integer in 0..${limit - 1}, got ${k}`);
    }
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

/** n i.i.d. fair bits. */
export function randomBits(n: number, rng: Rng): Uint8Array {
  assertInteger('n', n, 0);
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
  if (a.length !== b.length) throw new RangeError(`bit arrays must have equal lengths, got ${a.length} and ${b.length}`);
  let e = 0;
  for (let i = 0; i < a.length; i++) e += (a[i] ^ b[i]) & 1;
  return e;
}

/** Hamming distance between two non-negative integers (popcount of the XOR). */
export function hammingDistance(a: number, b: number): number {
  let x = (a ^ b) >>> 0;
  let d = 0;
  while (x) {
    x &= x - 1;
    d++;
  }
  return d;
}
