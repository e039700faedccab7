/**
 * The two baselines of Fig. 2(a) (docs/papers/e2ec.md#baselines).
 * - d2-JSCC: fixed-length digital JSCC. ToyNet → d reals → d/2 pairs; a shared 4-point codebook E (4 × 2); the
 *   index is chosen by hard Gumbel-softmax (straight-through) in training and argmax in evaluation, sent as 2 bits
 *   (MSB first) over the BSC; ŷ = y + onehot(k̂) − onehot(k) keeps the gradient; ẑ = ŷE → classifier. Rate = d bits.
 * - RDBO: deep variational IB without a channel: Gaussian z, normalised to norm √d, CE + β·Î(X;Z) with the
 *   minibatch-mixture estimator; its "rate" is Î in bits.
 */
import { Rng } from '../../core/index.js';
import { bscIndices } from '../../channels/index.js';
import { tf, addParam, gumbelSoftmax, matMul, type Params } from '../../nn/index.js';
import type { D2jsccConfig, RdboConfig } from './config.js';
import { initMlp, mlp } from './layers.js';
import { CLASSES, INPUT_DIM, crossEntropy, gaussianParams, mixtureMi } from './model.js';
import { mixtureMiPerSample } from './mi.js';

export function initD2jscc(cfg: D2jsccConfig, rng: Rng): Params {
  const p: Params = {};
  initMlp(p, 'enc', [INPUT_DIM, cfg.hidden[0], cfg.hidden[1], cfg.d], rng, 1);
  const cb = new Float32Array(8);
  for (let i = 0; i < 8; i++) cb[i] = (rng.uniform() - 0.5) / 2; // U(−1/4, 1/4)
  addParam(p, 'codebook', tf.tensor2d(cb, [4, 2]));
  initMlp(p, 'cls', [cfg.d, 256, CLASSES], rng, 1);
  return p;
}

/** d2-JSCC forward: hard one-hot indices (training: Gumbel; evaluation: argmax), channel, decode → logits. */
export function d2jsccForward(p: Params, cfg: D2jsccConfig, x: tf.Tensor2D, rng: Rng, training: boolean): tf.Tensor2D {
  const bsz = x.shape[0];
  const u = tf.reshape(mlp(p, 'enc', x, 3, true), [bsz * cfg.d / 2, 2]) as tf.Tensor2D;
  const cb = p.codebook as unknown as tf.Tensor2D;
  const scores = tf.div(matMul(u, tf.transpose(cb) as tf.Tensor2D), Math.SQRT2);
  const y = training ? gumbelSoftmax(scores,
    { tau: cfg.tau, rng, hard: true }) : (tf.oneHot(tf.argMax(scores, 1), 4).toFloat() as tf.Tensor2D);
  const k = tf.argMax(y, 1).dataSync();
  const kHat = bscIndices(k, { mBits: 2, eps: cfg.eps, rng });
  const delta = new Float32Array(k.length * 4);
  for (let i = 0; i < k.length; i++) { delta[4 * i + kHat[i]] += 1; delta[4 * i + k[i]] -= 1; }
  const yHat = tf.add(y, tf.tensor2d(delta, [k.length, 4])) as tf.Tensor2D;
  const z = tf.reshape(matMul(yHat, cb), [bsz, cfg.d]);
  return mlp(p, 'cls', z, 2) as tf.Tensor2D;
}

export function d2jsccLoss(p: Params, cfg: D2jsccConfig, x: tf.Tensor2D, y: Uint8Array, rng: Rng): tf.Scalar {
  const oh = tf.oneHot(tf.tensor1d(y, 'int32'), CLASSES) as tf.Tensor2D;
  return tf.mean(crossEntropy(d2jsccForward(p, cfg, x, rng, true), oh)) as tf.Scalar;
}

export function initRdbo(cfg: RdboConfig, rng: Rng): Params {
  const p: Params = {};
  initMlp(p, 'enc', [INPUT_DIM, cfg.hidden[0], cfg.hidden[1], 2 * cfg.d], rng, 1);
  initMlp(p, 'cls', [cfg.d, 256, CLASSES], rng, 1);
  return p;
}

/** RDBO forward: logits and the MI estimate (nats) of the batch. */
export function rdboForward(p: Params, cfg: RdboConfig, x: tf.Tensor2D, rng: Rng): { logits: tf.Tensor2D; mi: tf.Scalar } {
  const bsz = x.shape[0];
  const { mu, sigma } = gaussianParams(mlp(p, 'enc', x, 3, true) as tf.Tensor2D, cfg.d);
  const z = tf.add(mu, tf.mul(sigma, tf.randomNormal([bsz, cfg.d], 0, 1, 'float32', rng.int(2 ** 31)))) as tf.Tensor2D;
  const mi = mixtureMi(z, mu, sigma);
  const zn = tf.mul(tf.div(z, tf.norm(z, 2, 1, true)), Math.sqrt(cfg.d)) as tf.Tensor2D;
  return { logits: mlp(p, 'cls', zn, 2) as tf.Tensor2D, mi };
}

/**
 * Evaluation-only RDBO forward: the same sampling and decoding as rdboForward, plus the estimator's per-sample terms
 * (nats; their mean is rdboForward's `mi`) so each test digit gets its own rate.
 */
export function rdboEvaluate(p: Params, cfg: RdboConfig, x: tf.Tensor2D, rng: Rng): { logits: tf.Tensor2D; miPerSample: Float64Array } {
  const bsz = x.shape[0];
  const { mu, sigma } = gaussianParams(mlp(p, 'enc', x, 3, true) as tf.Tensor2D, cfg.d);
  const z = tf.add(mu, tf.mul(sigma, tf.randomNormal([bsz, cfg.d], 0, 1, 'float32', rng.int(2 ** 31)))) as tf.Tensor2D;
  const miPerSample = mixtureMiPerSample(z.dataSync(), mu.dataSync(), sigma.dataSync(), bsz, cfg.d);
  const zn = tf.mul(tf.div(z, tf.norm(z, 2, 1, true)), Math.sqrt(cfg.d)) as tf.Tensor2D;
  return { logits: mlp(p, 'cls', zn, 2) as tf.Tensor2D, miPerSample };
}

export function rdboLoss(p: Params, cfg: RdboConfig, x: tf.Tensor2D, y: Uint8Array, rng: Rng): tf.Scalar {
  const oh = tf.oneHot(tf.tensor1d(y, 'int32'), CLASSES) as tf.Tensor2D;
  const { logits, mi } = rdboForward(p, cfg, x, rng);
  return tf.add(tf.mean(crossEntropy(logits, oh)), tf.mul(mi, cfg.beta)) as tf.Scalar;
}
