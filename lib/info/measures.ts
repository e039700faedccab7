/** Entropy, KL divergence and mutual information in bits, with the convention 0·log 0 = 0. */
import { toDenseMatrix, toProb, type DistortionMatrix, type ProbabilityVector } from './matrix.js';

const LOG2E = Math.LOG2E;

/** H(p) in bits. */
export function entropy(p: ProbabilityVector): number {
  return entropyOf(toProb('p', p));
}

/** Unchecked entropy (bits) of a validated vector. */
export function entropyOf(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log(p[i]);
  return Math.max(0, h * LOG2E);
}

/** Binary entropy h(t) in bits. */
export function binaryEntropy(t: number): number {
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw new RangeError(`t must be in [0, 1], got ${String(t)}`);
  return entropyOf([t, 1 - t]);
}

/** D(p‖q) in bits; +Infinity where q(i) = 0 < p(i). */
export function klDivergence(p: ProbabilityVector, q: ProbabilityVector): number {
  const a = toProb('p', p);
  const b = toProb('q', q);
  if (a.length !== b.length) throw new RangeError(`p and q must have the same length (${a.length} vs ${b.length})`);
  return klOf(a, b);
}

/** Unchecked D(p‖q) in bits. */
export function klOf(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] <= 0) continue;
    if (q[i] <= 0) return Infinity;
    s += p[i] * Math.log(p[i] / q[i]);
  }
  return Math.max(0, s * LOG2E);
}

/** I(X;Y) in bits of a joint distribution given as a matrix (rows x, cols y) summing to 1. */
export function mutualInformation(joint: DistortionMatrix): number {
  const j = toDenseMatrix('joint', joint);
  let total = 0;
  for (let i = 0; i < j.data.length; i++) {
    const v = j.data[i];
    if (v < 0) throw new RangeError(`joint[${Math.floor(i / j.cols)}][${i % j.cols}] must be >= 0, got ${v}`);
    total += v;
  }
  if (Math.abs(total - 1) > 1e-9) throw new RangeError(`joint must sum to 1 (within 1e-9), sums to ${total}`);
  const px = new Float64Array(j.rows);
  const py = new Float64Array(j.cols);
  for (let x = 0; x < j.rows; x++) {
    for (let y = 0; y < j.cols; y++) {
      px[x] += j.data[x * j.cols + y];
      py[y] += j.data[x * j.cols + y];
    }
  }
  let s = 0;
  for (let x = 0; x < j.rows; x++) {
    for (let y = 0; y < j.cols; y++) {
      const v = j.data[x * j.cols + y];
      if (v > 0) s += v * Math.log(v / (px[x] * py[y]));
    }
  }
  return Math.max(0, s * LOG2E);
}

/** I(X;Y) in bits from p(x) and a channel Q(y|x) (row-major), against the channel's actual output marginal. */
export function channelInformation(px: ArrayLike<number>, q: Float64Array, cols: number, qy: ArrayLike<number>): number {
  let s = 0;
  for (let x = 0; x < px.length; x++) {
    const p = px[x];
    if (p <= 0) continue;
    const o = x * cols;
    let r = 0;
    for (let y = 0; y < cols; y++) {
      const v = q[o + y];
      if (v > 0 && qy[y] > 0) r += v * Math.log(v / qy[y]);
    }
    s += p * r;
  }
  return Math.max(0, s * LOG2E);
}

/** Output marginal Σ_x p(x) Q(y|x) and expected distortion of a channel. */
export function channelStats(px: ArrayLike<number>, q: Float64Array, d: Float64Array, cols: number): { qy: Float64Array; distortion: number } {
  const qy = new Float64Array(cols);
  let dist = 0;
  for (let x = 0; x < px.length; x++) {
    const p = px[x];
    if (p <= 0) continue;
    const o = x * cols;
    for (let y = 0; y < cols; y++) {
      const w = p * q[o + y];
      qy[y] += w;
      dist += w * d[o + y];
    }
  }
  return { qy, distortion: dist };
}
