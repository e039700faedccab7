/** Shaping a Fig. 3 run for the notebook's plots. */
import type { HybridExperimentResult, HybridRow } from './experiment.js';

/** Rows for the Fig. 3 plots: quality and perception against d, with the real test images as a reference line. */
export function hybridFigureRows(res: HybridExperimentResult) {
  const real = res.rows.find((r) => r.mode === 'original');
  const curves = res.rows.filter((r): r is HybridRow & { d: number } => r.mode !== 'original' && r.d !== null);
  const ds = [...new Set(curves.map((r) => r.d))];
  const label = (m: string) => `${m} A`;
  const quality = curves
    .filter((r) => Number.isFinite(r.psnr))
    .flatMap((r) => [
      { metric: 'PSNR (dB)', series: label(r.mode), d: r.d, value: r.psnr },
      { metric: 'SSIM', series: label(r.mode), d: r.d, value: r.ssim },
    ]);
  const perception = (key: 'accuracy' | 'featureFrechet' | 'pixelDistance') => [
    ...curves.filter((r) => r[key] !== null).map((r) => ({
      series: label(r.mode), d: r.d, value: r[key] as number,
      lo: key === 'accuracy' ? r.accuracyLo : null, hi: key === 'accuracy' ? r.accuracyHi : null,
    })),
    ...(real && real[key] !== null ? ds.map((d) => ({ series: 'real test images', d, value: real[key] as number, lo: null, hi: null })) : []),
  ];
  return { quality, accuracy: perception('accuracy'), frechet: perception('featureFrechet'), pixel: perception('pixelDistance') };
}

/** The scale of a Fig. 3 run, for the figure subtitles. */
export function hybridScaleNote(res: HybridExperimentResult): string {
  const cls = res.classifier ? `, classifier ${res.classifier.steps} steps` : '';
  return `cVAE ${res.cvae.steps} steps${cls}; A fitted on ${res.nFit} train images, ${res.nTest} test images; ${res.backend.split(' (')[0]}`;
}
