/**
 * E2EC (docs/papers/e2ec.md#equations): length network f_l (categorical over l ∈ {0..N−1}; l + 1 bits are sent), content network
 * f_z̃ (N independent Bernoulli bits, fed by the auxiliary branch's pre-sample [μ, s]), truncation T, BSC on the
 * transmitted bits only, decoder ĝ = Σ_i v_i^(ẑ_i) followed by a classifier. The encoder is discrete and
 * sampled, so it learns by the score-function gradient; the decoder by backpropagation.
 * Sampling happens in TypeScript on the lib/core Rng so runs are reproducible and resumable.
 */
import { Rng } from '../../core/index.js';
import { bsc } from '../../channels/index.js';
import {
  tf, addParam, denseLayer, matMul, reinforceSurrogate, repeatEachRow, stopGradient, type Params,
} from '../../nn/index.js';
import type { E2ecConfig } from './config.js';
import { initDenseXavier, initMlp, layerNorm, mlp } from './layers.js';
import { mixtureMi } from './mi.js';

export const INPUT_DIM = 784;
export const CLASSES = 10;

/** Builds every parameter of the E2EC model (Xavier-normal gain 0.1; embeddings N(0, 0.1²)). */
export function initE2ec(cfg: E2ecConfig, rng: Rng): Params {
  const p: Params = {};
  const [h1, h2] = cfg.hidden;
  const d = cfg.embedDim;
  const n = cfg.maxLength;
  if (cfg.sharedTrunk) {
    // One trunk 784 → h1 → h2 (ReLU + LN after each) with two linear heads: halves the encoder's cost.
    initMlp(p, 'trunk', [INPUT_DIM, h1, h2, 1], rng);
    disposeParam(p, 'trunk.l2.w');
    disposeParam(p, 'trunk.l2.b');
    initDenseXavier(p, 'len.head', h2, n, rng);
    initDenseXavier(p, 'reg.head', h2, 2 * d, rng);
  } else {
    initMlp(p, 'len', [INPUT_DIM, h1, h2, n], rng);
    initMlp(p, 'reg', [INPUT_DIM, h1, h2, 2 * d], rng);
  }
  initMlp(p, 'content', [2 * d, cfg.contentHidden[0], cfg.contentHidden[1], n], rng);
  const emb = new Float32Array(2 * n * d);
  for (let i = 0; i < emb.length; i++) emb[i] = 0.1 * rng.normal();
  // Row 2i is v_i^(0), row 2i+1 is v_i^(1); truncated positions contribute nothing (the authors' masked row).
  addParam(p, 'emb', tf.tensor2d(emb, [2 * n, d]));
  initMlp(p, 'cls', [d, 256, CLASSES], rng);
  if (cfg.grounding) initMlp(p, 'clsc', [d, 256, CLASSES], rng);
  return p;
}

export interface EncoderOutput {
  /** [B, N] logits of the length l ∈ {0..N−1} (transmitted length l + 1). */
  readonly lenLogits: tf.Tensor2D;
  /** [B, N] Bernoulli logits of the content bits. */
  readonly bitLogits: tf.Tensor2D;
  /** [B, 2d] pre-sample [μ, s] of the auxiliary Gaussian branch. */
  readonly muS: tf.Tensor2D;
}

export function encode(p: Params, cfg: E2ecConfig, x: tf.Tensor2D): EncoderOutput {
  let lenLogits: tf.Tensor2D;
  let muS: tf.Tensor2D;
  if (cfg.sharedTrunk) {
    const h = layerNorm(p, 'trunk.n1', tf.relu(mlp(p, 'trunk', x, 2, true)));
    lenLogits = denseLayer(p, 'len.head', h) as tf.Tensor2D;
    muS = denseLayer(p, 'reg.head', h) as tf.Tensor2D;
  } else {
    lenLogits = mlp(p, 'len', x, 3, true) as tf.Tensor2D;
    muS = mlp(p, 'reg', x, 3, true) as tf.Tensor2D;
  }
  return { lenLogits, bitLogits: mlp(p, 'content', muS, 3) as tf.Tensor2D, muS };
}

function disposeParam(p: Params, name: string): void {
  p[name].dispose();
  delete p[name];
}

export interface SampledCode {
  /** Transmitted length per example, 1..N (the authors' l + 1). */
  readonly lengths: Int32Array;
  /** B × N content bits z̃ (all N, also those truncated away). */
  readonly content: Uint8Array;
}

