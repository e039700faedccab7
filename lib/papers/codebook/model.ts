/**
 * The VQ-VAE codec of the codebook paper (docs/papers/codebook.md#quantisation, eqs. 1–5; architecture after van den Oord et al. 2017,
 * scaled down for a 2-core CPU): two stride-2 convolutions and a residual block map a P×P×3 patch to a
 * (P/4)×(P/4) grid of D-dimensional vectors z_i; each is replaced by its nearest codeword (one custom-gradient
 * op, lib/nn vectorQuantize), whose index is what the channel carries; the decoder mirrors the encoder.
 */
import { Rng } from '../../core/index.js';
import {
  tf, addParam, conv2dLayer, convTranspose2dLayer, gatherRows, initConv2d, initConvTranspose2d,
  stopGradient, vectorQuantize, type Params,
} from '../../nn/index.js';
import { bscIndexTransition } from '../../channels/index.js';
import { designEpsilon, indexBits, validateVq, type VqModelConfig } from './config.js';
import {
  channelAwareLoss, entropyOf, gramLoss, indexPmfEstimate, squaredDistances, totalLoss, transitionTensor,
  type LossBreakdown,
} from './losses.js';

/** VQ-VAE's residual unit (van den Oord et al. 2017): x + conv1×1(ReLU(conv3×3(ReLU(x)))), hidden width c/2. */
function initResidual(p: Params, name: string, c: number, rng: Rng): void {
  initConv2d(p, `${name}.c3`, { k: 3, cin: c, cout: c / 2, rng });
  initConv2d(p, `${name}.c1`, { k: 1, cin: c / 2, cout: c, rng });
}

function residual(p: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.add(x, conv2dLayer(p, `${name}.c1`, tf.relu(conv2dLayer(p, `${name}.c3`, tf.relu(x)))))) as tf.Tensor4D;
}

/**
 * Builds encoder, codebook (U(±1/K), the usual VQ-VAE init) and decoder parameters. Widths: width/2 channels at
 * P/2, `width` at P/4 (the latent grid), where one residual unit sits on each side.
 */
export function initVqModel(cfg: VqModelConfig, rng: Rng): Params {
  validateVq(cfg);
  const p: Params = {};
  const w = cfg.width;
  initConv2d(p, 'enc.c1', { k: 4, cin: 3, cout: w / 2, rng });
  initConv2d(p, 'enc.c2', { k: 4, cin: w / 2, cout: w, rng });
  initResidual(p, 'enc.res', w, rng);
  initConv2d(p, 'enc.out', { k: 1, cin: w, cout: cfg.D, rng });
  const cb = new Float32Array(cfg.K * cfg.D);
  for (let i = 0; i < cb.length; i++) cb[i] = (2 * rng.uniform() - 1) / cfg.K;
  addParam(p, 'codebook', tf.tensor2d(cb, [cfg.K, cfg.D]));
  initConv2d(p, 'dec.in', { k: 3, cin: cfg.D, cout: w, rng });
  initResidual(p, 'dec.res', w, rng);
  initConvTranspose2d(p, 'dec.up1', { k: 4, cin: w, cout: w / 2, rng });
  initConvTranspose2d(p, 'dec.up2', { k: 4, cin: w / 2, cout: 3, rng });
  return p;
}

/** x [B, P, P, 3] in [0, 1] → z [B, P/4, P/4, D]. */
export function encode(p: Params, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const x0 = tf.sub(x, 0.5) as tf.Tensor4D;
    let h = tf.relu(conv2dLayer(p, 'enc.c1', x0, 2)) as tf.Tensor4D;
    h = tf.relu(conv2dLayer(p, 'enc.c2', h, 2)) as tf.Tensor4D;
    h = tf.relu(residual(p, 'enc.res', h)) as tf.Tensor4D;
    return conv2dLayer(p, 'enc.out', h);
  });
}

/** ẑ [B, h, w, D] → x̂ [B, 4h, 4w, 3] in (0, 1). */
export function decode(p: Params, zq: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    let h = conv2dLayer(p, 'dec.in', zq);
    h = tf.relu(residual(p, 'dec.res', h)) as tf.Tensor4D;
    h = tf.relu(convTranspose2dLayer(p, 'dec.up1', h, 2)) as tf.Tensor4D;
    return tf.sigmoid(convTranspose2dLayer(p, 'dec.up2', h, 2)) as tf.Tensor4D;
  });
}

export function codebookOf(p: Params): tf.Tensor2D {
  const cb = p.codebook;
  if (!cb) throw new RangeError('params have no "codebook" (not a codebook-paper VQ model)');
  return cb as unknown as tf.Tensor2D;
}

