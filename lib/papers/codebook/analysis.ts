/**
 * §III-C of the codebook paper (eqs. 15–21, docs/papers/codebook.md#channel-induced-distortion), exact in Float64: the error-weight distribution of an
 * m-bit index over BSC(ε), the index error probability, the channel-induced distortion of a codebook with its
 * index pmf (exact Hamming form and the random-labelling approximation (17)), its Monte-Carlo check, Lloyd
 * codebooks for D_q(K), and the optimal codebook size (21).
 *
 * Conventions: a codebook is K×D row-major (Float32Array or Float64Array); distortions are squared Euclidean
 * norms per latent VECTOR (sums over the D elements, as the paper's ‖·‖²), unlike the per-element training losses.
 * K must be 2^m: every received m-bit word is then a valid index (docs/papers/codebook.md#errata).
 */
import { Rng, assertInRange, assertInteger, assertNonNegative, toProbabilityVector } from '../../core/index.js';
import { bscIndices, indexErrorProbability, wilsonInterval } from '../../channels/index.js';

export { indexErrorProbability };

type Vectors = Float32Array | Float64Array;

function bitsOf(K: number): number {
  assertInteger('K', K, 2, 2 ** 20);
  const m = Math.round(Math.log2(K));
  if (2 ** m !== K) throw new RangeError(`K must be a power of two, got ${K}`);
  return m;
}

function checkCodebook(codebook: Vectors, K: number, D: number): void {
  assertInteger('D', D, 1);
  if (!(codebook instanceof Float32Array || codebook instanceof Float64Array)) throw new TypeError('codebook must be a Float32Array or Float64Array (K×D row-major)');
  if (codebook.length !== K * D) throw new RangeError(`codebook must hold K·D = ${K * D} values, got ${codebook.length}`);
  for (let i = 0; i < codebook.length; i++) if (!Number.isFinite(codebook[i])) throw new RangeError(`codebook[${i}] must be finite, got ${codebook[i]}`);
}

function popcount(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Eq. (15): P(d_H(b, b̂) = w) = C(m, w) ε^w (1−ε)^{m−w}, w = 0..m. */
export function errorWeightDistribution(m: number, eps: number): Float64Array {
  assertInteger('m', m, 1, 52);
  assertInRange('eps', eps, 0, 0.5);
  const out = new Float64Array(m + 1);
  let binom = 1;
  for (let w = 0; w <= m; w++) {
    out[w] = binom * eps ** w * (1 - eps) ** (m - w);
    binom = (binom * (m - w)) / (w + 1);
  }
  return out;
}

/** ‖e_k − e_j‖² for all pairs (K×K, Float64). */
export function pairwiseSquaredDistances(codebook: Vectors, K: number, D: number): Float64Array {
  checkCodebook(codebook, K, D);
  const out = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    for (let j = k + 1; j < K; j++) {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const t = codebook[k * D + d] - codebook[j * D + d];
        s += t * t;
      }
      out[k * K + j] = s;
      out[j * K + k] = s;
    }
  }
  return out;
}

/** Eq. (19): d̄_k = (1/(K−1)) Σ_{j≠k} ‖e_k − e_j‖². */
export function meanDistanceToOthers(codebook: Vectors, K: number, D: number): Float64Array {
  const pd = pairwiseSquaredDistances(codebook, K, D);
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += pd[k * K + j];
    out[k] = s / (K - 1);
  }
  return out;
}

/** Σ_k ‖e_k − ē‖² (the codebook's spread about its centroid); the identity Σ_{k,j}‖e_k−e_j‖² = 2K·this holds. */
export function codebookSpread(codebook: Vectors, K: number, D: number): number {
  checkCodebook(codebook, K, D);
  const mean = new Float64Array(D);
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) mean[d] += codebook[k * D + d] / K;
  let s = 0;
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) s += (codebook[k * D + d] - mean[d]) ** 2;
  return s;
}

export type DistortionModel = 'exact' | 'random-labelling';

export interface ChannelDistortionInput {
  readonly codebook: Vectors;
  readonly K: number;
  readonly D: number;
  /** Index pmf p_k (sums to 1). */
  readonly pmf: ArrayLike<number>;
  readonly eps: number;
}

