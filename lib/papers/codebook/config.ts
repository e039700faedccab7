/**
 * Configurations of the codebook paper's VQ-VAE models (docs/papers/codebook.md) and their validation. The four schemes of
 * Figs. 3–4 differ ONLY in λ_H (index entropy) and λ_C (channel-aware loss); everything else is shared.
 * The paper's β, λ_H, λ_C, λ_P, K, N and the VGG layers were lost (docs/papers/codebook.md#hyperparameters): every default here is ours.
 */
import {
  assertFiniteNumber, assertInRange, assertInteger, assertNonNegative, assertOneOf, assertPositive,
} from '../../core/index.js';
import { MAX_INDEX_BITS, qamBer, type IndexChannelModel } from '../../channels/index.js';
import { assertOptionalDataset, type DatasetName } from '../../data/index.js';

export type Scheme = 'proposed' | 'vqvae_entropy' | 'vqvae_channel_aware' | 'vqvae';
/** The schemes in the order of the paper's legends; the names are the CSV keys of figures/codebook/fig3|4.csv. */
export const VQ_SCHEMES: readonly Scheme[] = ['proposed', 'vqvae_entropy', 'vqvae_channel_aware', 'vqvae'];
export const SCHEME_LABELS: Readonly<Record<Scheme, string>> = {
  proposed: 'Proposed (entropy + channel-aware)',
  vqvae_entropy: 'VQ-VAE + index entropy',
  vqvae_channel_aware: 'VQ-VAE + channel-aware',
  vqvae: 'VQ-VAE (plain)',
};

/** How Ĥ(S) is made differentiable (eq. 14, docs/papers/codebook.md#entropy-regularisation): soft assignments, or hard counts forward with the soft gradient. */
export type EntropyEstimator = 'soft' | 'straight-through';
export const ENTROPY_ESTIMATORS: readonly EntropyEstimator[] = ['soft', 'straight-through'];

export interface VqModelConfig {
  readonly kind: 'vq';
  readonly scheme: Scheme;
  /** Codebook size K = 2^m (a power of two, so every received m-bit index is a valid codeword). */
  readonly K: number;
  /** Codeword dimension D. */
  readonly D: number;
  /** Channels at the latent grid (width/2 at half resolution); a multiple of 4. */
  readonly width: number;
  /** Training patch side (the encoder down-samples 4×: N = (patch/4)² vectors per image). */
  readonly patchSize: 32 | 64;
  /**
   * The paper's dataset (paper profile: 'voc2012'), whole images scaled to patchSize × patchSize; absent = the photo
   * set's patches (quick and full profiles; absent, not 'photos', so their configs and cache keys are unchanged).
   */
  readonly dataset?: DatasetName;
  /** Commitment weight β (eq. 5). */
  readonly beta: number;
  /** Index-entropy weight λ_H (eq. 13) and its softmax temperature τ (relative to the batch's mean nearest distance). */
  readonly lambdaH: number;
  readonly tau: number;
  readonly entropyEstimator: EntropyEstimator;
  /** Channel-aware weight λ_C (eq. 23), the transition model of eq. (22), and the design SNR that sets ε. */
  readonly lambdaC: number;
  readonly channelModel: IndexChannelModel;
  readonly designSnrDb: number;
  /** Perceptual (Gram) weight λ_P (eq. 24; our fixed-filter substitute for VGG16, see losses.ts). */
  readonly lambdaP: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  /** Steps between logged loss breakdowns. */
  readonly logEvery: number;
}

/** ε of the design SNR: uncoded Gray 64-QAM over Rayleigh fading with CSI (closed form, docs/papers/codebook.md#snr-to-bit-flip-probability). */
export function designEpsilon(snrDb: number): number {
  assertFiniteNumber('snrDb', snrDb);
  return qamBer(64, snrDb, 'rayleigh');
}

