/**
 * The E2EC sweep plan of each profile (planTrials), the paper's published numbers, the parallel cached runner
 * (runTrials) and the validation/test split of the test digits used wherever a claim picks a model from results.
 */
import { fileURLToPath } from 'node:url';
import { Rng, assertInteger, cacheDir } from '../../core/index.js';
import { runSweepAll } from '../../nn/index.js';
import { d2jsccConfig, e2ecConfig, rdboConfig, type AnyConfig, type E2ecConfig, type TrainSettings } from './config.js';
import type { TrialResult } from './trial.js';

/** Table I of the paper (docs/papers/e2ec.md#table-i): rate counts l + 1 bits; accuracy in %, ± = 95 % normal interval. */
export const PAPER_TABLE1 = {
  epsilon: [
    { value: 0.2, rate: 57.79, accuracy: 98.02 }, { value: 0.1, rate: 48.22, accuracy: 97.97 },
    { value: 0.01, rate: 39.37, accuracy: 98.18 }, { value: 0.001, rate: 37.84, accuracy: 98.41 },
  ],
  N: [
    { value: 8, rate: 7.2, accuracy: 92.64 }, { value: 16, rate: 15.65, accuracy: 95.56 },
    { value: 32, rate: 27.23, accuracy: 97.72 }, { value: 64, rate: 48.22, accuracy: 97.97 },
  ],
} as const;

/** Paper's Fig. 2(f) numbers: max |⟨v_i^(0), v_i^(1)⟩| at initialisation and at convergence. */
export const PAPER_CROSS_INNER = { init: 0.1718, final: 0.048 } as const;

export interface ExperimentPlan {
  /** Shared E2EC settings (architecture, training budget); the sweeps vary ε, N, λ, baseline and grounding. */
  readonly e2ec: Partial<E2ecConfig>;
  /** Training settings of the baselines (batch size, lr and seed are the authors' unless overridden). */
  readonly baselines: Partial<TrainSettings> & { readonly hidden?: readonly [number, number] };
  readonly epsilons: readonly number[];
  readonly lengths: readonly number[];
  readonly lambdas: readonly number[];
  readonly ds: readonly number[];
  readonly betas: readonly number[];
  /** Steps of the λ-sweep models (Fig. 2(a)–(d)); Table I's models train `e2ec.steps`. */
  readonly sweepSteps: number;
  /**
   * Settings of the λ-sweep and ablation models that differ from `e2ec` (architecture, lr, estimator): Table I can
   * train the authors' architecture while the sweeps stay affordable. Those models never get a learning curve
   * (`evalEvery` of `e2ec` is not inherited).
   */
  readonly sweepE2ec?: Partial<E2ecConfig>;
  /** Fine-tune steps of the λ-sweep models (default: those of `e2ec`). */
  readonly sweepFineTuneSteps?: number;
  /** ε values at which the trunk-layout study retrains Table I's models with the other layout (default: all of `epsilons`). */
  readonly trunkEpsilons?: readonly number[];
  /** Steps of the ablation models (they are compared with the default model's trajectory at equal steps). */
  readonly ablationSteps: number;
}

export interface PlannedConfigs {
  readonly table1: { block: 'epsilon' | 'N'; value: number; config: E2ecConfig }[];
  readonly lambdas: { lambda: number; config: E2ecConfig }[];
  readonly ablation: { variant: string; config: E2ecConfig }[];
  /** The ε block of Table I again with the other trunk layout (shared ↔ separate length-net trunk). */
  readonly trunk: { eps: number; config: E2ecConfig }[];
  readonly d2jscc: AnyConfig[];
  readonly rdbo: AnyConfig[];
  /** The default model: N = 64, ε = 0.1, λ = 1e-6 (the paper's defaults). */
  readonly main: E2ecConfig;
  /** The λ-sweep model at the main λ (the ablation's reference trajectory), or the main model when the sweep lacks that λ. */
  readonly sweepMain: E2ecConfig;
}

