/**
 * The codebook paper's training losses (eqs. 5, 10–14, 22–25: docs/papers/codebook.md#training-losses), each a small tf function so the
 * total can be returned broken down (as vector-quantize-pytorch does).
 *
 * Normalisation: every latent-space term is a per-ELEMENT mean (squared distance / D), like lib/nn's
 * vectorQuantize, so λ_C and λ_H weigh against a codebook loss of weight 1 whatever D is.
 */
import { assertInteger, assertOneOf, assertPositive } from '../../core/index.js';
import { tf, gatherRows, gramMatrix, matMul, stopGradient, straightThrough } from '../../nn/index.js';
import type { TransitionMatrix } from '../../channels/index.js';
import { ENTROPY_ESTIMATORS, type EntropyEstimator } from './config.js';

/** dist[i, k] = ‖z_i − e_k‖² / D for z [n, D] and codebook [K, D] (gradients to both). */
export function squaredDistances(z: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor2D {
  if (z.rank !== 2 || codebook.rank !== 2 || z.shape[1] !== codebook.shape[1]) {
    throw new RangeError(`squaredDistances: z must be [n, D] and codebook [K, D], got [${z.shape}] and [${codebook.shape}]`);
  }
  const d = z.shape[1];
  return tf.tidy(() => {
    const zz = tf.sum(tf.square(z), 1, true); // [n, 1]
    const ee = tf.reshape(tf.sum(tf.square(codebook), 1), [1, -1]); // [1, K]
    const cross = matMul(z, tf.transpose(codebook) as tf.Tensor2D); // [n, K]
    // Clamp: the expanded form can dip below 0 by rounding.
    return tf.div(tf.relu(tf.add(tf.sub(zz, tf.mul(cross, 2)), ee)), d) as tf.Tensor2D;
  });
}

/**
 * Differentiable index pmf p̂ (eq. 11; the soft estimate of eq. 14, docs/papers/codebook.md#entropy-regularisation): the batch mean of softmax_k(−dist_ik / (τ·s)),
 * where s = the batch's mean nearest-codeword distance (held constant), so τ is scale-free: the latents' scale
 * drifts during training and a fixed absolute temperature would drift from hard to uniform with it.
 * 'straight-through': the hard histogram (exactly eq. 11) forward, the soft pmf's gradient backward.
 */
export function indexPmfEstimate(dist: tf.Tensor2D, tau: number, estimator: EntropyEstimator = 'soft'): tf.Tensor1D {
  assertPositive('tau', tau);
  assertOneOf('estimator', estimator, ENTROPY_ESTIMATORS);
  return tf.tidy(() => {
    const scale = stopGradient(tf.add(tf.mean(tf.min(dist, 1)), 1e-12));
    const soft = tf.mean(tf.softmax(tf.div(tf.neg(dist), tf.mul(scale, tau))), 0) as tf.Tensor1D;
    if (estimator === 'soft') return soft;
    const k = dist.shape[1];
    const hard = tf.mean(tf.oneHot(tf.argMin(dist, 1), k).toFloat(), 0) as tf.Tensor1D;
    return straightThrough(hard, soft);
  });
}

/** Ĥ(S) = −Σ_k p̂_k log p̂_k in nats (eq. 10); 0·log 0 = 0. */
export function entropyOf(pmf: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(pmf, tf.log(tf.maximum(pmf, 1e-12))))) as tf.Scalar);
}

/** Float32 tensor [K, K] of a lib/channels transition matrix (row k = P(· | k sent)). */
export function transitionTensor(t: TransitionMatrix): tf.Tensor2D {
  if (t.rows !== t.cols) throw new RangeError(`transition matrix must be square, got ${t.rows}×${t.cols}`);
  return tf.tensor2d(Float32Array.from(t.data), [t.rows, t.cols]);
}

/**
 * Channel-aware distortion loss (eq. 22): (1/n) Σ_i Σ_j P(j | k_i) · dist(z_i, e_j), with k_i the sent index and
 * dist the per-element squared distance. Pass distances of sg(z) to stop the gradient at z (docs/papers/codebook.md#training-losses: unknown in
 * the paper; our default), so only the codebook moves.
 */
export function channelAwareLoss(dist: tf.Tensor2D, indices: tf.Tensor1D, transition: tf.Tensor2D): tf.Scalar {
  const k = transition.shape[0];
  if (dist.shape[1] !== k || transition.shape[1] !== k) throw new RangeError(`dist must be [n, ${k}] and transition [${k}, ${k}], got [${dist.shape}] and [${transition.shape}]`);
  if (indices.shape[0] !== dist.shape[0]) throw new RangeError(`indices must have ${dist.shape[0]} entries, got ${indices.shape[0]}`);
  return tf.tidy(() => {
    const w = gatherRows(transition, indices); // rows P(· | k_i): constants (no gradient)
    return tf.mean(tf.sum(tf.mul(w, dist), 1)) as tf.Scalar;
  });
}

