/**
 * A look at §III-B's remark that a model trained at −15 dB fails to converge. The other models start from an
 * AE-loss warm start, which would hide it, so this check trains VSCC models FROM SCRATCH (no warm start) for as many
 * steps as the others' whole training (warm start + own loss) at each SNR of `scratchSnrsDb` (the full profile: −15
 * and −5 dB, the −5 dB model being the reference with the same budget), and reports their training-loss curves and
 * their test PSNR against the patches' mean-colour image (what a codec that learned nothing but the mean outputs), as
 * paired per-patch differences with a percentile-bootstrap interval. It states numbers, not a verdict: the paper gives
 * no criterion for "fails to converge". docs/papers/vscc.md#bandwidth (training at −15 dB).
 */
import { assertPositive } from '../../core/index.js';
import { bootstrapMean, pairedBootstrap, psnr } from '../../metrics/index.js';
import { titleBlock } from '../../plot/index.js';
import { assertSnrDb, modelConfig } from './config.js';
import type { Images } from './evaluate.js';
import { datasetOf } from '../../data/index.js';
import type { PlannedTrial, VsccPlan } from './plan.js';
import type { TrialResult } from './trial.js';

/** CMC of the from-scratch models: the paper's best d at −5 dB (§IV-B). */
export const SCRATCH_CMC = 10;

/**
 * The from-scratch VSCC models of plan.scratchSnrsDb (none when absent or empty): d = plan.scratchCmc (default
 * SCRATCH_CMC), the first training seed, warmStartSteps + steps steps at the plan's own-loss lr with its ramp, tested
 * (fixed variance, test split) at every SNR of the list.
 */
export function scratchTrials(plan: VsccPlan): PlannedTrial[] {
  const snrs = [...(plan.scratchSnrsDb ?? [])];
  if (snrs.length === 0) return [];
  snrs.forEach((s, i) => assertSnrDb(`scratchSnrsDb[${i}]`, s));
  if (new Set(snrs).size !== snrs.length) throw new RangeError(`scratchSnrsDb must not repeat a value, got ${JSON.stringify(snrs)}`);
  const d = plan.scratchCmc ?? SCRATCH_CMC;
  assertPositive('scratchCmc', d);
  const steps = plan.warmStartSteps + plan.steps;
  const dataset = datasetOf(plan.dataset ?? 'photos');
  const seed = plan.trainSeeds[0];
  const testSnrsDb = [...snrs].sort((a, b) => a - b);
  return snrs.map((t) => ({
    method: 'vscc' as const, trainSnrDb: t, cmc: d, seed,
    trial: {
      model: modelConfig({
        ...plan.arch, ...(dataset === undefined ? {} : { dataset }), method: 'vscc', trainSnrDb: t, cmc: d, steps, batchSize: plan.batchSize, lr: plan.lr,
        lrWarmupSteps: Math.min(plan.lrWarmupSteps, steps), trainCount: plan.trainCount, decoderSigma: plan.decoderSigma, seed, warmStart: null,
      }),
      eval: {
        testSnrsDb, resamplings: plan.resamplings, testCount: plan.testCount, validationCount: 0, validationSnrsDb: [], tests: ['fixed'],
        seed: plan.evalSeed, kbCount: plan.kbCount, examples: 0,
      },
    },
  }));
}

/** Per test patch: the PSNR of the flat image of `colour` (RGB in [0, 1]) against the patch. */
export function meanColourPsnr(test: Images, colour: readonly [number, number, number]): number[] {
  const d = test.size * test.size * 3;
  const flat = new Float32Array(d);
  for (let i = 0; i < d; i++) flat[i] = colour[i % 3];
  return Array.from({ length: test.n }, (_, i) => psnr(test.x.subarray(i * d, (i + 1) * d), flat, { maxValue: 1 }));
}

export type ScratchRow = {
  train_snr_db: number; test_snr_db: number; steps: number; n: number;
  psnr_mean: number; psnr_lo: number; psnr_hi: number; ssim_mean: number;
  /** Mean PSNR of the mean-colour image on the same patches. */
  mean_colour_psnr: number;
  /** Model − mean colour, paired per patch, with its percentile-bootstrap interval. */
  gain_db: number; gain_lo: number; gain_hi: number;
  /** Training loss (10), mean of the first and of the last window of the curve. */
  loss_first: number; loss_last: number;
};

/** One row per from-scratch model and test SNR (`test`: the patches the trials were tested on, in order). */
export function scratchRows(results: readonly TrialResult[], test: Images, colour: readonly [number, number, number], resamples = 1000): ScratchRow[] {
  const base = meanColourPsnr(test, colour);
  return results.flatMap((r) => (r.curves.fixed ?? []).map((p) => {
    if (p.psnr.length !== base.length) throw new RangeError(`the trial scored ${p.psnr.length} patches, the mean-colour baseline ${base.length}`);
    const m = bootstrapMean(p.psnr, { resamples, seed: 1 });
    const g = pairedBootstrap(p.psnr, base, { resamples, seed: 1 });
    const curve = r.train.lossCurve;
    return {
      train_snr_db: r.config.model.trainSnrDb, test_snr_db: p.testSnrDb, steps: r.config.model.steps, n: p.psnr.length,
      psnr_mean: m.value, psnr_lo: m.ci95[0], psnr_hi: m.ci95[1], ssim_mean: p.ssimMean,
      mean_colour_psnr: base.reduce((a, b) => a + b, 0) / base.length, gain_db: g.value, gain_lo: g.ci95[0], gain_hi: g.ci95[1],
      loss_first: curve.length ? curve[0].loss : Number.NaN, loss_last: curve.length ? curve[curve.length - 1].loss : Number.NaN,
    };
  }));
}

export type LossRow = { model: string; step: number; loss: number };

/** The training-loss curves of the from-scratch models (mean over windows of steps/50 steps). */
export function lossRows(results: readonly TrialResult[]): LossRow[] {
  return results.flatMap((r) => r.train.lossCurve.map((l) => ({ model: `trained at ${r.config.model.trainSnrDb} dB`, step: l.step, loss: l.loss })));
}

/** The loss-curve figure: loss (10) against step, one line per training SNR, log scale. */
export function lossSpec(title: string, subtitle: string[]): Record<string, unknown> {
  return {
    title: titleBlock(title, subtitle), width: 420, height: 220, mark: { type: 'line' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'training step' },
      y: { field: 'loss', type: 'quantitative', title: 'training loss (10), window mean', scale: { type: 'log' } },
      color: { field: 'model', type: 'nominal', title: 'VSCC from scratch' },
    },
  };
}

/** One paragraph from the rows: each model at its own training SNR, against the mean colour, numbers only. */
export function scratchSentence(rows: readonly ScratchRow[]): string {
  const own = rows.filter((r) => r.test_snr_db === r.train_snr_db);
  const f = (x: number) => x.toFixed(2);
  const parts = own.map((r) => `trained at ${r.train_snr_db} dB and tested there, PSNR ${f(r.psnr_mean)} [${f(r.psnr_lo)}, ${f(r.psnr_hi)}] dB, `
    + `${f(r.gain_db)} [${f(r.gain_lo)}, ${f(r.gain_hi)}] dB above the mean-colour image (${f(r.mean_colour_psnr)} dB); training loss ${r.loss_first.toPrecision(4)} → ${r.loss_last.toPrecision(4)}`);
  return `VSCC from scratch (${own[0]?.steps ?? 0} steps, ${own[0]?.n ?? 0} test patches, 95 % percentile-bootstrap intervals): ${parts.join('; ')}.`;
}
