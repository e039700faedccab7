/**
 * Rows and Vega-Lite specs of the VSCC notebook: every curve point with its 95 % interval over training seeds × test
 * patches (seeds.ts), the rows of Figs. 7–9, the best-CMC table (chosen on validation photos, reported on test
 * photos), the latent-variance histograms and summaries. Row types are `type` aliases so they stay assignable to the
 * plot library's Row.
 */
import { DASH_LEGEND, labelExpr, titleBlock } from '../../plot/index.js';
import type { Method, TestMethod } from './config.js';
import { awgnNoiseVariance } from './losses.js';
import { PAPER_BEST_CMC, PAPER_FIG7_POINTS } from './plan.js';
import { chosenCmc, entriesOf, scoresAtBySeed, validationMeans, windowBySeed, type BestCmcRow, type Selection, type Split, type VsccResults } from './results.js';
import { seedPatchDifference, seedPatchMean } from './seeds.js';
import type { TrialResult } from './trial.js';

/** Bootstrap resamples behind the bands of the figures (the claims use their own, CLAIM_RESAMPLES). */
export const FIGURE_RESAMPLES = 1000;

/**
 * One row per (model, test, split, test SNR), its training seeds pooled: the full record behind every figure.
 * lo/hi: 95 % interval of the mean over seeds × patches (two-way bootstrap; over patches for one seed).
 */
export type CurveRow = {
  method: Method;
  train_snr_db: number;
  cmc: number | null;
  test: TestMethod;
  split: Split;
  test_snr_db: number;
  /** Patches behind the point (each scored once per seed). */
  n: number;
  /** Training seeds behind the point. */
  seeds: number;
  psnr_mean: number;
  psnr_lo: number;
  psnr_hi: number;
  /** Averages over patches of each patch's min / max over its resamplings. */
  psnr_min: number;
  psnr_max: number;
  ssim_mean: number;
  ssim_lo: number;
  ssim_hi: number;
  ssim_min: number;
  ssim_max: number;
};

export function curveRows(results: readonly TrialResult[], resamples = FIGURE_RESAMPLES): CurveRow[] {
  type Point = NonNullable<TrialResult['curves']['fixed']>[number];
  const groups = new Map<string, { key: Omit<CurveRow, 'n' | 'seeds' | `${'psnr' | 'ssim'}_${'mean' | 'lo' | 'hi' | 'min' | 'max'}`>; pts: { seed: number; p: Point }[] }>();
  for (const r of results) {
    const m = r.config.model;
    for (const [split, curves] of [['test', r.curves], ['validation', r.validation ?? {}]] as const) {
      for (const [test, pts] of Object.entries(curves) as [TestMethod, Point[]][]) {
        for (const p of pts) {
          const id = JSON.stringify([m.method, m.trainSnrDb, m.cmc, test, split, p.testSnrDb]);
          const g = groups.get(id) ?? { key: { method: m.method, train_snr_db: m.trainSnrDb, cmc: m.cmc, test, split, test_snr_db: p.testSnrDb }, pts: [] };
          g.pts.push({ seed: m.seed, p });
          groups.set(id, g);
        }
      }
    }
  }
  const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return [...groups.values()].map(({ key, pts }) => {
    const ps = seedPatchMean(pts.map((x) => ({ seed: x.seed, values: x.p.psnr })), { resamples, seed: 1 });
    const ss = seedPatchMean(pts.map((x) => ({ seed: x.seed, values: x.p.ssim })), { resamples, seed: 1 });
    const over = (f: (p: Point) => number) => avg(pts.map((x) => f(x.p)));
    return {
      ...key, n: pts[0].p.psnr.length, seeds: pts.length,
      psnr_mean: over((p) => p.psnrMean), psnr_lo: ps.ci95[0], psnr_hi: ps.ci95[1], psnr_min: over((p) => p.psnrMin), psnr_max: over((p) => p.psnrMax),
      ssim_mean: over((p) => p.ssimMean), ssim_lo: ss.ci95[0], ssim_hi: ss.ci95[1], ssim_min: over((p) => p.ssimMin), ssim_max: over((p) => p.ssimMax),
    };
  });
}