/**
 * Eq. (18): D_ch = Σ_k p_k Σ_{j≠k} P(j|k) ‖e_k − e_j‖² per latent vector.
 * 'exact': P(j|k) = ε^{d_H(k,j)} (1−ε)^{m−d_H(k,j)} with the codebook's own binary labels (index k ↔ its m bits);
 * 'random-labelling': eq. (17), which gives exactly P_e Σ_k p_k d̄_k (the right-hand side of eq. 18).
 */
export function channelDistortion(input: ChannelDistortionInput, model: DistortionModel = 'exact'): number {
  const { codebook, K, D, eps } = input;
  const m = bitsOf(K);
  checkCodebook(codebook, K, D);
  assertInRange('eps', eps, 0, 0.5);
  const p = toProbabilityVector('pmf', input.pmf, 1e-6);
  if (p.length !== K) throw new RangeError(`pmf must have K = ${K} entries, got ${p.length}`);
  if (model === 'random-labelling') {
    const dbar = meanDistanceToOthers(codebook, K, D);
    let s = 0;
    for (let k = 0; k < K; k++) s += p[k] * dbar[k];
    return indexErrorProbability(m, eps) * s;
  }
  if (model !== 'exact') throw new RangeError(`model must be 'exact' or 'random-labelling', got ${JSON.stringify(model)}`);
  return channelDistortionMoments(input).mean;
}

/**
 * First and second moments of v = ‖e_k − e_ĵ‖² per index under the exact BSC model of eq. (18): mean = D_ch (exact)
 * and second = Σ_k p_k Σ_j P(j|k) ‖e_k − e_j‖⁴. A Monte-Carlo mean over n simulated indices then has standard
 * deviation at most √((second − mean²)/n), which sets the tolerance of the identity check of eq. (18).
 */
export function channelDistortionMoments(input: ChannelDistortionInput): { mean: number; second: number } {
  const { codebook, K, D, eps } = input;
  const m = bitsOf(K);
  checkCodebook(codebook, K, D);
  assertInRange('eps', eps, 0, 0.5);
  const p = toProbabilityVector('pmf', input.pmf, 1e-6);
  if (p.length !== K) throw new RangeError(`pmf must have K = ${K} entries, got ${p.length}`);
  const byWeight = new Float64Array(m + 1);
  for (let w = 0; w <= m; w++) byWeight[w] = eps ** w * (1 - eps) ** (m - w);
  let mean = 0;
  let second = 0;
  for (let k = 0; k < K; k++) {
    if (p[k] === 0) continue;
    let rowMean = 0;
    let rowSecond = 0;
    for (let j = 0; j < K; j++) {
      if (j === k) continue;
      let s = 0;
      for (let d = 0; d < D; d++) {
        const t = codebook[k * D + d] - codebook[j * D + d];
        s += t * t;
      }
      const w = byWeight[popcount(k ^ j)];
      rowMean += w * s;
      rowSecond += w * s * s;
    }
    mean += p[k] * rowMean;
    second += p[k] * rowSecond;
  }
  return { mean, second };
}

export interface QuantizationResult {
  /** Nearest codeword per vector. */
  readonly indices: Int32Array;
  /** D_q = mean ‖z − e_{q(z)}‖² per vector. */
  readonly dq: number;
  /** Empirical index pmf. */
  readonly pmf: Float64Array;
}

/** Nearest-codeword quantisation of n D-dimensional vectors (eq. 1) with D_q (eq. 20) and the index pmf (eq. 11). */
export function quantize(latents: Vectors, codebook: Vectors, K: number, D: number): QuantizationResult {
  checkCodebook(codebook, K, D);
  if (latents.length === 0 || latents.length % D !== 0) throw new RangeError(`latents must hold n·D values (D = ${D}), got ${latents.length}`);
  const n = latents.length / D;
  const norms = new Float64Array(K);
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) norms[k] += codebook[k * D + d] ** 2;
  const indices = new Int32Array(n);
  const counts = new Float64Array(K);
  let dq = 0;
  for (let i = 0; i < n; i++) {
    let zz = 0;
    for (let d = 0; d < D; d++) zz += latents[i * D + d] ** 2;
    let best = Infinity;
    let arg = 0;
    for (let k = 0; k < K; k++) {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += latents[i * D + d] * codebook[k * D + d];
      const v = norms[k] - 2 * dot;
      if (v < best) { best = v; arg = k; }
    }
    indices[i] = arg;
    counts[arg]++;
    dq += Math.max(0, zz + best);
  }
  return { indices, dq: dq / n, pmf: counts.map((c) => c / n) };
}

