/**
 * The codec of Fig. 5, one definition for AE, VAE and VSCC (lib/nn layers, NHWC):
 *   encoder: conv → S × [ResBlock(c_{i−1} → c_i), stride-2 conv] → B × ResBlock + attention → GN, Swish, conv to
 *            2k (mean, log-variance; k for the AE) → 1×1 conv ("a CNN layer transforms Y before the channel");
 *   decoder: 1×1 conv → conv to c_S → B' × ResBlock + attention → S × [ResBlock(c_i → c_{i−1}), ×2 up-sampling conv]
 *            → R × ResBlock → GN, Swish, conv to 3, tanh.
 * Images enter as [0, 1] and are mapped to [−1, 1]; the decoder's tanh output is mapped back to [0, 1].
 * Training forward (VSCC/VAE): s = power-normalised μ, z = s + n (AWGN, σ2²), ŷ = z + σ1·ε (reparameterisation at
 * the receiver: ŷ ~ N(μ1, σ1² + σ2²) = p(z|x)), x̂ = dec(ŷ). AE: x̂ = dec(z).
 */
import { Rng } from '../../core/index.js';
import {
  tf, type Params, initConv2d, conv2dLayer, initGroupNorm, groupNormSwish, initResBlock, resBlock, initAttention,
  attentionBlock, upsampleConvLayer, swish, randomNormal,
} from '../../nn/index.js';
import { validateArch, latentSide, type CodecArch, type Method, type ModelConfig } from './config.js';
import { awgnNoiseVariance, powerNormalize, vaeKlTensor, vsccKlTensor } from './losses.js';

/** Log-variance range kept by the encoder (exp(−16) ≈ 1e−7 … exp(6) ≈ 400). */
export const LOG_VAR_RANGE = [-16, 6] as const;

/** Adds the codec's variables (the same for AE, VAE and VSCC: the AE ignores the log-variance half of the head). */
export function initCodec(a: CodecArch, rng: Rng): Params {
  validateArch(a);
  const p: Params = {};
  const c = a.stageChannels;
  const last = c[c.length - 1];
  const k = a.latentChannels;
  const out = 2 * k;
  initConv2d(p, 'enc.in', { k: 3, cin: 3, cout: a.baseChannels, rng });
  c.forEach((w, i) => {
    initResBlock(p, `enc.s${i}.res`, { cin: i === 0 ? a.baseChannels : c[i - 1], cout: w, rng });
    initConv2d(p, `enc.s${i}.down`, { k: 3, cin: w, cout: w, rng });
  });
  for (let b = 0; b < a.encoderBottleneckBlocks; b++) initResBlock(p, `enc.mid${b}`, { cin: last, cout: last, rng });
  if (a.attention) initAttention(p, 'enc.att', { channels: last, rng });
  if (a.endNorm !== false) initGroupNorm(p, 'enc.gn', last);
  initConv2d(p, 'enc.out', { k: 3, cin: last, cout: out, rng });
  initConv2d(p, 'enc.quant', { k: 1, cin: out, cout: out, rng });
  initConv2d(p, 'dec.postQuant', { k: 1, cin: k, cout: k, rng });
  initConv2d(p, 'dec.in', { k: 3, cin: k, cout: last, rng });
  for (let b = 0; b < a.decoderBottleneckBlocks; b++) initResBlock(p, `dec.mid${b}`, { cin: last, cout: last, rng });
  if (a.attention) initAttention(p, 'dec.att', { channels: last, rng });
  for (let i = c.length - 1; i >= 0; i--) {
    const to = i === 0 ? a.baseChannels : c[i - 1];
    initResBlock(p, `dec.s${i}.res`, { cin: c[i], cout: to, rng });
    initConv2d(p, `dec.s${i}.up`, { k: 3, cin: to, cout: to, rng });
  }
  for (let b = 0; b < a.decoderRefineBlocks; b++) initResBlock(p, `dec.refine${b}`,
    { cin: a.baseChannels, cout: a.baseChannels, rng });
  if (a.endNorm !== false) initGroupNorm(p, 'dec.gn', a.baseChannels);
  initConv2d(p, 'dec.out', { k: 3, cin: a.baseChannels, cout: 3, rng });
  return p;
}

export interface Encoded {
  /** Mean μ1 before power normalisation, [B, h, w, k]. */
  readonly mu: tf.Tensor4D;
  /** log σ1², clipped to LOG_VAR_RANGE; null for the AE. */
  readonly logVar: tf.Tensor4D | null;
}