/** P(j | k) of the design channel as a [K, K] tensor (eq. 22's transition matrix, exact Hamming or eq. 17). */
export function designTransition(cfg: VqModelConfig): tf.Tensor2D {
  return transitionTensor(bscIndexTransition(indexBits(cfg.K), designEpsilon(cfg.designSnrDb), cfg.channelModel));
}

export interface VqForward {
  readonly parts: LossBreakdown;
  /** Sent index per latent vector, int32 [B·N]. */
  readonly indices: tf.Tensor1D;
  readonly xhat: tf.Tensor4D;
}

/**
 * One forward pass with every loss piece. Terms whose weight is 0 are still computed (for the logs) but from
 * detached inputs, so they cannot move any parameter: the four schemes differ only in λ_H and λ_C.
 */
export function vqForward(p: Params, cfg: VqModelConfig, x: tf.Tensor4D, transition: tf.Tensor2D): VqForward {
  const z = encode(p, x);
  const flat = tf.reshape(z, [-1, cfg.D]) as tf.Tensor2D;
  const cb = codebookOf(p);
  const vq = vectorQuantize(flat, cb);
  const xhat = decode(p, tf.reshape(vq.zq, z.shape) as tf.Tensor4D);
  const recon = tf.mean(tf.square(tf.sub(x, xhat))) as tf.Scalar;
  const perceptual = cfg.lambdaP > 0 ? gramLoss(x, xhat) : stopGradient(gramLoss(x, xhat));
  const hIn = cfg.lambdaH > 0 ? squaredDistances(flat, cb) : stopGradient(squaredDistances(flat, cb));
  const entropy = entropyOf(indexPmfEstimate(hIn, cfg.tau, cfg.entropyEstimator));
  // eq. (22) with sg on z (where the paper stops the gradient is unknown: docs/papers/codebook.md#training-losses): only the codebook moves.
  const caDist = squaredDistances(stopGradient(flat), cfg.lambdaC > 0 ? cb : stopGradient(cb));
  const indices = vq.indices as tf.Tensor1D;
  const channelAware = channelAwareLoss(caDist, indices, transition);
  const parts = { recon, perceptual, codebook: vq.codebookLoss, commitment: vq.commitmentLoss, entropy, channelAware };
  return { parts: { ...parts, total: totalLoss(parts, cfg) }, indices, xhat };
}

/** Images (flat n×P×P×3 in [0,1]) → indices [n·N] and latents [n·N·D], in chunks. */
export function encodeIndices(p: Params, cfg: VqModelConfig, images: Float32Array, n: number, chunk = 64): { indices: Int32Array; latents: Float32Array } {
  const size = cfg.patchSize * cfg.patchSize * 3;
  if (images.length !== n * size) throw new RangeError(`images must hold n·${cfg.patchSize}·${cfg.patchSize}·3 = ${n * size} values, got ${images.length}`);
  const N = (cfg.patchSize / 4) ** 2;
  const indices = new Int32Array(n * N);
  const latents = new Float32Array(n * N * cfg.D);
  for (let s = 0; s < n; s += chunk) {
    const k = Math.min(chunk, n - s);
    tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(s * size, (s + k) * size), [k, cfg.patchSize, cfg.patchSize, 3]);
      const flat = tf.reshape(encode(p, x), [-1, cfg.D]) as tf.Tensor2D;
      const vq = vectorQuantize(flat, codebookOf(p));
      indices.set(vq.indices.dataSync() as Int32Array, s * N);
      latents.set(flat.dataSync() as Float32Array, s * N * cfg.D);
    });
  }
  return { indices, latents };
}

/** Received indices [n·N] → reconstructions (flat n×P×P×3), codewords looked up in the shared codebook. */
export function decodeIndices(p: Params, cfg: VqModelConfig, indices: ArrayLike<number>, n: number, chunk = 64): Float32Array {
  const g = (cfg.patchSize / 4);
  const N = g * g;
  if (indices.length !== n * N) throw new RangeError(`indices must hold n·N = ${n * N} entries, got ${indices.length}`);
  const size = cfg.patchSize * cfg.patchSize * 3;
  const out = new Float32Array(n * size);
  const idx = Int32Array.from(indices);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= cfg.K) throw new RangeError(`indices[${i}] must be in 0..${cfg.K - 1}, got ${idx[i]}`);
  }
  for (let s = 0; s < n; s += chunk) {
    const k = Math.min(chunk, n - s);
    tf.tidy(() => {
      const rows = gatherRows(codebookOf(p), idx.subarray(s * N, (s + k) * N));
      const zq = tf.reshape(rows, [k, g, g, cfg.D]) as tf.Tensor4D;
      out.set(decode(p, zq).dataSync() as Float32Array, s * size);
    });
  }
  return out;
}
