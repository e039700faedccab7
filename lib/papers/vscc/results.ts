/**
 * The typed results the VSCC claims and figures are computed from: per-patch scores of every (model, training seed,
 * testing method, split, test SNR), and the two selections made from them — a model's window score per patch (one
 * list per training seed), and the best CMC per training SNR, chosen on the VALIDATION photos only.
 * See docs/papers/vscc.md#evaluation.
 */
import type { Method, TestMethod } from './config.js';
import { inWindow } from './plan.js';
import type { SeedScores } from './seeds.js';
import type { TrialResult } from './trial.js';

export type Split = 'validation' | 'test';
export type Metric = 'psnr' | 'ssim';

/** One model under one testing method on one split at one test SNR: a score per patch (mean over its resamplings). */
export interface PatchScores {
  readonly method: Method;
  readonly trainSnrDb: number;
  readonly cmc: number | null;
  /** The model's training seed (ModelConfig.seed). */
  readonly seed: number;
  readonly test: TestMethod;
  readonly split: Split;
  readonly testSnrDb: number;
  readonly psnr: readonly number[];
  readonly ssim: readonly number[];
}

/** Everything the claims need. Every entry of one split scores the same patches in the same order. */
export interface VsccResults {
  readonly trainSnrsDb: readonly number[];
  readonly cmcs: readonly number[];
  /** Training seeds of the plan (the first: the CMC grid's; the others: replicates of the compared models). */
  readonly trainSeeds: readonly number[];
  /** Channel-noise resamplings per patch behind each score. */
  readonly resamplings: number;
  /** Held-out photos on each side of the by-photo split. */
  readonly testPhotos: number;
  readonly validationPhotos: number;
  readonly scores: readonly PatchScores[];
}

/** The per-patch scores of trial results, both splits. */
export function scoresOf(results: readonly TrialResult[]): PatchScores[] {
  const out: PatchScores[] = [];
  for (const r of results) {
    const m = r.config.model;
    for (const [split, curves] of [['test', r.curves], ['validation', r.validation ?? {}]] as const) {
      for (const [test, pts] of Object.entries(curves) as [TestMethod, NonNullable<TrialResult['curves']['fixed']>][]) {
        for (const p of pts) out.push({ method: m.method, trainSnrDb: m.trainSnrDb, cmc: m.cmc, seed: m.seed, test, split, testSnrDb: p.testSnrDb, psnr: p.psnr, ssim: p.ssim });
      }
    }
  }
  return out;
}

/** The typed results of a run: its trial results and the plan's grids. */
export function vsccResults(results: readonly TrialResult[], grid: { trainSnrsDb: readonly number[]; cmcs: readonly number[]; trainSeeds?: readonly number[] }): VsccResults {
  if (results.length === 0) throw new RangeError('results must be non-empty');
  const r0 = results[0];
  const seeds = [...new Set(results.map((r) => r.config.model.seed))];
  return {
    trainSnrsDb: [...grid.trainSnrsDb], cmcs: [...grid.cmcs], trainSeeds: grid.trainSeeds ? [...grid.trainSeeds] : seeds, resamplings: r0.config.eval.resamplings,
    testPhotos: r0.testPhotos, validationPhotos: r0.validationPhotos, scores: scoresOf(results),
  };
}

/**
 * Which model and testing method: cmc only for VSCC; test defaults to the method's own (AE: 'ae', else 'fixed');
 * seed: one training seed (absent: every seed the model has).
 */
export interface Selection {
  readonly method: Method;
  readonly trainSnrDb: number;
  readonly cmc?: number | null;
  readonly seed?: number;
  readonly test?: TestMethod;
  readonly split?: Split;
}

const defaultTest = (m: Method): TestMethod => (m === 'ae' ? 'ae' : 'fixed');

/** The entries of one model × test × split (all its test SNRs), in test-SNR order. */
export function entriesOf(scores: readonly PatchScores[], p: Selection): PatchScores[] {
  const test = p.test ?? defaultTest(p.method);
  const split = p.split ?? 'test';
  return scores.filter((s) => s.method === p.method && s.trainSnrDb === p.trainSnrDb && s.test === test && s.split === split
    && (p.method !== 'vscc' || p.cmc === undefined || s.cmc === p.cmc) && (p.seed === undefined || s.seed === p.seed))
    .sort((a, b) => a.testSnrDb - b.testSnrDb || a.seed - b.seed);
}

const describe = (p: Selection): string => `${p.method}${p.cmc == null ? '' : ` d=${p.cmc}`} @ ${p.trainSnrDb} dB${p.seed === undefined ? '' : `, seed ${p.seed}`}, ${p.test ?? defaultTest(p.method)} test, ${p.split ?? 'test'} split`;

/** The training seeds a selection has scores for, ascending. */
export function seedsOf(scores: readonly PatchScores[], p: Selection): number[] {
  return [...new Set(entriesOf(scores, p).map((s) => s.seed))].sort((a, b) => a - b);
}