export interface SimulatedDistortion {
  /** Mean ‖e_k − e_ĵ‖² per vector, with a 95 % normal interval. */
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  /** Fraction of indices received wrong, with its Wilson interval. */
  readonly indexErrorRate: number;
  readonly indexErrorLo: number;
  readonly indexErrorHi: number;
  readonly n: number;
}

/** Mean and 95 % interval of ‖e_k − e_ĵ‖² over sent/received index pairs (e.g. from lib/channels' transmitIndices). */
export function channelDistortionOf(sent: ArrayLike<number>, received: ArrayLike<number>, codebook: Vectors, K: number, D: number): SimulatedDistortion {
  checkCodebook(codebook, K, D);
  if (sent.length !== received.length || sent.length < 2) throw new RangeError(`sent and received must have the same length >= 2, got ${sent.length} and ${received.length}`);
  const n = sent.length;
  let s = 0;
  let s2 = 0;
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const k = sent[i];
    const j = received[i];
    if (!(k >= 0 && k < K && j >= 0 && j < K)) throw new RangeError(`indices must lie in 0..${K - 1}, got sent ${k}, received ${j} at ${i}`);
    let v = 0;
    if (j !== k) {
      wrong++;
      for (let d = 0; d < D; d++) v += (codebook[k * D + d] - codebook[j * D + d]) ** 2;
    }
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  const sd = Math.sqrt(Math.max(0, s2 / n - mean * mean) * (n / (n - 1)));
  const half = (1.96 * sd) / Math.sqrt(n);
  const [wlo, whi] = wilsonInterval(wrong, n);
  return { mean, lo: mean - half, hi: mean + half, indexErrorRate: wrong / n, indexErrorLo: wlo, indexErrorHi: whi, n };
}

/** Monte-Carlo D_ch over an ideal BSC(ε): `draws` passes of the sent indices through lib/channels' bscIndices. */
export function simulateBscDistortion(sent: ArrayLike<number>, codebook: Vectors, K: number, D: number, eps: number, rng: Rng, draws = 1): SimulatedDistortion {
  const m = bitsOf(K);
  assertInteger('draws', draws, 1);
  const tx = new Uint32Array(sent.length * draws);
  for (let r = 0; r < draws; r++) tx.set(Uint32Array.from(sent), r * sent.length);
  return channelDistortionOf(tx, bscIndices(tx, { mBits: m, eps, rng }), codebook, K, D);
}

export interface LloydResult {
  readonly codebook: Float64Array;
  readonly K: number;
  readonly D: number;
  /** D_q on the training vectors after the last iteration. */
  readonly dqTrain: number;
  readonly iterations: number;
}

/**
 * Lloyd's algorithm (k-means) for a K-codeword codebook of n D-dimensional vectors: k-means++ seeding, `iters`
 * centroid updates, an empty cell re-seeded at the vector farthest from its codeword. Its codewords satisfy the
 * centroid condition under which D_tot = D_q + D_ch is exact (eq. 20, docs/papers/codebook.md#channel-induced-distortion).
 */
