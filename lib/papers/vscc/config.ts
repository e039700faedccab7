/**
 * VSCC configurations (docs/papers/vscc.md) and their validation: the codec of Fig. 5 as a parameterised architecture (the
 * paper's 256×256 model is `PAPER_ARCH`), the training method (VSCC (10), VAE (11), AE (12)), the training SNR,
 * the channel matching constant (CMC) d, and the evaluation settings (test SNRs, resamplings per image, validation and test patches).
 */
import { assertFiniteNumber, assertInRange, assertInteger, assertOneOf, assertPositive } from '../../core/index.js';
import { assertOptionalDataset, type DatasetName } from '../../data/index.js';

export type Method = 'vscc' | 'vae' | 'ae';
export const METHODS: readonly Method[] = ['vscc', 'vae', 'ae'];

/**
 * Testing methods of Fig. 6: (a) 'ae' decodes the channel output; (b) 'transmitted' sends mean and variance and
 * resamples with the received variance; (c) 'fixed' sends the mean only and resamples with the knowledge-base
 * variance σ_KB² (mean of the encoder variances over the training images).
 */
export type TestMethod = 'ae' | 'transmitted' | 'fixed';
export const TEST_METHODS: readonly TestMethod[] = ['ae', 'transmitted', 'fixed'];

/** SNRs (dB) accepted for training and testing: wide enough for the paper's −10…25 dB, narrow enough to catch unit slips. */
export const SNR_RANGE_DB = [-30, 50] as const;

/** The codec of Fig. 5. Every stage halves H and W; the latent is (H/2^S)×(W/2^S)×k real channel uses. */
export interface CodecArch {
  /** Side of the square input image H = W (paper 256). */
  readonly imageSize: number;
  /** Width of the input conv (paper 32). */
  readonly baseChannels: number;
  /** Width of each [ResBlock + down-sampling] stage (paper [32, 64, 128, 192]). */
  readonly stageChannels: readonly number[];
  /** k, latent channels (paper 16). */
  readonly latentChannels: number;
  /** ResBlocks at the bottleneck: encoder (paper 3), decoder (paper 2), and refining blocks after up-sampling (paper 2). */
  readonly encoderBottleneckBlocks: number;
  readonly decoderBottleneckBlocks: number;
  readonly decoderRefineBlocks: number;
  /** GroupNorm groups (paper 32); must divide every width. */
  readonly groups: number;
  /** Self-attention block at the bottleneck of encoder and decoder (paper: yes). */
  readonly attention: boolean;
  /**
   * GroupNorm before the encoder's output conv and the decoder's output conv (paper: yes). It removes each image's
   * per-group mean, so the mean colour has to be re-encoded in relative patterns — slow to learn on a short budget.
   */
  readonly endNorm?: boolean;
}

/** The paper's architecture at 256×256 (Fig. 5, §III-A): latent 16×16×16, k/n ≈ 0.0208. */
export const PAPER_ARCH: CodecArch = {
  imageSize: 256, baseChannels: 32, stageChannels: [32, 64, 128, 192], latentChannels: 16,
  encoderBottleneckBlocks: 3, decoderBottleneckBlocks: 2, decoderRefineBlocks: 2, groups: 32, attention: true,
};

/** The paper's training settings (§III-B): Adam 1e-4, batch 64, 200 epochs of 14,400 images. */
export const PAPER_TRAINING = { lr: 1e-4, batchSize: 64, epochs: 200, trainImages: 14400 } as const;

/** One trained model. */
export interface ModelConfig extends CodecArch {
  readonly kind: 'vscc-model';
  readonly method: Method;
  /** Training channel SNR (dB): σ2² = P·10^(−SNR/10) with the transmitted power normalised to P = 1. */
  readonly trainSnrDb: number;
  /** Channel matching constant d of (9)–(10); VSCC only (null for VAE and AE). */
  readonly cmc: number | null;
  /** Gaussian decoder: −log q(x|z) = Σ (x − x̂)² / (2·decoderSigma²) + const, pixels in [0, 1] (VSCC and VAE). */
  readonly decoderSigma: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  /** Linear learning-rate warm-up over the first steps (Adam `warmupSteps`; 0 = none): see WarmStart.warmupSteps. */
  readonly lrWarmupSteps: number;
  /** Training patches used (the first trainCount of the training split, spread over its photos). */
  readonly trainCount: number;
  /**
   * The paper's dataset (paper profile: 'mini-imagenet'), read at imageSize × imageSize; absent = the photo set's
   * patches (quick and full profiles; absent rather than 'photos' so their configs and cache keys are unchanged).
   */
  readonly dataset?: DatasetName;
  readonly seed: number;
  /**
   * Ours, not the paper's (it trains every model from scratch for 200 epochs): start from a codec pre-trained with
   * the AE loss at SNRs drawn from `snrsDb`, shared by every model with the same architecture and data, then train
   * `steps` with the model's own loss. null = from scratch.
   */
  readonly warmStart: WarmStart | null;
}