/** Bits per index m = log2 K. */
export function indexBits(K: number): number {
  assertInteger('K', K, 2, 2 ** MAX_INDEX_BITS);
  const m = Math.round(Math.log2(K));
  if (2 ** m !== K) throw new RangeError(`K must be a power of two (every m-bit word a valid index, docs/papers/codebook.md#errata), got ${K}`);
  return m;
}

/** Latent vectors per image N = (patch/4)². */
export function latentsPerImage(cfg: Pick<VqModelConfig, 'patchSize'>): number {
  return (cfg.patchSize / 4) ** 2;
}

/** Our defaults (the paper's values are lost): K = 64, D = 16, β = 0.25, λ_H = 0.1, λ_C = 1, design 10 dB. */
export const DEFAULT_VQ: Omit<VqModelConfig, 'scheme'> = {
  kind: 'vq', K: 64, D: 16, width: 48, patchSize: 32, beta: 0.25,
  lambdaH: 0.1, tau: 0.5, entropyEstimator: 'soft',
  lambdaC: 1, channelModel: 'exact', designSnrDb: 10,
  lambdaP: 1, steps: 3000, batchSize: 32, lr: 2e-3, seed: 2025, logEvery: 50,
};

/** One scheme's configuration: the shared settings with λ_H and/or λ_C switched off as the scheme says. */
export function vqConfig(scheme: Scheme, overrides: Partial<Omit<VqModelConfig, 'scheme' | 'kind'>> = {}): VqModelConfig {
  assertOneOf('scheme', scheme, VQ_SCHEMES);
  const base = { ...DEFAULT_VQ, ...overrides };
  const c: VqModelConfig = {
    ...base, kind: 'vq', scheme,
    lambdaH: scheme === 'proposed' || scheme === 'vqvae_entropy' ? base.lambdaH : 0,
    lambdaC: scheme === 'proposed' || scheme === 'vqvae_channel_aware' ? base.lambdaC : 0,
  };
  validateVq(c);
  return c;
}

export function validateVq(c: VqModelConfig): void {
  if (c === null || typeof c !== 'object') throw new TypeError('config must be an object');
  if (c.kind !== 'vq') throw new RangeError(`config.kind must be 'vq', got ${JSON.stringify(c.kind)}`);
  assertOneOf('scheme', c.scheme, VQ_SCHEMES);
  indexBits(c.K);
  assertInteger('D', c.D, 1, 512);
  assertInteger('width', c.width, 4, 512);
  if (c.width % 4 !== 0) throw new RangeError(`width must be a multiple of 4, got ${c.width}`);
  assertOneOf('patchSize', c.patchSize, [32, 64]);
  assertOptionalDataset('dataset', c.dataset);
  assertNonNegative('beta', c.beta);
  assertNonNegative('lambdaH', c.lambdaH);
  assertPositive('tau', c.tau);
  assertOneOf('entropyEstimator', c.entropyEstimator, ENTROPY_ESTIMATORS);
  assertNonNegative('lambdaC', c.lambdaC);
  assertOneOf('channelModel', c.channelModel, ['exact', 'random-labelling'] as const);
  assertInRange('designSnrDb', c.designSnrDb, -20, 60);
  assertNonNegative('lambdaP', c.lambdaP);
  assertInteger('steps', c.steps, 1);
  assertInteger('batchSize', c.batchSize, 1, 4096);
  assertPositive('lr', c.lr);
  assertFiniteNumber('seed', c.seed);
  assertInteger('logEvery', c.logEvery, 1);
  const wantH = c.scheme === 'proposed' || c.scheme === 'vqvae_entropy';
  const wantC = c.scheme === 'proposed' || c.scheme === 'vqvae_channel_aware';
  if (wantH !== c.lambdaH > 0 || wantC !== c.lambdaC > 0) {
    throw new RangeError(`scheme '${c.scheme}' needs lambdaH ${wantH ? '> 0' : '= 0'} and lambdaC ${wantC ? '> 0' : '= 0'}, got ${c.lambdaH} and ${c.lambdaC}`);
  }
}
