/**
 * Shaping the ZEPE results for the notebook's plots: Fig. 3 rows with their 95 % intervals (bands), and the
 * subtitles that state what a band is and how many test images are behind it. The exact-solver figures (Fig. 1,
 * Gaussian, R-D-P, Lemma 3) take the typed rows of plan.ts as they are.
 */
import { powerLawFit, powerLawXAt } from '../../metrics/index.js';
import type { GeneratorCurveRow, HybridExperimentResult, HybridRow } from './hybrid.js';

/** A point of a Fig. 3 quality curve (PSNR or SSIM) with its 95 % interval over the test images. */
export type QualityRow = { metric: string; series: string; d: number; value: number; lo: number; hi: number };
/** A point of a Fig. 3 perception curve; lo/hi null where no interval is computed (the per-pixel distance). */
export type PerceptionRow = { series: string; d: number; value: number; lo: number | null; hi: number | null };

/** A point of the generator's learning curve on validation digits (lo/hi null for the real-vs-real level). */
export type GeneratorCurvePoint = { series: string; steps: number; value: number; lo: number | null; hi: number | null };

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
  const steps = res.cvae.totalSteps ?? res.cvae.steps;
  const gen = res.chosen ? `cVAE ${steps} steps, ${res.chosen.prior} prior (chosen on validation)` : `cVAE ${steps} steps`;
  return `${gen}${cls}; A fitted on ${res.nFit} train images; ${res.nTest} test images (reference: ${res.nRef} other test images); ${res.backend.split(' (')[0]}`;
}

/** What the semantic link carries, for subtitles and axis titles. */
export function semanticLinkNote(res: HybridExperimentResult): string {
  const s = res.semantic;
  if (s.kind === 'quantised latent') return `semantic link: encoder latent, ${s.latentDim} × ${s.bitsPerCoordinate} bits = ${s.bitsPerImage} bits per image (uniform scalar quantiser, ±3 sd)`;
  if (s.kind === 'class') return `semantic link: the class, log2 ${2 ** s.bitsPerImage} = ${s.bitsPerImage.toFixed(2)} bits per image`;
  return 'semantic link: nothing (unconditional generator)';
}

/** Learning-curve rows: validation Fréchet distance per prior against cVAE steps, and the real-vs-real level. */
export function generatorCurveRows(res: HybridExperimentResult): GeneratorCurvePoint[] {
  const curve = res.generatorCurve ?? [];
  return [
    ...curve.map((c) => ({ series: `generated, ${c.prior} prior`, steps: c.step, value: c.frechet, lo: c.frechetLo, hi: c.frechetHi })),
    ...[...new Set(curve.map((c) => c.step))].map((step) => {
      const c = curve.find((x) => x.step === step) as GeneratorCurveRow;
      return { series: 'real validation digits', steps: step, value: c.realFrechet, lo: null, hi: null };
    }),
  ];
}

/**
 * Extrapolates the chosen prior's validation gap (Fréchet(generated) − Fréchet(real)) against steps by a power law
 * fitted to the last `points` stages (lib/metrics powerLawFit), to the steps where it would reach `tolerance` ×
 * Fréchet(real). null fields: no positive gaps to fit, or a curve that does not fall.
 */
export function extrapolateGeneratorGap(res: HybridExperimentResult, tolerance: number, points = 3): {
  prior: string; exponent: number | null; stepsToTolerance: number | null; target: number; lastStep: number; lastGap: number;
} | null {
  if (!res.generatorCurve || !res.chosen) return null;
  const prior = res.chosen.prior;
  const rows = res.generatorCurve.filter((c) => c.prior === prior).sort((a, b) => a.step - b.step);
  const last = rows[rows.length - 1];
  const target = tolerance * last.realFrechet;
  const fitRows = rows.slice(-points).filter((c) => c.gap > 0);
  if (fitRows.length < 2) return { prior, exponent: null, stepsToTolerance: null, target, lastStep: last.step, lastGap: last.gap };
  const fit = powerLawFit(fitRows.map((c) => c.step), fitRows.map((c) => c.gap));
  const at = fit.exponent < 0 ? powerLawXAt(fit, target) : null;
  return { prior, exponent: fit.exponent, stepsToTolerance: at, target, lastStep: last.step, lastGap: last.gap };
}

/** What the bands of a Fig. 3 plot are, for its subtitle. */
export function hybridBandNote(res: HybridExperimentResult, what: 'quality' | 'accuracy' | 'frechet'): string {
  if (what === 'accuracy') return `band: 95 % exact binomial (Clopper–Pearson) interval over n = ${res.nTest} test digits`;
  if (what === 'frechet') return `band: 95 % normal bootstrap interval over the n = ${res.nTest} test digits (reference set of ${res.nRef} fixed)`;
  return `band: 95 % percentile bootstrap of the mean over n = ${res.nTest} test images (PSNR from the MSE interval)`;
}