function oneSeed(scores: readonly PatchScores[], p: Selection): void {
  const seeds = seedsOf(scores, p);
  if (seeds.length > 1) throw new RangeError(`${describe(p)} has ${seeds.length} training seeds (${seeds.join(', ')}): name one (seed) or use the ...BySeed form`);
}

/** Per patch: the metric at one test SNR (one training seed: give `seed` when the model has several). */
export function scoresAt(scores: readonly PatchScores[], p: Selection, testSnrDb: number, metric: Metric): readonly number[] {
  oneSeed(scores, p);
  const e = entriesOf(scores, p).filter((s) => s.testSnrDb === testSnrDb);
  if (e.length !== 1) throw new RangeError(`expected one score set for ${describe(p)} at test SNR ${testSnrDb} dB, found ${e.length}`);
  return e[0][metric];
}

/** scoresAt for every training seed of the selection. */
export function scoresAtBySeed(scores: readonly PatchScores[], p: Selection, testSnrDb: number, metric: Metric): SeedScores[] {
  const seeds = seedsOf(scores, p);
  if (seeds.length === 0) throw new RangeError(`no scores for ${describe(p)}`);
  return seeds.map((seed) => ({ seed, values: scoresAt(scores, { ...p, seed }, testSnrDb, metric) }));
}

/**
 * Per patch: the mean of the metric over the test SNRs selected by `keep` (default: the model's window, training SNR
 * … +10 dB). Throws when nothing is selected or the entries score different numbers of patches.
 */
export function windowScores(scores: readonly PatchScores[], p: Selection, metric: Metric, keep: (testSnrDb: number) => boolean = (s) => inWindow(p.trainSnrDb, s)): number[] {
  oneSeed(scores, p);
  const e = entriesOf(scores, p).filter((s) => keep(s.testSnrDb));
  if (e.length === 0) throw new RangeError(`no scores for ${describe(p)} at the selected test SNRs`);
  const n = e[0][metric].length;
  if (e.some((s) => s[metric].length !== n)) throw new RangeError(`the score sets of ${describe(p)} cover different numbers of patches`);
  const out = new Array<number>(n).fill(0);
  for (const s of e) for (let i = 0; i < n; i++) out[i] += s[metric][i] / e.length;
  return out;
}

/** windowScores for every training seed of the selection. */
export function windowBySeed(scores: readonly PatchScores[], p: Selection, metric: Metric, keep?: (testSnrDb: number) => boolean): SeedScores[] {
  const seeds = seedsOf(scores, p);
  if (seeds.length === 0) throw new RangeError(`no scores for ${describe(p)}`);
  return seeds.map((seed) => ({ seed, values: windowScores(scores, { ...p, seed }, metric, keep) }));
}

const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
const seedMean = (rows: readonly SeedScores[]): number => mean(rows.map((r) => mean(r.values)));

/** A table row, so a `type` alias (assignable to the plot library's Row). */
export type BestCmcRow = {
  readonly train_snr_db: number;
  /** The d with the highest validation window mean PSNR (SSIM) under the fixed-variance test. */
  readonly best_cmc_psnr: number;
  readonly best_cmc_ssim: number;
};

/** Validation window means of every CMC at one training SNR (what the best CMC is chosen from; mean over seeds). */
export function validationMeans(scores: readonly PatchScores[], trainSnrDb: number, cmcs: readonly number[]): { d: number; psnr: number; ssim: number; n: number }[] {
  return cmcs.map((d) => {
    const pick: Selection = { method: 'vscc', trainSnrDb, cmc: d, test: 'fixed', split: 'validation' };
    const ps = windowBySeed(scores, pick, 'psnr');
    return { d, psnr: seedMean(ps), ssim: seedMean(windowBySeed(scores, pick, 'ssim')), n: ps[0].values.length };
  });
}

/** Best CMC per training SNR, chosen on the validation split only (ties: the first in `cmcs`). */
export function bestCmc(scores: readonly PatchScores[], trainSnrsDb: readonly number[], cmcs: readonly number[]): BestCmcRow[] {
  return trainSnrsDb.map((t) => {
    const m = validationMeans(scores, t, cmcs);
    const argmax = (k: Metric) => m.reduce((b, s) => (s[k] > b[k] ? s : b)).d;
    return { train_snr_db: t, best_cmc_psnr: argmax('psnr'), best_cmc_ssim: argmax('ssim') };
  });
}

/** The VSCC model of each training SNR that Figs. 7 and 9 and the claims use: the best CMC by SSIM ("the optimal CMC"). */
export function chosenCmc(best: readonly BestCmcRow[], trainSnrDb: number): number {
  const b = best.find((x) => x.train_snr_db === trainSnrDb);
  if (!b) throw new RangeError(`no best CMC for training SNR ${trainSnrDb} dB`);
  return b.best_cmc_ssim;
}