const TEST_LABEL: Record<TestMethod, string> = { fixed: 'fixed variance σ_KB²', transmitted: 'transmitted variance', ae: 'AE (no resampling)' };

const isChosen = (r: CurveRow, best: readonly BestCmcRow[]): boolean => r.method === 'vscc' && best.some((b) => b.train_snr_db === r.train_snr_db && b.best_cmc_ssim === r.cmc);

export type Fig7Row = {
  test: string; train_snr_db: number; cmc: number; test_snr_db: number;
  psnr_mean: number; psnr_lo: number; psnr_hi: number; ssim_mean: number; ssim_lo: number; ssim_hi: number;
};

/** Fig. 7 rows: the chosen VSCC models under both resampling tests, test split. */
export function fig7Rows(rows: readonly CurveRow[], best: readonly BestCmcRow[]): Fig7Row[] {
  return rows.filter((r) => r.split === 'test' && isChosen(r, best)).map((r) => ({
    test: TEST_LABEL[r.test], train_snr_db: r.train_snr_db, cmc: r.cmc ?? 0, test_snr_db: r.test_snr_db,
    psnr_mean: r.psnr_mean, psnr_lo: r.psnr_lo, psnr_hi: r.psnr_hi, ssim_mean: r.ssim_mean, ssim_lo: r.ssim_lo, ssim_hi: r.ssim_hi,
  }));
}

export type Fig8Row = Omit<Fig7Row, 'test' | 'cmc'> & { cmc: string };

/** Fig. 8 rows: every CMC at every training SNR, fixed-variance test, test split. */
export function fig8Rows(rows: readonly CurveRow[]): Fig8Row[] {
  return rows.filter((r) => r.method === 'vscc' && r.test === 'fixed' && r.split === 'test').map((r) => ({
    cmc: `d = ${r.cmc}`, train_snr_db: r.train_snr_db, test_snr_db: r.test_snr_db,
    psnr_mean: r.psnr_mean, psnr_lo: r.psnr_lo, psnr_hi: r.psnr_hi, ssim_mean: r.ssim_mean, ssim_lo: r.ssim_lo, ssim_hi: r.ssim_hi,
  }));
}

export type Fig9Row = {
  method: Method; train_snr_db: number; test_snr_db: number;
  psnr_mean: number; psnr_lo: number; psnr_hi: number; ssim_mean: number; ssim_lo: number; ssim_hi: number;
};

/** Fig. 9 rows (test split): VSCC (best CMC by SSIM on validation) and VAE with the fixed-variance test, and the AE. */
export function fig9Rows(rows: readonly CurveRow[], best: readonly BestCmcRow[]): Fig9Row[] {
  const keep = (r: CurveRow) => r.split === 'test' && (r.method === 'vscc' ? r.test === 'fixed' && isChosen(r, best) : r.method === 'vae' ? r.test === 'fixed' : r.test === 'ae');
  return rows.filter(keep).map((r) => ({
    method: r.method, train_snr_db: r.train_snr_db, test_snr_db: r.test_snr_db,
    psnr_mean: r.psnr_mean, psnr_lo: r.psnr_lo, psnr_hi: r.psnr_hi, ssim_mean: r.ssim_mean, ssim_lo: r.ssim_lo, ssim_hi: r.ssim_hi,
  }));
}

const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);
const ci = (e: { value: number; ci95: readonly [number, number] }, f: (v: number) => string) => `${f(e.value)} [${f(e.ci95[0])}, ${f(e.ci95[1])}]`;

export type DifferenceRow = {
  comparison: string; train_snr_db: number; test_snr_db: number; n: number; seeds: number;
  psnr_diff: number; psnr_lo: number; psnr_hi: number; ssim_diff: number; ssim_lo: number; ssim_hi: number;
};

/**
 * Fig. 9 as paired differences per test SNR (test split): VSCC (chosen CMC) − VAE and AE − VSCC, each with its
 * paired 95 % interval over training seeds × test patches (seeds.ts) — the comparison the claims make, SNR by SNR.
 */