/**
 * The perceptual substitute for VGG16 Gram losses (eqs. 24–25): no VGG weights exist offline, and the only
 * ImageNet CNN (nsfwjs' MobileNetV2) is the evaluation metric's network and cannot be differentiated on wasm
 * (no DepthwiseConv2dNativeBackpropInput kernel). So φ_l are FIXED filters — per colour channel the value and
 * its Sobel x/y gradients (9 maps) — at scales 1, ½, ¼ (2×2 average pooling between them).
 */
export const GRAM_SCALES = 3;
export const GRAM_CHANNELS = 9;

let gramFilter: tf.Tensor4D | null = null;

function sobelFilter(): tf.Tensor4D {
  if (gramFilter && !gramFilter.isDisposed) return gramFilter;
  const id = [0, 0, 0, 0, 1, 0, 0, 0, 0];
  const sx = [-1, 0, 1, -2, 0, 2, -1, 0, 1].map((v) => v / 4);
  const sy = [-1, -2, -1, 0, 0, 0, 1, 2, 1].map((v) => v / 4);
  const w = new Float32Array(3 * 3 * 3 * GRAM_CHANNELS); // [kh, kw, cin, cout]
  for (let t = 0; t < 9; t++) {
    for (let c = 0; c < 3; c++) {
      [id, sx, sy].forEach((f, j) => { w[(t * 3 + c) * GRAM_CHANNELS + c * 3 + j] = f[t]; });
    }
  }
  gramFilter = tf.keep(tf.tensor4d(w, [3, 3, 3, GRAM_CHANNELS]));
  return gramFilter;
}

/** Gram matrices G_l = φ_lᵀφ_l / (C·H·W) per image (eq. 25), one [B, C, C] per scale. */
export function gramMatrices(x: tf.Tensor4D): tf.Tensor3D[] {
  if (x.rank !== 4 || x.shape[3] !== 3) throw new RangeError(`gramMatrices: x must be [B, H, W, 3], got [${x.shape}]`);
  const out: tf.Tensor3D[] = [];
  let cur: tf.Tensor4D = x;
  for (let s = 0; s < GRAM_SCALES; s++) {
    if (s > 0) cur = tf.avgPool(cur, 2, 2, 'valid');
    const [b, h, w] = cur.shape;
    const f = tf.reshape(tf.conv2d(cur, sobelFilter(), 1, 'same'), [b, h * w, GRAM_CHANNELS]) as tf.Tensor3D;
    out.push(tf.div(gramMatrix(f), GRAM_CHANNELS * h * w) as tf.Tensor3D);
  }
  return out;
}

/** Σ_l ‖G_l(x) − G_l(x̂)‖²_F, averaged over the batch; x is the target (no gradient needed). */
export function gramLoss(x: tf.Tensor4D, xhat: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const gx = gramMatrices(x).map((g) => stopGradient(g));
    const gy = gramMatrices(xhat);
    const per = gy.map((g, l) => tf.sum(tf.square(tf.sub(g, gx[l])), [1, 2]));
    return tf.mean(tf.addN(per)) as tf.Scalar;
  });
}

/** The pieces of the total loss (23)–(24), each a scalar on the tape. */
export interface LossBreakdown {
  /** ‖x − x̂‖² (per-pixel mean). */
  readonly recon: tf.Scalar;
  /** Σ_l ‖G_l(x) − G_l(x̂)‖²_F (weighted by λ_P in total). */
  readonly perceptual: tf.Scalar;
  /** ‖sg(z) − e_k‖² (per-element mean). */
  readonly codebook: tf.Scalar;
  /** ‖z − sg(e_k)‖² (weighted by β). */
  readonly commitment: tf.Scalar;
  /** Ĥ(S) in nats (enters as −λ_H·Ĥ). */
  readonly entropy: tf.Scalar;
  /** L_CA of eq. (22) (weighted by λ_C). */
  readonly channelAware: tf.Scalar;
  readonly total: tf.Scalar;
}

export interface LossWeights {
  readonly beta: number;
  readonly lambdaH: number;
  readonly lambdaC: number;
  readonly lambdaP: number;
}

/** L = recon + λ_P·perceptual + codebook + β·commitment − λ_H·Ĥ + λ_C·L_CA (eqs. 13, 23, 24). */
export function totalLoss(parts: Omit<LossBreakdown, 'total'>, w: LossWeights): tf.Scalar {
  return tf.tidy(() => tf.addN([
    parts.recon, tf.mul(parts.perceptual, w.lambdaP), parts.codebook, tf.mul(parts.commitment, w.beta),
    tf.mul(parts.entropy, -w.lambdaH), tf.mul(parts.channelAware, w.lambdaC),
  ]) as tf.Scalar);
}

/** Counts of each index in 0..K−1 (for usage histograms and perplexity). */
export function indexCounts(indices: ArrayLike<number>, K: number): Float64Array {
  assertInteger('K', K, 1);
  const c = new Float64Array(K);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= K) throw new RangeError(`indices[${i}] must be an integer in 0..${K - 1}, got ${k}`);
    c[k]++;
  }
  return c;
}