/** Draws l ~ Cat(π_b) and z̃ ~ Bern(p_b) for each row (π: B × N, p: B × N, row-major). */
export function sampleCode(lenProbs: ArrayLike<number>, bitProbs: ArrayLike<number>, batch: number, n: number, rng: Rng): SampledCode {
  const lengths = new Int32Array(batch);
  const content = new Uint8Array(batch * n);
  for (let b = 0; b < batch; b++) {
    const u = rng.uniform();
    let acc = 0;
    let l = n - 1; // rounding: a u beyond the summed float probabilities falls on the last length
    for (let k = 0; k < n; k++) {
      acc += lenProbs[b * n + k];
      if (u < acc) { l = k; break; }
    }
    lengths[b] = l + 1;
    for (let i = 0; i < n; i++) content[b * n + i] = rng.uniform() < bitProbs[b * n + i] ? 1 : 0;
  }
  return { lengths, content };
}

/** T(z̃, l): the first `length` bits of each row, −1 after (B × N, Int8). */
export function truncate(content: Uint8Array, lengths: Int32Array, n: number): Int8Array {
  const out = new Int8Array(content.length).fill(-1);
  lengths.forEach((len, b) => {
    if (!Number.isInteger(len) || len < 0 || len > n) throw new RangeError(`lengths[${b}] must be an integer in [0, ${n}], got ${len}`);
    for (let i = 0; i < len; i++) out[b * n + i] = content[b * n + i];
  });
  return out;
}

/** BSC(ε) on the valid (≥ 0) entries only; −1 marks stay (the receiver knows the length, docs/papers/e2ec.md#errata). */
export function bscValid(code: Int8Array, eps: number, rng: Rng): Int8Array {
  const idx: number[] = [];
  code.forEach((v, i) => { if (v >= 0) idx.push(i); });
  const sent = Uint8Array.from(idx, (i) => code[i]);
  const got = bsc(sent, { eps, rng });
  const out = Int8Array.from(code);
  idx.forEach((i, k) => { out[i] = got[k]; });
  return out;
}

/** Decoder input: B × 2N selector A with A[b, 2i + ẑ_bi] = 1 for valid bits, so x̂ = A·E sums the embeddings. */
export function selector(received: Int8Array, n: number): Float32Array {
  const a = new Float32Array(received.length * 2);
  received.forEach((v, j) => {
    if (v >= 0) a[2 * j + v] = 1;
  });
  return a;
}

/** x̂ = Σ_i v_i^(ẑ_i) and the class logits. */
export function decode(p: Params, a: tf.Tensor2D): { xhat: tf.Tensor2D; logits: tf.Tensor2D } {
  const xhat = matMul(a, p.emb as tf.Variable as unknown as tf.Tensor2D);
  return { xhat, logits: mlp(p, 'cls', xhat, 2) as tf.Tensor2D };
}

/** Per-example cross-entropy (nats) from logits and a one-hot target. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

/** σ = softplus(s − 5) + 1e-6 (the authors' parameterisation). */
export function gaussianParams(muS: tf.Tensor2D, d: number): { mu: tf.Tensor2D; sigma: tf.Tensor2D } {
  const [mu, s] = tf.split(muS, [d, d], 1) as [tf.Tensor2D, tf.Tensor2D];
  return { mu, sigma: tf.add(tf.softplus(tf.sub(s, 5)), 1e-6) as tf.Tensor2D };
}

export { mixtureMi } from './mi.js';

export interface StepStats {
  /** Mean transmitted length E[l + 1] under the length pmf (bits). */
  rate: number;
  /** Mean CE of the main decoder (nats). */
  distortion: number;
  accuracy: number;
  /** Variance of the length under the batch-averaged pmf (the authors' `avg_variance`). */
  lengthVariance: number;
}

function repeatEach<T extends Uint8Array | Float32Array>(a: T, width: number, k: number): T {
  const out = new (a.constructor as new (n: number) => T)(a.length * k);
  const rows = a.length / width;
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) out.set(a.subarray(r * width, (r + 1) * width), (r * k + j) * width);
  return out;
}

/**
 * The training surrogate of one batch (docs/papers/e2ec.md#training-step, steps 1–6). Its gradient is: backprop for the decoder and the
 * auxiliary branch, the score-function estimate for f_l and f_z̃ (minus the baseline), and λ∇E[L] analytically.
 * With cfg.samples = K > 1 each digit is encoded K times (one encoder pass; the 'leaveOneOut' baseline of a sample
 * is the mean distortion of the digit's other K − 1 samples).
 */
