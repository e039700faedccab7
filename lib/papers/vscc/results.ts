/**
 * The typed results the VSCC claims and figures are computed from: per-patch scores of every (model, testing method,
 * split, test SNR), and the two selections made from them — a model's window score per patch, and the best CMC per
 * training SNR, chosen on the VALIDATION photos only. See docs/papers/vscc.md#evaluation.
 */
import type { Method, TestMethod } from './config.js';
import { inWindow } from './plan.js';
import type { TrialResult } from './trial.js';

export type Split = 'validation' | 'test';
export type Metric = 'psnr' | 'ssim';

/** One model under one testing method on one split at one test SNR: a score per patch (mean over its resamplings). */
export interface PatchScores {
  readonly method: Method;
  readonly trainSnrDb: number;
  readonly cmc: number | null;
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
        for (const p of pts) out.push({ method: m.method, trainSnrDb: m.trainSnrDb, cmc: m.cmc, test, split, testSnrDb: p.testSnrDb, psnr: p.psnr, ssim: p.ssim });
      }
    }
  }
  return out;
}

/** The typed results of a run: its trial results and the plan's grids. */
export function vsccResults(results: readonly TrialResult[], grid: { trainSnrsDb: readonly number[]; cmcs: readonly number[] }): VsccResults {
  if (results.length === 0) throw new RangeError('results must be non-empty');
  const r0 = results[0];
  return {
    trainSnrsDb: [...grid.trainSnrsDb], cmcs: [...grid.cmcs], resamplings: r0.config.eval.resamplings,
    testPhotos: r0.testPhotos, validationPhotos: r0.validationPhotos, scores: scoresOf(results),
  };
}

/** Which model and testing method: cmc only for VSCC; test defaults to the method's own (AE: 'ae', else 'fixed'). */
export interface Selection {
  readonly method: Method;
  readonly trainSnrDb: number;
  readonly cmc?: number | null;
  readonly test?: TestMethod;
  readonly split?: Split;
}

const defaultTest = (m: Method): TestMethod => (m === 'ae' ? 'ae' : 'fixed');

/** The entries of one model × test × split (all its test SNRs), in test-SNR order. */
export function entriesOf(scores: readonly PatchScores[], p: Selection): PatchScores[] {
  const test = p.test ?? defaultTest(p.method);
  const split = p.split ?? 'test';
  return scores.filter((s) => s.method === p.method && s.trainSnrDb === p.trainSnrDb && s.test === test && s.split === split
    && (p.method !== 'vscc' || p.cmc === undefined || s.cmc === p.cmc)).sort((a, b) => a.testSnrDb - b.testSnrDb);
}

const describe = (p: Selection): string => `${p.method}${p.cmc == null ? '' : ` d=${p.cmc}`} @ ${p.trainSnrDb} dB, ${p.test ?? defaultTest(p.method)} test, ${p.split ?? 'test'} split`;

/** Per patch: the metric at one test SNR. */
export function scoresAt(scores: readonly PatchScores[], p: Selection, testSnrDb: number, metric: Metric): readonly number[] {
  const e = entriesOf(scores, p).filter((s) => s.testSnrDb === testSnrDb);
  if (e.length !== 1) throw new RangeError(`expected one score set for ${describe(p)} at test SNR ${testSnrDb} dB, found ${e.length}`);
  return e[0][metric];
}

/**
 * Per patch: the mean of the metric over the test SNRs selected by `keep` (default: the model's window, training SNR
 * … +10 dB). Throws when nothing is selected or the entries score different numbers of patches.
 */
export function windowScores(scores: readonly PatchScores[], p: Selection, metric: Metric, keep: (testSnrDb: number) => boolean = (s) => inWindow(p.trainSnrDb, s)): number[] {
  const e = entriesOf(scores, p).filter((s) => keep(s.testSnrDb));
  if (e.length === 0) throw new RangeError(`no scores for ${describe(p)} at the selected test SNRs`);
  const n = e[0][metric].length;
  if (e.some((s) => s[metric].length !== n)) throw new RangeError(`the score sets of ${describe(p)} cover different numbers of patches`);
  const out = new Array<number>(n).fill(0);
  for (const s of e) for (let i = 0; i < n; i++) out[i] += s[metric][i] / e.length;
  return out;
}

const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

/** A table row, so a `type` alias (assignable to the plot library's Row). */
export type BestCmcRow = {
  readonly train_snr_db: number;
  /** The d with the highest validation window mean PSNR (SSIM) under the fixed-variance test. */
  readonly best_cmc_psnr: number;
  readonly best_cmc_ssim: number;
};

/** Validation window means of every CMC at one training SNR (what the best CMC is chosen from). */
export function validationMeans(scores: readonly PatchScores[], trainSnrDb: number, cmcs: readonly number[]): { d: number; psnr: number; ssim: number; n: number }[] {
  return cmcs.map((d) => {
    const pick: Selection = { method: 'vscc', trainSnrDb, cmc: d, test: 'fixed', split: 'validation' };
    const ps = windowScores(scores, pick, 'psnr');
    return { d, psnr: mean(ps), ssim: mean(windowScores(scores, pick, 'ssim')), n: ps.length };
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
