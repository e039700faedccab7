/**
 * Index-level view of a BSC carrying m-bit indices (codebook paper, eqs. 15–17: docs/papers/codebook.md#channel-induced-distortion).
 *
 * Matrix convention: TransitionMatrix is row-major, rows = transmitted index k, cols = received index j,
 * data[k·cols + j] = P(ĵ = j | k). Every row sums to 1.
 */
import { assertInRange, assertInteger, assertObject, assertOneOf, assertRng } from '../core/index.js';
import { assertIndices, popcount32, type RngOption } from './bits.js';

export interface TransitionMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major, data[k * cols + j] = P(j | k). */
  readonly data: Float64Array;
}

export type IndexChannelModel = 'exact' | 'random-labelling';

/** Largest m accepted: a 2^m × 2^m Float64 matrix of 2^12 = 4096 rows is already 128 MiB. */
export const MAX_INDEX_BITS = 12;

function checkArgs(mBits: number, eps: number): void {
  assertInteger('mBits', mBits, 1, MAX_INDEX_BITS);
  assertInRange('eps', eps, 0, 0.5);
}

/**
 * P(j | k) for m-bit indices sent bit by bit over BSC(eps).
 * 'exact': eps^{d_H(k,j)} (1−eps)^{m−d_H(k,j)}.
 * 'random-labelling' (the codebook paper's eq. 17): 1 − P_e on the diagonal and P_e/(K−1) elsewhere, P_e = 1 − (1−eps)^m.
 */
export function bscIndexTransition(mBits: number, eps: number, model: IndexChannelModel = 'exact'): TransitionMatrix {
  checkArgs(mBits, eps);
  assertOneOf('model', model, ['exact', 'random-labelling'] as const);
  if (model === 'random-labelling') return randomLabellingTransition(mBits, eps);
  const K = 2 ** mBits;
  const byDistance = new Float64Array(mBits + 1);
  for (let d = 0; d <= mBits; d++) byDistance[d] = eps ** d * (1 - eps) ** (mBits - d);
  const data = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < K; j++) data[k * K + j] = byDistance[popcount32(k ^ j)];
  }
  return { rows: K, cols: K, data };
}

/** The random-labelling approximation of the codebook paper's eq. (17) (docs/papers/codebook.md#channel-induced-distortion). */
export function randomLabellingTransition(mBits: number, eps: number): TransitionMatrix {
  checkArgs(mBits, eps);
  const K = 2 ** mBits;
  const pe = indexErrorProbability(mBits, eps);
  const data = new Float64Array(K * K).fill(pe / (K - 1));
  for (let k = 0; k < K; k++) data[k * K + k] = 1 - pe;
  return { rows: K, cols: K, data };
}

/** P_e = 1 − (1 − eps)^m: probability that an m-bit index arrives wrong (the codebook paper's eq. 16). */
export function indexErrorProbability(mBits: number, eps: number): number {
  assertInteger('mBits', mBits, 1, 52);
  assertInRange('eps', eps, 0, 0.5);
  return -Math.expm1(mBits * Math.log1p(-eps));
}

export interface BscIndicesOptions extends RngOption {
  /** Bits per index, 1..31. */
  readonly mBits: number;
  /** Crossover probability of each bit ∈ [0, 0.5]. */
  readonly eps: number;
}

/** Sends m-bit indices through BSC(eps): each of the m bits of every index flips independently. */
export function bscIndices(indices: ArrayLike<number>, opts: BscIndicesOptions): Uint32Array {
  assertObject('options', opts);
  const { mBits, eps, rng } = opts;
  assertInteger('mBits', mBits, 1, 31);
  assertInRange('eps', eps, 0, 0.5);
  assertRng('rng', rng);
  assertIndices('indices', indices, mBits);
  const out = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    let flips = 0;
    for (let b = 0; b < mBits; b++) if (rng.uniform() < eps) flips |= 1 << b;
    out[i] = (k ^ flips) >>> 0;
  }
  return out;
}
