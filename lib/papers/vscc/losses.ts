/**
 * The channel and the KL terms of (9)–(11), in plain Float64 (for checks and the notebook) and as tf ops (training).
 *
 * Channel: AWGN on real channel uses, the transmitted block normalised to unit average power per image, so
 * σ2² = 10^(−SNR/10). VSCC term (9): KL(N(μ1, σ1² + σ2²) ‖ N(0, σ2² + d)) per latent element; VAE term (11):
 * KL(N(μ, σ²) ‖ N(0, 1)), which is the VSCC term at σ2² = 0, d = 1.
 */
import { assertFiniteNumber, assertNonNegative, assertPositive } from '../../core/index.js';
import { tf } from '../../nn/index.js';
import { assertSnrDb } from './config.js';

/** Noise variance σ2² of an AWGN channel at `snrDb` for a transmitted power `signalPower` (default 1). */
export function awgnNoiseVariance(snrDb: number, signalPower = 1): number {
  assertSnrDb('snrDb', snrDb);
  assertPositive('signalPower', signalPower);
  return signalPower * 10 ** (-snrDb / 10);
}

/** KL(N(m1, v1) ‖ N(m2, v2)) in nats, closed form ½(log(v2/v1) + (v1 + (m1 − m2)²)/v2 − 1). */
export function gaussianKl(m1: number, v1: number, m2: number, v2: number): number {
  assertFiniteNumber('m1', m1);
  assertFiniteNumber('m2', m2);
  assertPositive('v1', v1);
  assertPositive('v2', v2);
  return 0.5 * (Math.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1);
}

/** The VSCC channel-matching term (9) of one latent element, as printed: ½(log((σ2²+d)/(σ1²+σ2²)) + (μ1²+σ1²+σ2²)/(σ2²+d) − 1). */
export function vsccKl(mu: number, var1: number, noiseVar: number, cmc: number): number {
  assertFiniteNumber('mu', mu);
  assertNonNegative('var1', var1);
  assertNonNegative('noiseVar', noiseVar);
  assertPositive('cmc', cmc);
  if (var1 + noiseVar <= 0) throw new RangeError('var1 + noiseVar must be > 0 (the received variance σ1² + σ2²)');
  const prior = noiseVar + cmc;
  return 0.5 * (Math.log(prior / (var1 + noiseVar)) + (mu * mu + var1 + noiseVar) / prior - 1);
}

/** The VAE term (11) of one latent element: ½(−log σ² + σ² + μ² − 1). */
export function vaeKl(mu: number, variance: number): number {
  assertFiniteNumber('mu', mu);
  assertPositive('variance', variance);
  return 0.5 * (-Math.log(variance) + variance + mu * mu - 1);
}

/**
 * σ1² minimising (9) for a fixed μ1: ∂/∂σ1² = ½(1/(σ2²+d) − 1/(σ1²+σ2²)) = 0 ⇒ σ1² = d, whatever σ2² — the reason
 * the paper reads d as "the true variance of the encoded vector". Returned for the notebook's discussion.
 */
export function vsccOptimalVariance(cmc: number): number {
  assertPositive('cmc', cmc);
  return cmc;
}

/** Per-image sum of the VSCC term over all latent elements: mu, logVar [B, h, w, k] → [B]. */
export function vsccKlTensor(mu: tf.Tensor4D, logVar: tf.Tensor4D, noiseVar: number, cmc: number): tf.Tensor1D {
  assertNonNegative('noiseVar', noiseVar);
  assertPositive('cmc', cmc);
  const prior = noiseVar + cmc;
  return tf.tidy(() => {
    const v1 = tf.exp(logVar);
    const post = tf.add(v1, noiseVar);
    const t = tf.add(tf.sub(Math.log(prior), tf.log(post)), tf.div(tf.add(tf.square(mu), post), prior));
    return tf.mul(0.5, tf.sum(tf.sub(t, 1), [1, 2, 3])) as tf.Tensor1D;
  });
}

/** Per-image sum of the VAE term (11): mu, logVar [B, h, w, k] → [B]. */
export function vaeKlTensor(mu: tf.Tensor4D, logVar: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.sub(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), logVar), 1), [1, 2, 3])) as tf.Tensor1D);
}

/**
 * Scales each image's block s [B, h, w, k] to unit average power, Σ s² = h·w·k: the power constraint that makes
 * "SNR" mean P/σ2² with P = 1. Returns the scaled block and the per-image gain √(hwk/Σs²) (as [B, 1, 1, 1]).
 */
export function powerNormalize(s: tf.Tensor4D, eps = 1e-12): { x: tf.Tensor4D; gain: tf.Tensor4D } {
  const [b, h, w, k] = s.shape;
  return tf.tidy(() => {
    const energy = tf.sum(tf.square(s), [1, 2, 3], true);
    const gain = tf.sqrt(tf.div(h * w * k, tf.add(energy, eps))) as tf.Tensor4D;
    if (gain.shape[0] !== b) throw new RangeError('powerNormalize: batch mismatch');
    return { x: tf.mul(s, gain) as tf.Tensor4D, gain };
  });
}

/** Fixed knowledge-base variance σ_KB²: the per-element mean of the encoder variances of N images (rows × L). */
export function knowledgeBaseVariance(variances: Float32Array | Float64Array, rows: number): Float64Array {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be an integer >= 1, got ${rows}`);
  if (variances.length === 0 || variances.length % rows !== 0) {
    throw new RangeError(`variances.length (${variances.length}) must be a positive multiple of rows (${rows})`);
  }
  const L = variances.length / rows;
  const out = new Float64Array(L);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < L; j++) {
      const v = variances[r * L + j];
      if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`variances[${r * L + j}] must be a finite number >= 0, got ${v}`);
      out[j] += v;
    }
  }
  for (let j = 0; j < L; j++) out[j] /= rows;
  return out;
}