export function lloyd(latents: Vectors, D: number, K: number, iters: number, rng: Rng): LloydResult {
  assertInteger('D', D, 1);
  assertInteger('K', K, 1);
  assertInteger('iters', iters, 1);
  const n = latents.length / D;
  if (!Number.isInteger(n) || n < K) throw new RangeError(`latents must hold n·D values with n >= K = ${K}, got ${latents.length} values for D = ${D}`);
  const cb = new Float64Array(K * D);
  // k-means++ seeding
  const first = rng.int(n);
  for (let d = 0; d < D; d++) cb[d] = latents[first * D + d];
  const near = new Float64Array(n).fill(Infinity);
  for (let k = 1; k < K; k++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (latents[i * D + d] - cb[(k - 1) * D + d]) ** 2;
      if (s < near[i]) near[i] = s;
      total += near[i];
    }
    let u = rng.uniform() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= near[i];
      if (u <= 0) { pick = i; break; }
    }
    for (let d = 0; d < D; d++) cb[k * D + d] = latents[pick * D + d];
  }
  let q = quantize(latents, cb, K, D);
  for (let it = 0; it < iters; it++) {
    const sums = new Float64Array(K * D);
    const counts = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const k = q.indices[i];
      counts[k]++;
      for (let d = 0; d < D; d++) sums[k * D + d] += latents[i * D + d];
    }
    for (let k = 0; k < K; k++) {
      if (counts[k] > 0) for (let d = 0; d < D; d++) cb[k * D + d] = sums[k * D + d] / counts[k];
      else reseed(cb, k, latents, q.indices, D, n);
    }
    q = quantize(latents, cb, K, D);
  }
  return { codebook: cb, K, D, dqTrain: q.dq, iterations: iters };
}

function reseed(cb: Float64Array, k: number, latents: Vectors, idx: Int32Array, D: number, n: number): void {
  let far = 0;
  let arg = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += (latents[i * D + d] - cb[idx[i] * D + d]) ** 2;
    if (s > far) { far = s; arg = i; }
  }
  for (let d = 0; d < D; d++) cb[k * D + d] = latents[arg * D + d];
}

/** One candidate codebook size for eq. (21): its D_q and Σ_k p_k d̄_k (so that D_ch ≈ P_e(ε)·that, eq. 18). */
export interface CodebookSizePoint {
  readonly K: number;
  readonly dq: number;
  readonly meanSpread: number;
}

export interface OptimalSize {
  readonly K: number;
  readonly objective: number;
  /** Objective D_q + D_ch + μ·m (per latent vector) of every candidate. */
  readonly objectives: readonly { readonly K: number; readonly dq: number; readonly dch: number; readonly rate: number; readonly objective: number }[];
}

/**
 * Eq. (21): K* = argmin_K D_q(K) + D_ch(K, ε) + μ·R_b, per latent vector (R_b = m = log2 K bits; the paper's
 * N·⌈log2 K⌉ per image is N times this, as are both distortions). D_ch uses the random-labelling form (18).
 */
export function optimalCodebookSize(points: readonly CodebookSizePoint[], eps: number, mu: number): OptimalSize {
  if (!Array.isArray(points) || points.length === 0) throw new RangeError('points must be a non-empty array of { K, dq, meanSpread }');
  assertInRange('eps', eps, 0, 0.5);
  assertNonNegative('mu', mu);
  const objectives = points.map((pt, i) => {
    const m = bitsOf(pt.K);
    assertNonNegative(`points[${i}].dq`, pt.dq);
    assertNonNegative(`points[${i}].meanSpread`, pt.meanSpread);
    const dch = indexErrorProbability(m, eps) * pt.meanSpread;
    return { K: pt.K, dq: pt.dq, dch, rate: m, objective: pt.dq + dch + mu * m };
  });
  const best = objectives.reduce((a, b) => (b.objective < a.objective ? b : a));
  return { K: best.K, objective: best.objective, objectives };
}

/** Σ_k p_k d̄_k of a codebook with its pmf (the factor multiplying P_e in eq. 18). */
export function weightedMeanSpread(codebook: Vectors, K: number, D: number, pmf: ArrayLike<number>): number {
  const dbar = meanDistanceToOthers(codebook, K, D);
  const p = toProbabilityVector('pmf', pmf, 1e-6);
  if (p.length !== K) throw new RangeError(`pmf must have K = ${K} entries, got ${p.length}`);
  return p.reduce((s, v, k) => s + v * dbar[k], 0);
}

/** Perplexity exp(H) of an index histogram, and its dead codes (count 0). */
export function usageStats(counts: ArrayLike<number>): { entropyBits: number; perplexity: number; dead: number; used: number } {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    assertNonNegative(`counts[${i}]`, counts[i]);
    total += counts[i];
  }
  if (total === 0) throw new RangeError('counts must not all be 0');
  let h = 0;
  let dead = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) { dead++; continue; }
    const p = counts[i] / total;
    h -= p * Math.log2(p);
  }
  return { entropyBits: h, perplexity: 2 ** h, dead, used: counts.length - dead };
}