/** x [B, H, W, 3] in [0, 1] → (μ1, log σ1²); the AE keeps μ1 only. */
export function encode(p: Params, a: CodecArch, method: Method, x: tf.Tensor4D): Encoded {
  const [, h, w, ch] = x.shape;
  if (h !== a.imageSize || w !== a.imageSize || ch !== 3) {
    throw new RangeError(`x must be [B, ${a.imageSize}, ${a.imageSize}, 3], got [${x.shape}]`);
  }
  const k = a.latentChannels;
  const y = tf.tidy(() => {
    let t = conv2dLayer(p, 'enc.in', tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D);
    a.stageChannels.forEach((_, i) => {
      t = resBlock(p, `enc.s${i}.res`, t, a.groups);
      t = conv2dLayer(p, `enc.s${i}.down`, t, 2);
    });
    for (let b = 0; b < a.encoderBottleneckBlocks; b++) t = resBlock(p, `enc.mid${b}`, t, a.groups);
    if (a.attention) t = attentionBlock(p, 'enc.att', t, a.groups);
    t = conv2dLayer(p, 'enc.out', a.endNorm === false ? swish(t) : groupNormSwish(p, 'enc.gn', t, a.groups));
    return conv2dLayer(p, 'enc.quant', t);
  });
  const [mu, lv] = tf.split(y, [k, k], 3) as [tf.Tensor4D, tf.Tensor4D];
  y.dispose();
  if (method === 'ae') {
    lv.dispose();
    return { mu, logVar: null };
  }
  const logVar = tf.clipByValue(lv, LOG_VAR_RANGE[0], LOG_VAR_RANGE[1]) as tf.Tensor4D;
  lv.dispose();
  return { mu, logVar };
}

/** ŷ [B, h, w, k] → x̂ [B, H, W, 3] in [0, 1]. */
export function decode(p: Params, a: CodecArch, yhat: tf.Tensor4D): tf.Tensor4D {
  const side = latentSide(a);
  if (yhat.shape[1] !== side || yhat.shape[2] !== side || yhat.shape[3] !== a.latentChannels) {
    throw new RangeError(`yhat must be [B, ${side}, ${side}, ${a.latentChannels}], got [${yhat.shape}]`);
  }
  return tf.tidy(() => {
    let t = conv2dLayer(p, 'dec.in', conv2dLayer(p, 'dec.postQuant', yhat));
    for (let b = 0; b < a.decoderBottleneckBlocks; b++) t = resBlock(p, `dec.mid${b}`, t, a.groups);
    if (a.attention) t = attentionBlock(p, 'dec.att', t, a.groups);
    for (let i = a.stageChannels.length - 1; i >= 0; i--) {
      t = resBlock(p, `dec.s${i}.res`, t, a.groups);
      t = upsampleConvLayer(p, `dec.s${i}.up`, t);
    }
    for (let b = 0; b < a.decoderRefineBlocks; b++) t = resBlock(p, `dec.refine${b}`, t, a.groups);
    t = conv2dLayer(p, 'dec.out', a.endNorm === false ? swish(t) : groupNormSwish(p, 'dec.gn', t, a.groups));
    return tf.div(tf.add(tf.tanh(t), 1), 2) as tf.Tensor4D;
  });
}

export interface LossParts {
  readonly loss: tf.Scalar;
  /** Batch means per image: reconstruction term (nats for VSCC/VAE, MSE for the AE) and KL term (nats; 0 for AE). */
  readonly recon: tf.Scalar;
  readonly kl: tf.Scalar;
}

/**
 * One training step's loss on x [B, H, W, 3] ∈ [0, 1]: (10) for VSCC, (11) for VAE, (12) for AE, each with the
 * channel at the training SNR in the forward pass. Randomness (channel noise, resampling) comes from `rng`.
 * The KL terms see the power-normalised mean (what is transmitted), so Σμ1² = hwk is fixed and they act on σ1².
 */
export function trainingLoss(p: Params, cfg: ModelConfig, x: tf.Tensor4D, rng: Rng): LossParts {
  const noiseVar = awgnNoiseVariance(cfg.trainSnrDb);
  const { mu, logVar } = encode(p, cfg, cfg.method, x);
  const { x: s } = powerNormalize(mu);
  const z = tf.add(s, tf.mul(randomNormal(s.shape, { rng }), Math.sqrt(noiseVar))) as tf.Tensor4D;
  if (cfg.method === 'ae' || logVar === null) {
    const mse = tf.mean(tf.squaredDifference(decode(p, cfg, z), x)) as tf.Scalar;
    return { loss: mse, recon: mse, kl: tf.scalar(0) };
  }
  const yhat = tf.add(z, tf.mul(tf.exp(tf.mul(logVar, 0.5)), randomNormal(s.shape, { rng }))) as tf.Tensor4D;
  const sse = tf.sum(tf.squaredDifference(decode(p, cfg, yhat), x), [1, 2, 3]);
  const recon = tf.div(sse, 2 * cfg.decoderSigma ** 2);
  const kl = cfg.method === 'vscc' ? vsccKlTensor(s, logVar, noiseVar, cfg.cmc as number) : vaeKlTensor(s, logVar);
  return { loss: tf.mean(tf.add(recon, kl)) as tf.Scalar, recon: tf.mean(recon) as tf.Scalar, kl: tf.mean(kl) as tf.Scalar };
}

/**
 * Warm-start objective (ours, for the CPU budget; see ModelConfig.warmStart): the AE loss (12) through the channel at
 * `snrDb`, on the mean half of the shared head. Every method's training then starts from the same codec.
 */
export function pretrainLoss(p: Params, a: CodecArch, x: tf.Tensor4D, snrDb: number, rng: Rng): tf.Scalar {
  const { mu } = encode(p, a, 'ae', x);
  const { x: s } = powerNormalize(mu);
  const z = tf.add(s, tf.mul(randomNormal(s.shape, { rng }), Math.sqrt(awgnNoiseVariance(snrDb)))) as tf.Tensor4D;
  return tf.mean(tf.squaredDifference(decode(p, a, z), x)) as tf.Scalar;
}