export interface WarmStart {
  readonly steps: number;
  /** Training SNR of each pre-training step, drawn uniformly from this list. */
  readonly snrsDb: readonly number[];
  readonly lr: number;
  /**
   * Linear learning-rate warm-up steps. Without it, the first full-size Adam steps (lr 3e-3) drove the decoder's
   * tanh deep into saturation at the bottom-left corner pixels, whose gradient then vanished: they stayed black.
   */
  readonly warmupSteps: number;
  readonly seed: number;
}

/**
 * How a trained model is tested. The held-out photos (the photo set's test split, disjoint from the training photos)
 * are split BY PHOTO into a validation split and a test split (`heldOutSplit` in trial.ts): choices made from
 * results (the best CMC) use the validation split, every reported number the test split.
 */
export interface EvalSpec {
  readonly testSnrsDb: readonly number[];
  /** Decodes per patch and test SNR for the resampling tests (paper 100); each patch's score is their mean. */
  readonly resamplings: number;
  /** Test patches, evenly spaced over the test photos (so every test photo contributes). */
  readonly testCount: number;
  /** Validation patches, evenly spaced over the validation photos; 0 = no validation evaluation. */
  readonly validationCount: number;
  /** Test SNRs of the validation evaluation (the window the best CMC is chosen on); empty when validationCount is 0. */
  readonly validationSnrsDb: readonly number[];
  readonly tests: readonly TestMethod[];
  /** Seed of the channel noise and resampling draws; shared by all models (common random numbers). */
  readonly seed: number;
  /** Training patches whose encoder variances are averaged into σ_KB² (≤ trainCount). */
  readonly kbCount: number;
  /** Test images decoded once (at the test SNR nearest the training SNR) for a picture; default 0. */
  readonly examples?: number;
}

export function assertSnrDb(name: string, v: unknown): asserts v is number {
  assertFiniteNumber(name, v);
  assertInRange(name, v, SNR_RANGE_DB[0], SNR_RANGE_DB[1]);
}

/** Checks an architecture: sizes are integers, every stage halves an even side, GroupNorm groups divide every width. */
export function validateArch(a: CodecArch): void {
  assertInteger('imageSize', a.imageSize, 2);
  assertInteger('baseChannels', a.baseChannels, 1);
  if (!Array.isArray(a.stageChannels) || a.stageChannels.length < 1) {
    throw new RangeError(`stageChannels must be a non-empty array of widths (paper [32, 64, 128, 192]), got ${JSON.stringify(a.stageChannels)}`);
  }
  a.stageChannels.forEach((c, i) => assertInteger(`stageChannels[${i}]`, c, 1));
  const stages = a.stageChannels.length;
  if (a.imageSize % 2 ** stages !== 0) {
    throw new RangeError(`imageSize must be divisible by 2^stages = ${2 ** stages} (${stages} down-sampling stages), got ${a.imageSize}`);
  }
  assertInteger('latentChannels', a.latentChannels, 1);
  assertInteger('encoderBottleneckBlocks', a.encoderBottleneckBlocks, 0);
  assertInteger('decoderBottleneckBlocks', a.decoderBottleneckBlocks, 0);
  assertInteger('decoderRefineBlocks', a.decoderRefineBlocks, 0);
  assertInteger('groups', a.groups, 1);
  for (const [name, c] of [['baseChannels', a.baseChannels], ...a.stageChannels.map((c, i) => [`stageChannels[${i}]`, c])] as [string, number][]) {
    if (c % a.groups !== 0) throw new RangeError(`groups (${a.groups}) must divide every width; ${name} = ${c}`);
  }
  if (typeof a.attention !== 'boolean') throw new TypeError(`attention must be a boolean, got ${String(a.attention)}`);
  if (a.endNorm !== undefined && typeof a.endNorm !== 'boolean') throw new TypeError(`endNorm must be a boolean, got ${String(a.endNorm)}`);
}

export function validateModel(c: ModelConfig): void {
  if (c.kind !== 'vscc-model') throw new RangeError(`kind must be 'vscc-model', got ${JSON.stringify(c.kind)}`);
  validateArch(c);
  assertOneOf('method', c.method, METHODS);
  assertSnrDb('trainSnrDb', c.trainSnrDb);
  if (c.method === 'vscc') assertPositive('cmc', c.cmc);
  else if (c.cmc !== null) throw new RangeError(`cmc (the channel matching constant d) belongs to VSCC only; must be null for method '${c.method}', got ${String(c.cmc)}`);
  assertPositive('decoderSigma', c.decoderSigma);
  assertInteger('steps', c.steps, 1);
  assertInteger('batchSize', c.batchSize, 1);
  assertPositive('lr', c.lr);
  assertInteger('lrWarmupSteps', c.lrWarmupSteps, 0);
  assertInteger('trainCount', c.trainCount, 1);
  assertOptionalDataset('dataset', c.dataset);
  assertFiniteNumber('seed', c.seed);
  if (c.warmStart !== null) validateWarmStart(c.warmStart);
}