export function e2ecSurrogate(p: Params, cfg: E2ecConfig, x: tf.Tensor2D, y: Uint8Array, rng: Rng, stats?: (s: StepStats) => void): tf.Scalar {
  const bsz = x.shape[0];
  const n = cfg.maxLength;
  const d = cfg.embedDim;
  const k = cfg.samples;
  const rows = bsz * k;
  const tileRows = (t: tf.Tensor2D): tf.Tensor2D => (k > 1 ? repeatEachRow(t, k) : t);
  const yk = k > 1 ? repeatEach(y, 1, k) : y;
  const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), CLASSES) as tf.Tensor2D;
  const onehotK = k > 1 ? (tf.oneHot(tf.tensor1d(yk, 'int32'), CLASSES) as tf.Tensor2D) : onehot;
  const { lenLogits, bitLogits, muS } = encode(p, cfg, x);
  const logPi = tf.logSoftmax(lenLogits) as tf.Tensor2D;
  const pi = tf.exp(logPi);
  const bitP = tf.sigmoid(bitLogits);
  const piv = pi.dataSync() as Float32Array;
  const bpv = bitP.dataSync() as Float32Array;
  const code = sampleCode(k > 1 ? repeatEach(piv, n, k) : piv, k > 1 ? repeatEach(bpv, n, k) : bpv, rows, n, rng);
  const received = bscValid(truncate(code.content, code.lengths, n), cfg.eps, rng);
  const { xhat, logits } = decode(p, tf.tensor2d(selector(received, n), [rows, 2 * n]));
  const dist = crossEntropy(logits, onehotK);

  const lOneHot = tf.oneHot(tf.tensor1d(Array.from(code.lengths, (v) => v - 1), 'int32'), n);
  const zt = tf.tensor2d(code.content, [rows, n], 'float32');
  const bitLogitsK = tileRows(bitLogits);
  const logProb = tf.add(tf.sum(tf.mul(tileRows(logPi), lOneHot), 1), tf.sum(tf.sub(tf.mul(zt, bitLogitsK), tf.softplus(bitLogitsK)), 1)); // all N bits, as the authors
  const ls = tf.range(0, n, 1, 'float32');
  const rate = tf.mean(tf.sum(tf.mul(pi, ls), 1)); // E[l]; +1 is constant
  const entropy = tf.add(
    tf.mean(tf.neg(tf.sum(tf.mul(pi, logPi), 1))),
    tf.mean(tf.sub(tf.softplus(bitLogits), tf.mul(bitP, bitLogits))),
  );
  let loss = tf.add(tf.mean(dist), tf.mul(rate, cfg.lambda));
  loss = tf.sub(loss, tf.mul(entropy, cfg.entropyWeight));
  let baseline: tf.Tensor | number = 0;
  if (cfg.grounding) {
    const { mu, sigma } = gaussianParams(muS, d);
    const zc = tf.add(mu, tf.mul(sigma, tf.randomNormal([bsz, d], 0, 1, 'float32', rng.int(2 ** 31)))) as tf.Tensor2D;
    const logitsC = mlp(p, 'clsc', zc, 2) as tf.Tensor2D;
    const distC = crossEntropy(logitsC, onehot);
    const q = tileRows(tf.softmax(tf.div(stopGradient(logitsC), cfg.temperature)) as tf.Tensor2D);
    const kd = tf.mean(tf.sum(tf.mul(q, tf.sub(tf.log(tf.add(q, 1e-12)), tf.logSoftmax(tf.div(logits, cfg.temperature)))), 1));
    const ground = tf.mul(tf.mean(tf.square(tf.sub(xhat, tileRows(stopGradient(zc))))), 0.01);
    const terms = [tf.mean(distC), kd, ground];
    // λ·Î ≤ λ·d·log B: below 1e-3 nats it cannot matter, and the estimator is the step's most expensive op.
    if (cfg.lambda * d * Math.log(bsz) >= 1e-3) terms.push(tf.mul(mixtureMi(zc, mu, sigma), cfg.lambda));
    loss = tf.add(loss, tf.addN(terms));
    if (cfg.baseline === 'aux') baseline = tf.squeeze(tileRows(tf.expandDims(distC, 1) as tf.Tensor2D), [1]);
  }
  if (cfg.baseline === 'batchMean') baseline = tf.mean(dist);
  if (cfg.baseline === 'leaveOneOut') {
    const dk = tf.reshape(dist, [bsz, k]);
    baseline = tf.reshape(tf.div(tf.sub(tf.sum(dk, 1, true), dk), k - 1), [rows]);
  }
  const surrogate = tf.add(loss, reinforceSurrogate(logProb, dist, baseline)) as tf.Scalar;
  if (stats) stats(stepStats(pi, dist, logits, yk, n, bsz));
  return surrogate;
}

function stepStats(pi: tf.Tensor, dist: tf.Tensor1D, logits: tf.Tensor2D, y: Uint8Array, n: number, bsz: number): StepStats {
  const piv = pi.dataSync();
  const avg = new Float64Array(n);
  for (let b = 0; b < bsz; b++) for (let k = 0; k < n; k++) avg[k] += piv[b * n + k] / bsz;
  let m1 = 0;
  let m2 = 0;
  avg.forEach((q, k) => { m1 += q * (k + 1); m2 += q * (k + 1) ** 2; });
  const pred = tf.argMax(logits, 1).dataSync();
  let correct = 0;
  for (let b = 0; b < y.length; b++) if (pred[b] === y[b]) correct++;
  return { rate: m1, distortion: tf.mean(dist).dataSync()[0], accuracy: correct / y.length, lengthVariance: m2 - m1 * m1 };
}