export function differenceRows(r: VsccResults, best: readonly BestCmcRow[], resamples = FIGURE_RESAMPLES): DifferenceRow[] {
  const rows: DifferenceRow[] = [];
  for (const b of best) {
    const t = b.train_snr_db;
    const vscc: Selection = { method: 'vscc', trainSnrDb: t, cmc: chosenCmc(best, t) };
    const pairs: [string, Selection, Selection][] = [
      ['VSCC − VAE', vscc, { method: 'vae', trainSnrDb: t }],
      ['AE − VSCC', { method: 'ae', trainSnrDb: t }, vscc],
    ];
    for (const [comparison, a, c] of pairs) {
      if (entriesOf(r.scores, a).length === 0 || entriesOf(r.scores, c).length === 0) continue;
      for (const s of [...new Set(entriesOf(r.scores, a).map((e) => e.testSnrDb))]) {
        const p = seedPatchDifference(scoresAtBySeed(r.scores, a, s, 'psnr'), scoresAtBySeed(r.scores, c, s, 'psnr'), { resamples, seed: 1 });
        const q = seedPatchDifference(scoresAtBySeed(r.scores, a, s, 'ssim'), scoresAtBySeed(r.scores, c, s, 'ssim'), { resamples, seed: 1 });
        rows.push({
          comparison, train_snr_db: t, test_snr_db: s, n: p.n, seeds: p.seeds.length,
          psnr_diff: p.value, psnr_lo: p.ci95[0], psnr_hi: p.ci95[1], ssim_diff: q.value, ssim_lo: q.ci95[0], ssim_hi: q.ci95[1],
        });
      }
    }
  }
  return rows;
}

export const DIFFERENCE_METRICS: GridMetric[] = [
  { field: 'psnr_diff', lo: 'psnr_lo', hi: 'psnr_hi', title: 'Δ PSNR (dB)' },
  { field: 'ssim_diff', lo: 'ssim_lo', hi: 'ssim_hi', title: 'Δ SSIM' },
];

export type BestCmcTableRow = {
  'training SNR (dB)': number;
  'best d by PSNR (ours)': number;
  'best d by PSNR (paper)': number | string;
  'best d by SSIM (ours)': number;
  'best d by SSIM (paper)': number | string;
  'validation window means, every d (PSNR / SSIM)': string;
  'test window mean of the chosen d (PSNR dB / SSIM, 95 % interval over seeds × patches)': string;
};

/**
 * The best-CMC table beside the paper's: the choice (validation photos), every CMC's validation window means (so the
 * margins are visible), and the chosen model's window means on the test photos with their intervals.
 */
export function bestCmcComparison(r: VsccResults, best: readonly BestCmcRow[]): BestCmcTableRow[] {
  return best.map((b) => {
    const paper = PAPER_BEST_CMC.find((p) => p.trainSnrDb === b.train_snr_db);
    const means = validationMeans(r.scores, b.train_snr_db, r.cmcs).map((v) => `d=${v.d}: ${f2(v.psnr)} dB / ${f3(v.ssim)}`);
    const pick = { method: 'vscc' as const, trainSnrDb: b.train_snr_db, cmc: b.best_cmc_ssim };
    const tp = seedPatchMean(windowBySeed(r.scores, pick, 'psnr'), { resamples: FIGURE_RESAMPLES });
    const ts = seedPatchMean(windowBySeed(r.scores, pick, 'ssim'), { resamples: FIGURE_RESAMPLES });
    return {
      'training SNR (dB)': b.train_snr_db, 'best d by PSNR (ours)': b.best_cmc_psnr, 'best d by PSNR (paper)': paper?.psnr ?? '—',
      'best d by SSIM (ours)': b.best_cmc_ssim, 'best d by SSIM (paper)': paper?.ssim ?? '—', 'validation window means, every d (PSNR / SSIM)': means.join('; '),
      'test window mean of the chosen d (PSNR dB / SSIM, 95 % interval over seeds × patches)': `d=${b.best_cmc_ssim}: ${ci(tp, f2)} / ${ci(ts, f3)}`,
    };
  });
}

