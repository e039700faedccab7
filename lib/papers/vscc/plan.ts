/**
 * The VSCC plan: the paper's grids and quoted numbers, the models (VSCC at every training SNR × CMC with the first
 * training seed; VAE and AE at every training SNR with every training seed; after the CMC choice, VSCC at the chosen
 * CMC with the other seeds), the transmitted-variance variants, and the parallel cached runner (runSweepAll).
 * Method and choices: docs/papers/vscc.md#evaluation.
 */
import { fileURLToPath } from 'node:url';
import { assertFiniteNumber, assertInteger, assertPositive, cacheDir } from '../../core/index.js';
import { datasetOf, type ImageSource } from '../../data/index.js';
import { runSweepAll } from '../../nn/index.js';
import { assertSnrDb, modelConfig, type CodecArch, type EvalSpec, type Method, type ModelConfig, type TestMethod } from './config.js';
import type { TrialConfig, TrialResult } from './trial.js';

/** The paper's grids (§III-B, §III-C). Its figures' test-SNR step is not stated; 5 dB is ours. */
export const PAPER_TRAIN_SNRS_DB = [-5, 5, 15] as const;
export const PAPER_CMCS = [1, 2, 5, 10, 15] as const;
export const PAPER_TEST_SNRS_DB = [-10, -5, 0, 5, 10, 15, 20, 25] as const;

/** Best CMC per training SNR as stated in §IV-B (PSNR: 10, 10, 5; SSIM: 10, 5, 2). */
export const PAPER_BEST_CMC = [
  { trainSnrDb: -5, psnr: 10, ssim: 10 }, { trainSnrDb: 5, psnr: 10, ssim: 5 }, { trainSnrDb: 15, psnr: 5, ssim: 2 },
] as const;

/**
 * Numbers quoted in §IV-A for VSCC tested at −5 dB. The paper writes "trained at 10 dB" for the middle model, which
 * it never trains (its grid is −5, 5, 15 dB): we read it as 5 dB (docs/papers/vscc.md#errata).
 */
export const PAPER_FIG7_POINTS = [
  { trainSnrDb: -5, testSnrDb: -5, psnr: 23, ssim: 0.63 }, { trainSnrDb: 5, testSnrDb: -5, psnr: 13, ssim: 0.3 },
  { trainSnrDb: 15, testSnrDb: -5, psnr: 13, ssim: 0.22 },
] as const;

/** Test SNRs the paper judges a model trained at t on: t … t + 10 dB (§IV-B: "−5 to 5", "5 to 15", "15 to 25"). */
export const WINDOW_DB = 10;
export function inWindow(trainSnrDb: number, testSnrDb: number, widthDb = WINDOW_DB): boolean {
  return testSnrDb >= trainSnrDb - 1e-9 && testSnrDb <= trainSnrDb + widthDb + 1e-9;
}

export interface VsccPlan {
  readonly arch: Partial<CodecArch>;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly trainCount: number;
  readonly decoderSigma: number;
  /**
   * Training seeds. The first trains the CMC grid (VSCC at every CMC: Fig. 8 and the CMC choice); the compared models
   * — VAE and AE at every training SNR, and VSCC at the CMC chosen on the validation split (replicateTrials) — are
   * trained with every seed. Each seed has its own warm start (seed + 7), shared by that seed's models.
   */
  readonly trainSeeds: readonly number[];
  readonly trainSnrsDb: readonly number[];
  readonly cmcs: readonly number[];
  readonly testSnrsDb: readonly number[];
  /** Channel-noise resamplings per patch and test SNR (paper 100; fewer here for the CPU budget). */
  readonly resamplings: number;
  /** Test patches (spread over the test photos). */
  readonly testCount: number;
  /** Validation patches (spread over the validation photos) the best CMC is chosen on; VSCC models only. */
  readonly validationCount: number;
  readonly kbCount: number;
  readonly evalSeed: number;
  readonly examples: number;
  /** Shared warm start (ours, for the CPU budget): AE-loss steps at the training SNRs before each model's own steps; 0 = none. */
  readonly warmStartSteps: number;
  readonly warmStartLr: number;
  /** Linear lr warm-up steps of the warm start and of each model's own training (see WarmStart.warmupSteps). */
  readonly lrWarmupSteps: number;
  /** Training and evaluation images: the photo set (default) or the paper's dataset ('mini-imagenet'). */
  readonly dataset?: ImageSource;
  /**
   * The from-scratch check of §III-B's "at −15 dB the model fails to converge" (scratch.ts): VSCC at scratchCmc
   * trained without warm start at each of these SNRs; absent or empty = none.
   */
  readonly scratchSnrsDb?: readonly number[];
  readonly scratchCmc?: number;
}

