/**
 * E2EC configurations (docs/papers/e2ec.md#hyperparameters) and their validation. Defaults are the authors' code; `hidden`, `steps`,
 * `lr` and `batchSize` are what a 2-core CPU budget changes (the notebook states them on every figure).
 */
import { assertFiniteNumber, assertInRange, assertInteger, assertNonNegative, assertOneOf, assertPositive } from '../../core/index.js';

/** Variance-reduction baseline of the score-function gradient: the auxiliary branch's CE (authors), the batch mean, the mean of the digit's other samples (K ≥ 2), or none. */
export type BaselineKind = 'aux' | 'batchMean' | 'leaveOneOut' | 'none';
export const BASELINE_KINDS: readonly BaselineKind[] = ['aux', 'batchMean', 'leaveOneOut', 'none'];

export interface TrainSettings {
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly weightDecay: number;
  /** Training examples used (60,000 = all of MNIST's training set). */
  readonly trainCount: number;
  /** Test examples evaluated (10,000 = all). */
  readonly testCount: number;
  /** Steps between logged training points (information-plane trajectories). */
  readonly logEvery: number;
  readonly seed: number;
  /** Optional second phase: this many more steps at fineTuneLr (default lr/10) with a fresh Adam (0 = none). */
  readonly fineTuneSteps?: number;
  readonly fineTuneLr?: number;
}

export interface E2ecConfig extends TrainSettings {
  readonly kind: 'e2ec';
  /** Maximum code length N (bits). */
  readonly maxLength: number;
  /** Embedding dimension d. */
  readonly embedDim: number;
  /** BSC flip probability ε ∈ [0, 0.5]. */
  readonly eps: number;
  /** Lagrange multiplier λ ≥ 0 on the expected length. */
  readonly lambda: number;
  /** Hidden widths of the encoder trunks (authors: [1024, 512]) and of the content net (authors: [512, 512]). */
  readonly hidden: readonly [number, number];
  readonly contentHidden: readonly [number, number];
  /** One encoder trunk shared by the length net and the auxiliary branch (authors: two separate trunks). */
  readonly sharedTrunk: boolean;
  /** Codes sampled per digit and step (authors: 1); 'leaveOneOut' needs ≥ 2. */
  readonly samples: number;
  /** Variance-reduction baseline (authors: 'aux'). */
  readonly baseline: BaselineKind;
  /** "Symbol grounding" auxiliary branch: Gaussian z_c, its classifier, KD + MSE grounding, λ·MI (authors: on). */
  readonly grounding: boolean;
  /** Entropy bonus weight (authors: 0.01) and distillation temperature (authors: 3). */
  readonly entropyWeight: number;
  readonly temperature: number;
  /**
   * Steps between evaluations on the validation half of the test digits (the learning curve, and the checkpoint
   * Table I reports is the evaluated one with the lowest validation objective); absent or 0: no curve, final weights.
   */
  readonly evalEvery?: number;
}

export interface D2jsccConfig extends TrainSettings {
  readonly kind: 'd2jscc';
  /** Latent dimension d = transmitted bits (d/2 symbols of a 4-point codebook, 2 bits each). */
  readonly d: number;
  readonly eps: number;
  readonly hidden: readonly [number, number];
  readonly tau: number;
}

export interface RdboConfig extends TrainSettings {
  readonly kind: 'rdbo';
  readonly d: number;
  readonly beta: number;
  readonly hidden: readonly [number, number];
}

export type AnyConfig = E2ecConfig | D2jsccConfig | RdboConfig;

export const PAPER_TRAIN: TrainSettings = { steps: 46900, batchSize: 128, lr: 1e-4, weightDecay: 1e-3, trainCount: 60000, testCount: 10000, logEvery: 100, seed: 114514 };

/** The authors' E2EC defaults (N = 64, d = 64, λ = 1e-6, ε = 0.1). */
export function e2ecConfig(overrides: Partial<E2ecConfig> = {}): E2ecConfig {
  const c: E2ecConfig = {
    kind: 'e2ec', ...PAPER_TRAIN, maxLength: 64, embedDim: 64, eps: 0.1, lambda: 1e-6,
    hidden: [1024, 512], contentHidden: [512, 512], sharedTrunk: false, samples: 1, baseline: 'aux', grounding: true, entropyWeight: 0.01, temperature: 3,
    ...overrides,
  };
  validateE2ec(c);
  return c;
}