export type VarianceRow = { train_snr_db: number; model: string; order: number; log10_variance: number; fraction: number };

/**
 * Histogram rows of log10 σ1² over (knowledge-base image, latent element): one line per model, of one training seed
 * (default: the smallest seed present, the CMC grid's).
 */
export function varianceRows(results: readonly TrialResult[], seed?: number): VarianceRow[] {
  const only = seed ?? Math.min(...results.map((r) => r.config.model.seed));
  return results.flatMap((r) => {
    const v = r.variance;
    const m = r.config.model;
    if (!v || m.seed !== only) return [];
    const total = v.histogram.counts.reduce((a, b) => a + b, 0);
    const model = m.method === 'vscc' ? `VSCC d = ${m.cmc}` : 'VAE';
    const order = m.cmc ?? 1e6;
    return v.histogram.counts.map((c, i) => ({ train_snr_db: m.trainSnrDb, model, order, log10_variance: v.histogram.lo + (i + 0.5) * v.histogram.width, fraction: c / total }));
  });
}

export type VarianceSummaryRow = {
  method: Method; 'training SNR (dB)': number; d: number | string; seed: number; 'σ2²': number; 'mean σ1²': number; 'min σ_KB²': number; 'max σ_KB²': number; 'active elements': string;
};

/** Per VSCC/VAE model: σ2², mean σ1², σ_KB² range, and how many latent elements are "active" (σ_KB² < 1 = P). */
export function varianceSummary(results: readonly TrialResult[]): VarianceSummaryRow[] {
  return results.filter((r) => r.variance).map((r) => {
    const m = r.config.model;
    const v = r.variance as NonNullable<TrialResult['variance']>;
    const sig = (x: number) => Number(x.toPrecision(3));
    return {
      method: m.method, 'training SNR (dB)': m.trainSnrDb, d: m.cmc ?? '—', seed: m.seed, 'σ2²': sig(awgnNoiseVariance(m.trainSnrDb)),
      'mean σ1²': sig(v.mean), 'min σ_KB²': sig(v.kbMin), 'max σ_KB²': sig(v.kbMax),
      'active elements': `${v.kb.filter((x) => x < 1).length}/${v.kb.length}`,
    };
  });
}

export type MethodsAtRow = { 'training SNR (dB)': number; 'VSCC d': number; 'VSCC (PSNR / SSIM)': string; VAE: string; AE: string };

/** Fig. 9's three methods at one test SNR, per training SNR, with 95 % intervals over test patches. */
export function methodsAt(rows: readonly CurveRow[], best: readonly BestCmcRow[], testSnrDb: number): MethodsAtRow[] {
  const f9 = fig9Rows(rows, best);
  return best.map((b) => {
    const cell = (m: Method) => {
      const r = f9.find((x) => x.method === m && x.train_snr_db === b.train_snr_db && x.test_snr_db === testSnrDb);
      return r ? `${f2(r.psnr_mean)} [${f2(r.psnr_lo)}, ${f2(r.psnr_hi)}] dB / ${f3(r.ssim_mean)} [${f3(r.ssim_lo)}, ${f3(r.ssim_hi)}]` : '—';
    };
    return { 'training SNR (dB)': b.train_snr_db, 'VSCC d': b.best_cmc_ssim, 'VSCC (PSNR / SSIM)': cell('vscc'), VAE: cell('vae'), AE: cell('ae') };
  });
}

export type PaperPointRow = { 'training SNR (dB)': number; 'test SNR (dB)': number; 'paper PSNR (dB)': number; 'ours PSNR (dB)': string; 'paper SSIM': number; 'ours SSIM': string };

