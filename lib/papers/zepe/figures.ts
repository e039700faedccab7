/**
 * Shaping the ZEPE results for the notebook's plots: Fig. 3 rows with their 95 % intervals (bands), and the
 * subtitles that state what a band is and how many test images are behind it. The exact-solver figures (Fig. 1,
 * Gaussian, R-D-P, Lemma 3) take the typed rows of plan.ts as they are.
 */
import type { HybridExperimentResult, HybridRow } from './hybrid.js';

/** A point of a Fig. 3 quality curve (PSNR or SSIM) with its 95 % interval over the test images. */
export type QualityRow = { metric: string; series: string; d: number; value: number; lo: number; hi: number };
/** A point of a Fig. 3 perception curve; lo/hi null where no interval is computed (the per-pixel distance). */
export type PerceptionRow = { series: string; d: number; value: number; lo: number | null; hi: number | null };

export interface HybridFigureRows {
  quality: QualityRow[];
  accuracy: PerceptionRow[];
  frechet: PerceptionRow[];
  pixel: PerceptionRow[];
}

/** Rows for the Fig. 3 plots: quality and perception against d, with the real test images as a reference line. */
export function hybridFigureRows(res: HybridExperimentResult): HybridFigureRows {
  const real = res.rows.find((r) => r.mode === 'original');
  const curves = res.rows.filter((r): r is HybridRow & { d: number } => r.mode !== 'original' && r.d !== null);
  const ds = [...new Set(curves.map((r) => r.d))];
  const label = (m: string) => `${m} A`;
  const quality: QualityRow[] = curves
    .filter((r) => Number.isFinite(r.psnr))
    .flatMap((r) => [
      { metric: 'PSNR (dB)', series: label(r.mode), d: r.d, value: r.psnr, lo: r.psnrLo, hi: Number.isFinite(r.psnrHi) ? r.psnrHi : r.psnr },
      { metric: 'SSIM', series: label(r.mode), d: r.d, value: r.ssim, lo: r.ssimLo, hi: r.ssimHi },
    ]);
  const interval = (r: HybridRow, key: 'accuracy' | 'featureFrechet' | 'pixelDistance'): [number | null, number | null] =>
    key === 'accuracy' ? [r.accuracyLo, r.accuracyHi] : key === 'featureFrechet' ? [r.featureFrechetLo, r.featureFrechetHi] : [null, null];
  const perception = (key: 'accuracy' | 'featureFrechet' | 'pixelDistance'): PerceptionRow[] => [
    ...curves.filter((r) => r[key] !== null).map((r) => {
      const [lo, hi] = interval(r, key);
      return { series: label(r.mode), d: r.d, value: r[key] as number, lo, hi };
    }),
    ...(real && real[key] !== null ? ds.map((d) => {
      const [lo, hi] = interval(real, key);
      return { series: 'real test images', d, value: real[key] as number, lo, hi };
    }) : []),
  ];
  return { quality, accuracy: perception('accuracy'), frechet: perception('featureFrechet'), pixel: perception('pixelDistance') };
}

/** The scale of a Fig. 3 run, for the figure subtitles: training steps, fit and test counts, backend. */
export function hybridScaleNote(res: HybridExperimentResult): string {
  const cls = res.classifier ? `, classifier ${res.classifier.steps} steps` : '';
  return `cVAE ${res.cvae.steps} steps${cls}; A fitted on ${res.nFit} train images; ${res.nTest} test images (reference: ${res.nRef} other test images); ${res.backend.split(' (')[0]}`;
}

/** What the bands of a Fig. 3 plot are, for its subtitle. */
export function hybridBandNote(res: HybridExperimentResult, what: 'quality' | 'accuracy' | 'frechet'): string {
  if (what === 'accuracy') return `band: 95 % exact binomial (Clopper–Pearson) interval over n = ${res.nTest} test digits`;
  if (what === 'frechet') return `band: 95 % normal bootstrap interval over the n = ${res.nTest} test digits (reference set of ${res.nRef} fixed)`;
  return `band: 95 % percentile bootstrap of the mean over n = ${res.nTest} test images (PSNR from the MSE interval)`;
}