export interface PlannedTrial { readonly method: Method; readonly trainSnrDb: number; readonly cmc: number | null; readonly seed: number; readonly trial: TrialConfig }

function checkList(name: string, v: unknown, each: (n: string, x: unknown) => void): void {
  if (!Array.isArray(v) || v.length === 0) throw new RangeError(`${name} must be a non-empty array, got ${JSON.stringify(v)}`);
  v.forEach((x, i) => each(`${name}[${i}]`, x));
  if (new Set(v).size !== v.length) throw new RangeError(`${name} must not repeat a value, got ${JSON.stringify(v)}`);
}

/**
 * The models trained before the CMC choice: VSCC (fixed-variance test, on the test split and on the validation split
 * at the test SNRs of its window) per training SNR × CMC with the first training seed, then VAE (fixed) and AE per
 * training SNR × training seed (test split only). The chosen CMC's other seeds come from replicateTrials.
 */
export function planTrials(plan: VsccPlan): PlannedTrial[] {
  checkList('trainSeeds', plan.trainSeeds, assertFiniteNumber);
  checkList('trainSnrsDb', plan.trainSnrsDb, assertSnrDb);
  checkList('cmcs', plan.cmcs, assertPositive);
  checkList('testSnrsDb', plan.testSnrsDb, assertSnrDb);
  assertInteger('examples', plan.examples, 0);
  assertInteger('validationCount', plan.validationCount, 2);
  assertFiniteNumber('evalSeed', plan.evalSeed);
  assertInteger('warmStartSteps', plan.warmStartSteps, 0);
  assertInteger('lrWarmupSteps', plan.lrWarmupSteps, 0);
  for (const t of plan.trainSnrsDb) {
    if (!plan.testSnrsDb.some((s) => inWindow(t, s))) throw new RangeError(`testSnrsDb has no test SNR in the window ${t} … ${t + WINDOW_DB} dB of training SNR ${t} dB`);
  }
  const warmStart = (seed: number) => (plan.warmStartSteps > 0 ? { steps: plan.warmStartSteps, snrsDb: [...plan.trainSnrsDb], lr: plan.warmStartLr, warmupSteps: Math.min(plan.lrWarmupSteps, plan.warmStartSteps), seed: seed + 7 } : null);
  const dataset = datasetOf(plan.dataset ?? 'photos');
  const common = { ...plan.arch, ...(dataset === undefined ? {} : { dataset }), steps: plan.steps, batchSize: plan.batchSize, lr: plan.lr, lrWarmupSteps: Math.min(plan.lrWarmupSteps, plan.steps), trainCount: plan.trainCount, decoderSigma: plan.decoderSigma };
  const base = (seed: number) => ({ ...common, seed, warmStart: warmStart(seed) });
  const grid = plan.trainSeeds[0];
  const evalFor = (tests: TestMethod[], validationSnrsDb: number[]): EvalSpec => ({
    testSnrsDb: [...plan.testSnrsDb], resamplings: plan.resamplings, testCount: plan.testCount,
    validationCount: validationSnrsDb.length ? plan.validationCount : 0, validationSnrsDb, tests, seed: plan.evalSeed,
    kbCount: plan.kbCount, examples: plan.examples,
  });
  const out: PlannedTrial[] = [];
  for (const snr of plan.trainSnrsDb) {
    const win = plan.testSnrsDb.filter((s) => inWindow(snr, s));
    for (const d of plan.cmcs) {
      out.push({ method: 'vscc', trainSnrDb: snr, cmc: d, seed: grid, trial: { model: modelConfig({ ...base(grid), method: 'vscc', trainSnrDb: snr, cmc: d }), eval: evalFor(['fixed'], win) } });
    }
  }
  for (const seed of plan.trainSeeds) {
    for (const method of ['vae', 'ae'] as const) {
      for (const snr of plan.trainSnrsDb) {
        out.push({ method, trainSnrDb: snr, cmc: null, seed, trial: { model: modelConfig({ ...base(seed), method, trainSnrDb: snr, cmc: null }), eval: evalFor([method === 'ae' ? 'ae' : 'fixed'], []) } });
      }
    }
  }
  return out;
}

/**
 * The seed replicates of the chosen VSCC models: for each training SNR, the grid model at `chosen(t)` (the CMC chosen
 * on the validation split) retrained with every other seed of `trainSeeds` (its own seed's warm start), tested on the
 * test split only (the choice is already made).
 */