/** The numbers §IV-A quotes for Fig. 7 (VSCC, fixed variance), beside ours (test split, 95 % intervals). */
export function paperPointRows(rows: readonly CurveRow[], best: readonly BestCmcRow[]): PaperPointRow[] {
  return PAPER_FIG7_POINTS.map((p) => {
    const has = best.some((b) => b.train_snr_db === p.trainSnrDb);
    const r = has ? rows.find((x) => x.split === 'test' && x.method === 'vscc' && x.test === 'fixed' && x.cmc === chosenCmc(best, p.trainSnrDb) && x.train_snr_db === p.trainSnrDb && x.test_snr_db === p.testSnrDb) : undefined;
    return {
      'training SNR (dB)': p.trainSnrDb, 'test SNR (dB)': p.testSnrDb, 'paper PSNR (dB)': p.psnr, 'ours PSNR (dB)': r ? `${f2(r.psnr_mean)} [${f2(r.psnr_lo)}, ${f2(r.psnr_hi)}]` : '—',
      'paper SSIM': p.ssim, 'ours SSIM': r ? `${f3(r.ssim_mean)} [${f3(r.ssim_lo)}, ${f3(r.ssim_hi)}]` : '—',
    };
  });
}

export interface GridMetric { field: string; title: string; lo?: string; hi?: string; scale?: Record<string, unknown> }

/** Legend names of the methods (the data keep the CSV's keys). */
export const METHOD_LABELS: Readonly<Record<Method, string>> = { vscc: 'VSCC', vae: 'VAE', ae: 'AE' };

/**
 * A figure of two rows (PSNR, SSIM: separate panels, each its own axis) × one column per training SNR, one line per
 * `color` value in the rows' order (or `colorOrder`), named by `colorLabels`, with an optional band from `lo` to
 * `hi` and an optional dash per `dash` value. Rows are "wide" (psnr_mean, psnr_lo, … per row), so the CSV stays the
 * figure's own table. Markers are a layer of their own, so the dash legend shows dashes; the band is drawn with
 * fillOpacity, so the legend symbols stay opaque.
 */
export function metricGridSpec(o: {
  title: string; subtitle: string[]; color: string; colorTitle: string; metrics: GridMetric[]; width?: number; dash?: string; colorOrder?: string[];
  colorLabels?: Readonly<Record<string, string>>;
}): Record<string, unknown> {
  const chart = (m: GridMetric) => {
    const x = { field: 'test_snr_db', type: 'quantitative', title: 'test SNR (dB)' };
    const y = { field: m.field, type: 'quantitative', title: m.title, scale: m.scale ?? { zero: false } };
    const legend = o.colorLabels ? { legend: { labelExpr: labelExpr(o.colorLabels) } } : {};
    const color = { field: o.color, type: 'nominal', title: o.colorTitle, ...legend, ...(o.colorOrder ? { sort: o.colorOrder } : {}) };
    const dash = o.dash ? { strokeDash: { field: o.dash, type: 'nominal', title: '', legend: DASH_LEGEND } } : {};
    const layer: Record<string, unknown>[] = [
      { mark: { type: 'line', clip: true }, encoding: { x, y, color, ...dash } },
      { mark: { type: 'point', filled: true, size: 20, clip: true }, encoding: { x, y, color } },
    ];
    if (m.lo && m.hi) {
      layer.unshift({
        mark: { type: 'area', fillOpacity: 0.25, clip: true },
        encoding: { x, y: { field: m.lo, type: 'quantitative' }, y2: { field: m.hi }, color, ...(o.dash ? { detail: { field: o.dash, type: 'nominal' } } : {}) },
      });
    }
    return {
      facet: { column: { field: 'train_snr_db', type: 'ordinal', title: 'training SNR (dB)' } },
      spec: { width: o.width ?? 210, height: 170, layer },
    };
  };
  return { title: titleBlock(o.title, o.subtitle), vconcat: o.metrics.map(chart) };
}

/** The metrics of Figs. 7–9: mean over test patches with its 95 % interval as a band. */
export const CI_METRICS: GridMetric[] = [
  { field: 'psnr_mean', lo: 'psnr_lo', hi: 'psnr_hi', title: 'PSNR (dB)' },
  { field: 'ssim_mean', lo: 'ssim_lo', hi: 'ssim_hi', title: 'SSIM' },
];
