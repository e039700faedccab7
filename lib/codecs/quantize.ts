/**
 * Uniform scalar quantisation of real vectors, one quantiser per coordinate, with a fixed-length code.
 *
 * Coordinate j has the range [lo_j, hi_j] = [m_j − s·σ_j, m_j + s·σ_j] (m_j, σ_j: mean and standard deviation of the
 * fitting rows; s = `spread`, default 3), cut into K = 2^b equal cells of width Δ_j = (hi_j − lo_j)/K. A value v goes to
 * cell k = clamp(⌊(v − lo_j)/Δ_j⌋, 0, K − 1) and is reconstructed at the cell's midpoint lo_j + (k + ½)Δ_j: the nearest
 * of the K levels (midpoint rule; Gersho & Gray, "Vector Quantization and Signal Compression", 1992, ch. 5). Inside the
 * range the error is at most Δ_j/2; outside it the value is clamped to the end level. Each index is sent as b bits,
 * so a vector costs dim·b bits. The ranges are fitted once (on training rows) and are known to both ends: side
 * information, not counted per vector.
 */
import { assertInteger, assertObject, assertPositive, rowCount } from '../core/index.js';

/** At most 24 bits per coordinate (2^24 levels; indices fit a Uint32Array and the levels stay distinct in float32). */
export const MAX_QUANTIZER_BITS = 24;

export interface ScalarQuantizer {
  readonly dim: number;
  /** Bits per coordinate b (K = 2^b levels). */
  readonly bits: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

export interface ScalarQuantizerOptions {
  /** Bits per coordinate (1..24). */
  readonly bits: number;
  /** Half-width of the range in standard deviations (default 3). */
  readonly spread?: number;
}

export interface ScalarQuantized {
  /** Cell index per coordinate, in 0..2^bits − 1 (rows × dim). */
  readonly indices: Uint32Array;
  /** The reconstruction levels (rows × dim). */
  readonly values: Float32Array;
  /** Bits of one vector's fixed-length code: dim · bits. */
  readonly bitsPerVector: number;
}

/** Fits the per-coordinate ranges of a uniform scalar quantiser to rows (N × dim, N ≥ 2). */
export function fitScalarQuantizer(rows: ArrayLike<number>, dim: number, options: ScalarQuantizerOptions): ScalarQuantizer {
  assertInteger('dim', dim, 1, 1 << 20);
  const N = rowCount('rows', rows, dim);
  if (N < 2) throw new RangeError(`rows must hold at least 2 vectors of length dim = ${dim}, got ${N}`);
  assertObject('options', options);
  assertInteger('bits', options.bits, 1, MAX_QUANTIZER_BITS);
  const spread = options.spread ?? 3;
  assertPositive('spread', spread);
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < dim; j++) {
      const v = rows[i * dim + j];
      if (!Number.isFinite(v)) throw new RangeError(`rows[${i * dim + j}] must be finite, got ${v}`);
      mean[j] += v;
    }
  }
  for (let j = 0; j < dim; j++) mean[j] /= N;
  for (let i = 0; i < N; i++) for (let j = 0; j < dim; j++) sq[j] += (rows[i * dim + j] - mean[j]) ** 2;
  const lo = new Float64Array(dim);
  const hi = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    // A constant coordinate gets a unit-free minimal range so Δ > 0.
    const half = spread * Math.sqrt(sq[j] / (N - 1)) || 1e-6 * Math.max(1, Math.abs(mean[j]));
    lo[j] = mean[j] - half;
    hi[j] = mean[j] + half;
  }
  return { dim, bits: options.bits, lo, hi };
}

/** Quantises rows (N × q.dim) with q: indices, reconstruction levels and the bits of one vector. */
export function scalarQuantize(q: ScalarQuantizer, rows: ArrayLike<number>): ScalarQuantized {
  assertObject('q', q);
  assertInteger('q.dim', q.dim, 1, 1 << 20);
  assertInteger('q.bits', q.bits, 1, MAX_QUANTIZER_BITS);
  if (!(q.lo instanceof Float64Array) || !(q.hi instanceof Float64Array) || q.lo.length !== q.dim || q.hi.length !== q.dim) {
    throw new RangeError(`q.lo and q.hi must be Float64Arrays of length q.dim = ${q.dim}`);
  }
  const N = rowCount('rows', rows, q.dim);
  const K = 2 ** q.bits;
  const indices = new Uint32Array(N * q.dim);
  const values = new Float32Array(N * q.dim);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < q.dim; j++) {
      const v = rows[i * q.dim + j];
      if (!Number.isFinite(v)) throw new RangeError(`rows[${i * q.dim + j}] must be finite, got ${v}`);
      const step = (q.hi[j] - q.lo[j]) / K;
      const k = Math.min(K - 1, Math.max(0, Math.floor((v - q.lo[j]) / step)));
      indices[i * q.dim + j] = k;
      values[i * q.dim + j] = q.lo[j] + (k + 0.5) * step;
    }
  }
  return { indices, values, bitsPerVector: q.dim * q.bits };
}
