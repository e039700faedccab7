/**
 * The perceptual-measure check of issue 16 for the codebook notebook: lib/metrics/sanity.ts's degradation ladder
 * (flat mean colour; Gaussian blur σ = 1, 2, 4; noise σ = 0.05, 0.1, 0.2; JPEG q = 50, 20, 5 — 9 order constraints,
 * each decided by a paired percentile-bootstrap 95 % interval) run on textured VALIDATION patches (which measure to
 * use is a choice made from results) for PSNR, SSIM, MS-SSIM and the MobileNetV2 feature distance. A perceptual
 * candidate (MobileNetV2 first: LPIPS's recipe; then MS-SSIM) is used by the claims only if it passes
 * (docs/papers/codebook.md#perceptual-measure-sanity-ladder).
 */
import { Rng, assertInteger } from '../../core/index.js';
import type { DatasetName } from '../../data/index.js';
import {
  buildDegradationLadder, checkMeasureOnLadder, MS_SSIM_MEASURE, PERCEPTUAL_MEASURE, PSNR_MEASURE, SSIM_MEASURE,
  type QualityMeasure, type SanityResult,
} from '../../metrics/index.js';
import { heldOutImagesFor } from './evaluate.js';
import type { LadderVerdict } from './claims.js';

/** Patches with a pixel standard deviation below this are skipped (blur and flat colour barely change them). */
export const LADDER_MIN_STD = 0.08;

export interface LadderOptions {
  readonly patchSize: 32 | 64;
  /** Textured validation patches to use (≥ 2). */
  readonly count: number;
  readonly seed: number;
  readonly dataset?: DatasetName;
}

export interface LadderReport {
  readonly n: number;
  readonly results: readonly SanityResult[];
  /** The perceptual candidates' verdicts in order of preference (input of the claims). */
  readonly verdicts: readonly LadderVerdict[];
}

/** The first `count` validation patches with pixel std ≥ LADDER_MIN_STD (throws if there are fewer). */
export async function ladderPatches(o: LadderOptions): Promise<Float32Array> {
  assertInteger('count', o.count, 2, 4096);
  const x = await heldOutImagesFor(o.patchSize, 'validation', 'all', o.dataset);
  const size = o.patchSize * o.patchSize * 3;
  const out = new Float32Array(o.count * size);
  let k = 0;
  for (let i = 0; i < x.length / size && k < o.count; i++) {
    const p = x.subarray(i * size, (i + 1) * size);
    let m = 0;
    for (const v of p) m += v / size;
    let s = 0;
    for (const v of p) s += (v - m) ** 2 / size;
    if (Math.sqrt(s) >= LADDER_MIN_STD) out.set(p, size * k++);
  }
  if (k < o.count) throw new RangeError(`count = ${o.count} textured validation patches asked, only ${k} have std ≥ ${LADDER_MIN_STD}`);
  return out;
}

/** Runs the ladder for PSNR, SSIM, MS-SSIM and the MobileNetV2 distance. */
export async function perceptualLadder(o: LadderOptions): Promise<LadderReport> {
  const x = await ladderPatches(o);
  const ladder = await buildDegradationLadder(x, { n: o.count, width: o.patchSize, height: o.patchSize, rng: new Rng(o.seed) });
  const measures: QualityMeasure[] = [PSNR_MEASURE, SSIM_MEASURE, MS_SSIM_MEASURE, PERCEPTUAL_MEASURE];
  const results: SanityResult[] = [];
  for (const [i, m] of measures.entries()) results.push(await checkMeasureOnLadder(ladder, m, { rng: new Rng(o.seed + 1 + i) }));
  const passes = (name: string) => (results.find((r) => r.measure === name) as SanityResult).passes;
  return {
    n: o.count, results,
    verdicts: [{ measure: 'MobileNetV2', passes: passes(PERCEPTUAL_MEASURE.name) }, { measure: 'MS-SSIM', passes: passes(MS_SSIM_MEASURE.name) }],
  };
}

/** Table rows: per measure, its verdict, the mean score of each degradation and the weakest constraint margin. */
export function ladderRows(rep: LadderReport): Record<string, string | number>[] {
  return rep.results.map((r) => {
    const weakest = r.constraints.reduce((a, b) => (b.margin.ci95[0] < a.margin.ci95[0] ? b : a));
    const row: Record<string, string | number> = { measure: r.measure, verdict: r.passes ? 'passes' : 'fails', n: r.n };
    for (const d of r.degradations) row[d.id] = Number(d.mean.value.toPrecision(3));
    row['weakest constraint [95 %]'] = `${weakest.better} > ${weakest.worse}: ${weakest.margin.value.toPrecision(3)} [${weakest.margin.ci95[0].toPrecision(3)}, ${weakest.margin.ci95[1].toPrecision(3)}]`;
    row.failed = r.failed.join('; ') || '—';
    return row;
  });
}

/** Figure rows: every measure's mean score per degradation with its 95 % interval, each in its own unit. */
export function ladderFigureRows(rep: LadderReport): { measure: string; degradation: string; score: number; lo: number; hi: number }[] {
  return rep.results.flatMap((r) => r.degradations.map((d) => ({
    measure: `${r.measure} (${r.passes ? 'passes' : 'FAILS'})`, degradation: d.id, score: d.mean.value, lo: d.mean.ci95[0], hi: d.mean.ci95[1],
  })));
}