export function d2jsccConfig(overrides: Partial<D2jsccConfig> = {}): D2jsccConfig {
  const c: D2jsccConfig = { kind: 'd2jscc', ...PAPER_TRAIN, batchSize: 64, seed: 2024, d: 16, eps: 0.1, hidden: [1024, 512], tau: 0.5, ...overrides };
  validateTrain(c);
  assertInteger('d', c.d, 2);
  if (c.d % 2 !== 0) throw new RangeError(`d must be even (d/2 two-bit symbols), got ${c.d}`);
  checkEps(c.eps);
  checkHidden('hidden', c.hidden);
  assertPositive('tau', c.tau);
  return c;
}

export function rdboConfig(overrides: Partial<RdboConfig> = {}): RdboConfig {
  const c: RdboConfig = { kind: 'rdbo', ...PAPER_TRAIN, batchSize: 64, seed: 2025, d: 64, beta: 1e-3, hidden: [1024, 512], ...overrides };
  validateTrain(c);
  assertInteger('d', c.d, 1);
  assertNonNegative('beta', c.beta);
  checkHidden('hidden', c.hidden);
  return c;
}

function checkEps(eps: unknown): void {
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 0.5)) throw new RangeError(`eps (BSC flip probability) must be a number in [0, 0.5], got ${String(eps)}`);
}

function checkHidden(name: string, h: unknown): void {
  if (!Array.isArray(h) || h.length !== 2) throw new RangeError(`${name} must be two hidden widths [h1, h2], got ${JSON.stringify(h)}`);
  h.forEach((v, i) => assertInteger(`${name}[${i}]`, v, 1));
}

function validateTrain(c: TrainSettings): void {
  assertInteger('steps', c.steps, 1);
  assertInteger('batchSize', c.batchSize, 2);
  assertPositive('lr', c.lr);
  assertNonNegative('weightDecay', c.weightDecay);
  assertInteger('trainCount', c.trainCount, c.batchSize, 60000);
  assertInteger('testCount', c.testCount, 1, 10000);
  assertInteger('logEvery', c.logEvery, 1);
  assertFiniteNumber('seed', c.seed);
  if (c.fineTuneSteps !== undefined) assertInteger('fineTuneSteps', c.fineTuneSteps, 0);
  if (c.fineTuneLr !== undefined) assertPositive('fineTuneLr', c.fineTuneLr);
}

export function validateE2ec(c: E2ecConfig): void {
  validateTrain(c);
  if (typeof c.maxLength !== 'number' || !Number.isInteger(c.maxLength) || c.maxLength < 1) {
    throw new RangeError(`maxLength (N) must be an integer >= 1, got ${String(c.maxLength)}`);
  }
  assertInteger('embedDim', c.embedDim, 1);
  checkEps(c.eps);
  if (typeof c.lambda !== 'number' || !(c.lambda >= 0) || !Number.isFinite(c.lambda)) throw new RangeError(`lambda must be a finite number >= 0, got ${String(c.lambda)}`);
  checkHidden('hidden', c.hidden);
  checkHidden('contentHidden', c.contentHidden);
  assertOneOf('baseline', c.baseline, BASELINE_KINDS);
  if (typeof c.sharedTrunk !== 'boolean') throw new TypeError(`sharedTrunk must be a boolean, got ${String(c.sharedTrunk)}`);
  if (typeof c.grounding !== 'boolean') throw new TypeError(`grounding must be a boolean, got ${String(c.grounding)}`);
  assertInteger('samples', c.samples, 1, 64);
  if (c.baseline === 'leaveOneOut' && c.samples < 2) throw new RangeError(`baseline 'leaveOneOut' needs samples >= 2, got ${c.samples}`);
  if (c.baseline === 'aux' && !c.grounding) throw new RangeError("baseline 'aux' needs the grounding branch (grounding: true); use 'batchMean' or 'none'");
  assertNonNegative('entropyWeight', c.entropyWeight);
  assertPositive('temperature', c.temperature);
  assertInRange('eps', c.eps, 0, 0.5);
  if (c.evalEvery !== undefined) assertInteger('evalEvery', c.evalEvery, 0);
}