export function replicateTrials(planned: readonly PlannedTrial[], trainSeeds: readonly number[], chosen: (trainSnrDb: number) => number): PlannedTrial[] {
  checkList('trainSeeds', trainSeeds, assertFiniteNumber);
  const grid = planned.filter((p) => p.method === 'vscc' && p.seed === trainSeeds[0]);
  const snrs = [...new Set(grid.map((p) => p.trainSnrDb))];
  const out: PlannedTrial[] = [];
  for (const seed of trainSeeds.slice(1)) {
    for (const t of snrs) {
      const d = chosen(t);
      const g = grid.find((p) => p.trainSnrDb === t && p.cmc === d);
      if (!g) throw new RangeError(`no grid model for VSCC d = ${d} at ${t} dB (seed ${trainSeeds[0]})`);
      const m = g.trial.model;
      const warmStart = m.warmStart ? { ...m.warmStart, seed: seed + 7 } : null;
      out.push({
        ...g, seed,
        trial: { model: modelConfig({ ...m, seed, warmStart }), eval: { ...g.trial.eval, validationCount: 0, validationSnrsDb: [] } },
      });
    }
  }
  return out;
}

/** The same model tested with the transmitted-variance method on the test split (Fig. 7's red curves); its model is loaded from cache. */
export function transmittedTrial(t: PlannedTrial): PlannedTrial {
  if (t.method === 'ae') throw new RangeError('the transmitted-variance test needs a VSCC or VAE model');
  return { ...t, trial: { model: t.trial.model, eval: { ...t.trial.eval, tests: ['transmitted'], examples: 0, validationCount: 0, validationSnrsDb: [] } } };
}

const TRIAL_MODULE = fileURLToPath(new URL('./trial.js', import.meta.url));

/** One trained (or loaded) warm start: its seed and cost. */
export interface WarmStartRun { readonly seed: number; readonly steps: number; readonly seconds: number; readonly fromCache: boolean; readonly msPerStep: number }

/**
 * Trains each training seed's shared warm start (in parallel, `workers`) so the model sweeps find them cached; empty
 * when the plan has none. The planned models have the same architecture, data and batch size: the models of one
 * training seed share its warm start. The configuration trained is that seed's first planned model (runPretrain
 * initialises the codec from its seed).
 */
export async function runWarmStart(trials: readonly PlannedTrial[], workers = 1): Promise<WarmStartRun[]> {
  const firsts: ModelConfig[] = [];
  for (const t of trials) {
    const w = t.trial.model.warmStart;
    if (w && !firsts.some((f) => f.warmStart?.seed === w.seed)) firsts.push(t.trial.model);
  }
  if (firsts.length === 0) return [];
  const cached = new Set<object>();
  const rs = await runSweepAll<ModelConfig, { steps: number; seconds: number; fromCache: boolean; msPerStep: number }>({
    module: TRIAL_MODULE, exportName: 'runPretrain', configs: firsts, workers: Math.min(workers, firsts.length), cacheDir: cacheDir('sweeps', 'vscc'),
    describe: (c) => `warm start (seed ${c.seed})`,
    // A result read from the sweep cache (an earlier run's, or another shard's) was not trained by this run.
    onDone: (r, fromSweep) => { if (fromSweep) cached.add(r); },
    // `workbook plan` lists the model sweep after it: the warm start's result is only reported.
    planStandIn: () => ({ steps: 0, seconds: 0, fromCache: false, msPerStep: 0 }),
  });
  return rs.map((r, i) => ({ seed: firsts[i].seed, ...r, fromCache: r.fromCache || cached.has(r) }));
}

/** Trains and tests in parallel worker processes; results cached by config hash (cacheDir('sweeps', 'vscc')). Throws if any failed. */
export function runTrials(trials: readonly PlannedTrial[], workers?: number, onDone?: (r: TrialResult, cached: boolean) => void): Promise<TrialResult[]> {
  return runSweepAll<TrialConfig, TrialResult>({
    module: TRIAL_MODULE, exportName: 'runTrial', configs: trials.map((t) => t.trial), workers, cacheDir: cacheDir('sweeps', 'vscc'), onDone,
    describe: (c) => `${c.model.method}${c.model.cmc === null ? '' : ` d=${c.model.cmc}`} @ ${c.model.trainSnrDb} dB, seed ${c.model.seed}${c.model.warmStart ? '' : ', from scratch'}${c.eval.tests.includes('transmitted') ? ', transmitted-variance test' : ''}`,
  });
}