export function validateWarmStart(w: WarmStart): void {
  if (typeof w !== 'object' || w === null) throw new TypeError(`warmStart must be an object or null, got ${String(w)}`);
  assertInteger('warmStart.steps', w.steps, 1);
  if (!Array.isArray(w.snrsDb) || w.snrsDb.length === 0) throw new RangeError(`warmStart.snrsDb must be a non-empty array of SNRs in dB, got ${JSON.stringify(w.snrsDb)}`);
  w.snrsDb.forEach((s, i) => assertSnrDb(`warmStart.snrsDb[${i}]`, s));
  assertPositive('warmStart.lr', w.lr);
  assertInteger('warmStart.warmupSteps', w.warmupSteps, 0);
  assertFiniteNumber('warmStart.seed', w.seed);
}

/** The architecture fields of a config (what a shared warm start depends on). */
export function archOf(a: CodecArch): CodecArch {
  return {
    imageSize: a.imageSize, baseChannels: a.baseChannels, stageChannels: [...a.stageChannels], latentChannels: a.latentChannels,
    encoderBottleneckBlocks: a.encoderBottleneckBlocks, decoderBottleneckBlocks: a.decoderBottleneckBlocks, decoderRefineBlocks: a.decoderRefineBlocks,
    groups: a.groups, attention: a.attention, ...(a.endNorm === undefined ? {} : { endNorm: a.endNorm }),
  };
}

export function validateEval(e: EvalSpec, method: Method): void {
  if (!Array.isArray(e.testSnrsDb) || e.testSnrsDb.length === 0) throw new RangeError(`testSnrsDb must be a non-empty array of SNRs in dB, got ${JSON.stringify(e.testSnrsDb)}`);
  e.testSnrsDb.forEach((s, i) => assertSnrDb(`testSnrsDb[${i}]`, s));
  assertInteger('resamplings', e.resamplings, 1);
  assertInteger('testCount', e.testCount, 2);
  assertInteger('validationCount', e.validationCount, 0);
  if (!Array.isArray(e.validationSnrsDb)) throw new RangeError(`validationSnrsDb must be an array of SNRs in dB, got ${JSON.stringify(e.validationSnrsDb)}`);
  e.validationSnrsDb.forEach((s, i) => assertSnrDb(`validationSnrsDb[${i}]`, s));
  if (e.validationCount === 1) throw new RangeError('validationCount must be 0 (none) or at least 2 patches, got 1');
  if ((e.validationCount > 0) !== (e.validationSnrsDb.length > 0)) {
    throw new RangeError(`validationSnrsDb must be non-empty exactly when validationCount > 0, got ${e.validationSnrsDb.length} SNRs for ${e.validationCount} patches`);
  }
  assertInteger('kbCount', e.kbCount, 1);
  assertFiniteNumber('seed', e.seed);
  if (e.examples !== undefined) assertInteger('examples', e.examples, 0, e.testCount);
  if (!Array.isArray(e.tests) || e.tests.length === 0) throw new RangeError(`tests must be a non-empty array of ${TEST_METHODS.join('/')}, got ${JSON.stringify(e.tests)}`);
  e.tests.forEach((t, i) => assertOneOf(`tests[${i}]`, t, TEST_METHODS));
  const allowed: readonly TestMethod[] = method === 'ae' ? ['ae'] : ['transmitted', 'fixed'];
  for (const t of e.tests) {
    if (!allowed.includes(t)) throw new RangeError(`test '${t}' does not apply to a ${method.toUpperCase()} model (allowed: ${allowed.join(', ')})`);
  }
}

/** A model config with defaults for what is not given (our 32×32 scale; see the notebook for the choice). */
export function modelConfig(o: Partial<ModelConfig> & Pick<ModelConfig, 'method' | 'trainSnrDb'>): ModelConfig {
  const c: ModelConfig = {
    kind: 'vscc-model', imageSize: 32, baseChannels: 16, stageChannels: [16, 32, 48, 64], latentChannels: 16,
    encoderBottleneckBlocks: 3, decoderBottleneckBlocks: 2, decoderRefineBlocks: 2, groups: 8, attention: true,
    cmc: o.method === 'vscc' ? 5 : null, decoderSigma: 0.1, steps: 1000, batchSize: 32, lr: 1e-3, lrWarmupSteps: 0, trainCount: 6000, seed: 1, warmStart: null,
    ...o,
  };
  validateModel(c);
  return c;
}

/** Latent side h = w = imageSize / 2^stages. */
export function latentSide(a: CodecArch): number {
  return a.imageSize / 2 ** a.stageChannels.length;
}

/** Real channel uses per image for the mean (the variance doubles them in the 'transmitted' test). */
export function channelUses(a: CodecArch): number {
  return latentSide(a) ** 2 * a.latentChannels;
}

/** Bandwidth ratio k/n: real channel uses per real source sample (paper: 16·16·16 / (256·256·3) ≈ 0.0208). */
export function bandwidthRatio(a: CodecArch, test: TestMethod = 'fixed'): number {
  validateArch(a);
  assertOneOf('test', test, TEST_METHODS);
  return (channelUses(a) * (test === 'transmitted' ? 2 : 1)) / (a.imageSize * a.imageSize * 3);
}