export function planTrials(plan: ExperimentPlan): PlannedConfigs {
  const main = e2ecConfig(plan.e2ec);
  const table1 = [
    ...plan.epsilons.map((eps) => ({ block: 'epsilon' as const, value: eps, config: e2ecConfig({ ...plan.e2ec, eps }) })),
    ...plan.lengths.map((n) => ({ block: 'N' as const, value: n, config: e2ecConfig({ ...plan.e2ec, maxLength: n }) })),
  ];
  assertInteger('sweepSteps', plan.sweepSteps, 1);
  assertInteger('ablationSteps', plan.ablationSteps, 1);
  const sweepFineTune = plan.sweepFineTuneSteps ?? plan.e2ec.fineTuneSteps;
  if (sweepFineTune !== undefined) assertInteger('sweepFineTuneSteps', sweepFineTune, 0);
  const { evalEvery: _curveOnlyForTableI, ...tableBase } = plan.e2ec;
  const sweepBase: Partial<E2ecConfig> = { ...tableBase, ...(plan.sweepE2ec ?? {}) };
  const lambdas = plan.lambdas.map((lambda) => ({ lambda, config: e2ecConfig({ ...sweepBase, lambda, steps: plan.sweepSteps, ...(sweepFineTune === undefined ? {} : { fineTuneSteps: sweepFineTune }) }) }));
  const ab: Partial<E2ecConfig> = { ...sweepBase, steps: plan.ablationSteps, fineTuneSteps: 0, samples: 1, baseline: 'aux', grounding: true }; // the authors' estimator
  const ablation = [
    { variant: 'authors (aux baseline + grounding)', config: e2ecConfig(ab) },
    { variant: 'no variance-reduction baseline', config: e2ecConfig({ ...ab, baseline: 'none' }) },
    { variant: 'no grounding (batch-mean baseline)', config: e2ecConfig({ ...ab, grounding: false, baseline: 'batchMean' }) },
  ];
  const trunkEps = plan.trunkEpsilons ?? plan.epsilons;
  trunkEps.forEach((e, i) => {
    if (!plan.epsilons.includes(e)) throw new RangeError(`trunkEpsilons[${i}] must be one of epsilons (${plan.epsilons.join(', ')}): the study compares with Table I's model at that ε, got ${e}`);
  });
  const trunk = trunkEps.map((eps) => ({ eps, config: e2ecConfig({ ...plan.e2ec, eps, sharedTrunk: !main.sharedTrunk }) }));
  const b = plan.baselines;
  const sweepMain = lambdas.find((l) => l.lambda === main.lambda)?.config ?? main;
  return {
    table1, lambdas, ablation, trunk, main, sweepMain,
    d2jscc: plan.ds.map((d) => d2jsccConfig({ ...b, d })),
    rdbo: plan.betas.map((beta) => rdboConfig({ ...b, beta })),
  };
}

const TRIAL_MODULE = fileURLToPath(new URL('./trial.js', import.meta.url));

/**
 * Result cache of the sweeps. Versioned: the evaluation changed (all 10,000 test digits, per-digit scores) while the
 * trained models did not, so results are re-evaluated from the cached models (cacheDir('models', 'e2ec')).
 */
export const SWEEP_CACHE = ['sweeps', 'e2ec', 'eval-v2'] as const;

/**
 * Trains/evaluates configurations in parallel worker processes (one per core); results are cached by config hash
 * (cacheDir(...SWEEP_CACHE)) and models by config hash (cacheDir('models', 'e2ec')). Throws if any failed.
 */
export async function runTrials<R extends TrialResult>(configs: readonly AnyConfig[], workers?: number, onDone?: (r: TrialResult, cached: boolean) => void): Promise<R[]> {
  const out = await runSweepAll<AnyConfig, TrialResult>({
    module: TRIAL_MODULE, exportName: 'runTrial', configs, workers, cacheDir: cacheDir(...SWEEP_CACHE), onDone,
    describe: (c) => `${c.kind} ${JSON.stringify(c).slice(0, 160)}`,
  });
  return out as R[];
}

/** Same model, same numbers: find a result by its config (deep equality through JSON). */
export function resultFor<R extends TrialResult>(results: readonly TrialResult[], config: AnyConfig): R {
  const key = JSON.stringify(config);
  const r = results.find((x) => JSON.stringify(x.config) === key);
  if (!r) throw new RangeError(`no result for config ${key}`);
  return r as R;
}

/** Seed of the validation/test split of the test digits (fixed before any result was seen). */
export const SPLIT_SEED = 20251111;

/** Indices of the test digits, split in two halves by a seeded permutation. */
export interface DigitSplit {
  /** Digits on which choices from results are made (which model faces which). */
  readonly validation: readonly number[];
  /** Digits on which those choices are then scored. */
  readonly test: readonly number[];
}

/**
 * Splits n test digits into a validation half (floor(n/2) digits) and a test half by a seeded Fisher–Yates
 * permutation; both halves are sorted. The models never train on either.
 */
export function splitDigits(n: number, seed = SPLIT_SEED): DigitSplit {
  assertInteger('n', n, 2);
  const idx = Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const h = Math.floor(n / 2);
  return { validation: idx.slice(0, h).sort((a, b) => a - b), test: idx.slice(h).sort((a, b) => a - b) };
}
