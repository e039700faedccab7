/**
 * Seeded pseudo-random numbers shared by every module (Sionna-style: one seed per run).
 *
 * xoshiro128** for uniforms (fast, 2^128 period, splittable by re-seeding through splitmix32),
 * Box–Muller (cached pair) for normals. State is four uint32 words so it can be checkpointed.
 *
 * Seeds are integers in 0..MAX_SEED (2^32 − 1): every one gives its own stream. Anything else (2025.9, 2025 + 2^32,
 * −1, NaN) is refused rather than folded onto another seed's stream.
 */
import { assertFiniteNumber, assertInRange, assertInteger, describe, isNumericArray } from './validate.js';

/** The largest seed: seeds are the 2^32 integers 0..MAX_SEED. */
export const MAX_SEED = 0xffffffff;

/** Largest n of int(n) and permutation(n) (int draws 53-bit uniforms; a permutation is a Uint32Array). */
const MAX_INT = 2 ** 32;

export interface RngState {
  readonly s: readonly [number, number, number, number];
  readonly spare: number | null;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    assertInteger('seed', seed, 0, MAX_SEED);
    const sm = splitmix32(seed);
    this.s0 = sm();
    this.s1 = sm();
    this.s2 = sm();
    this.s3 = sm();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0; this.s1 >>>= 0; this.s2 >>>= 0; this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    assertInteger('n', n, 1, MAX_INT);
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Bernoulli(p) as 0/1. */
  bernoulli(p: number): 0 | 1 {
    assertInRange('p', p, 0, 1);
    return this.uniform() < p ? 1 : 0;
  }

  /** Fill with standard normals (or N(mean, std²)). */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): typeof out {
    if (!(out instanceof Float32Array || out instanceof Float64Array)) {
      throw new TypeError(`out must be a Float32Array or Float64Array, got ${describe(out)}`);
    }
    assertFiniteNumber('mean', mean);
    assertFiniteNumber('std', std);
    if (std < 0) throw new RangeError(`std must be >= 0, got ${std}`);
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    if (!isNumericArray(a)) throw new TypeError(`a must be an array or typed array to shuffle, got ${describe(a)}`);
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    assertInteger('n', n, 0, MAX_INT);
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** An independent generator derived from this one (for workers, sub-streams). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  getState(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  setState(state: RngState): void {
    const st = state as RngState | null | undefined;
    if (st === null || typeof st !== 'object' || !Array.isArray(st.s) || st.s.length !== 4) {
      throw new TypeError(
        `state must be { s: [four uint32 words], spare: number | null } (from getState()), got ${describe(state)}`,
      );
    }
    st.s.forEach((w, i) => assertInteger(`state.s[${i}]`, w, 0, MAX_SEED));
    if ((st.s[0] | st.s[1] | st.s[2] | st.s[3]) === 0) {
      throw new RangeError('state.s must not be all zero (xoshiro128** would stay at 0)');
    }
    if (st.spare !== null) assertFiniteNumber('state.spare', st.spare);
    [this.s0, this.s1, this.s2, this.s3] = state.s;
    this.spare = state.spare;
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
