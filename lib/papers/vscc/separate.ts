/**
 * Separate source–channel coding reference at the JSCC's bandwidth: an ideal channel code (AWGN capacity,
 * ½·log2(1 + SNR) bits per real channel use, no errors) carrying a JPEG whose payload fits that budget, at the
 * highest fitting quality (lib/codecs' atBudget; fixed headers are assumed known to the receiver). An image for
 * which even quality 1 does not fit is shown as the training set's mean colour. Both idealisations favour the
 * separate scheme: a real code at these block lengths (tens to a thousand bits) works well below capacity and fails
 * all at once. separateCrossovers / crossoverSentence: where that reference crosses the JSCC curves.
 */
import { assertInteger } from '../../core/index.js';
import { atBudget, capacityBitBudget } from '../../codecs/index.js';
import { psnr, ssim } from '../../metrics/index.js';
import { assertSnrDb, type Method } from './config.js';
import type { Images } from './evaluate.js';
import { chosenCmc, entriesOf, scoresAtBySeed, type BestCmcRow, type Metric, type Selection, type VsccResults } from './results.js';

export interface SeparatePoint {
  test_snr_db: number;
  /** Source bits per image the channel carries at capacity. */
  budget_bits: number;
  /** Fraction of test images whose JPEG fits (the rest get the fallback colour). */
  fit_fraction: number;
  /** Mean JPEG quality over the images that fit (0 when none does). */
  mean_quality: number;
  psnr_mean: number;
  ssim_mean: number;
}

export async function jpegCapacityReference(test: Images, channelUses: number, testSnrsDb: readonly number[],
  fallbackColour: readonly [number, number, number]): Promise<SeparatePoint[]> {
  assertInteger('channelUses', channelUses, 1);
  testSnrsDb.forEach((s, i) => assertSnrDb(`testSnrsDb[${i}]`, s));
  const d = test.size * test.size * 3;
  const shape = { width: test.size, height: test.size, channels: 3, maxValue: 1 };
  const out: SeparatePoint[] = [];
  for (const snr of testSnrsDb) {
    const budget = capacityBitBudget(channelUses, snr, 'real');
    let fit = 0, quality = 0, ps = 0, ss = 0;
    for (let i = 0; i < test.n; i++) {
      const data = test.x.slice(i * d, (i + 1) * d);
      const r = await atBudget('jpeg', { data, width: test.size, height: test.size }, budget, { fallbackColour });
      if (r.fits) {
        fit++;
        quality += r.setting;
      }
      ps += psnr(data, r.decoded.data, { maxValue: 1 });
      ss += ssim(data, r.decoded.data, shape);
    }
    out.push({ test_snr_db: snr, budget_bits: budget, fit_fraction: fit / test.n, mean_quality: fit ? quality / fit : 0, psnr_mean: ps / test.n, ssim_mean: ss / test.n });
  }
  return out;
}

/** A sign change of separate − JSCC between two test SNRs, at the linearly interpolated root. */
export interface Crossing {
  readonly testSnrDb: number;
  /** 'separate-overtakes': separate coding is below JSCC before and at or above it after (as the SNR rises). */
  readonly direction: 'separate-overtakes' | 'jscc-overtakes';
}

/**
 * Where the separate-coding curve crosses a JSCC curve: the test SNRs (ascending, distinct) where
 * δ(s) = separate(s) − jscc(s) changes sign between consecutive points, at the root of the straight line between
 * them, s_k + (s_{k+1} − s_k)·δ_k / (δ_k − δ_{k+1}). δ = 0 counts as "separate at or above".
 */
export function crossings(points: readonly { readonly testSnrDb: number; readonly separate: number; readonly jscc: number }[]): Crossing[] {
  if (!Array.isArray(points)) throw new TypeError('points must be an array of { testSnrDb, separate, jscc }');
  points.forEach((p, i) => {
    assertSnrDb(`points[${i}].testSnrDb`, p.testSnrDb);
    for (const k of ['separate', 'jscc'] as const) if (!Number.isFinite(p[k])) throw new RangeError(`points[${i}].${k} must be a finite number, got ${String(p[k])}`);
    if (i > 0 && !(p.testSnrDb > points[i - 1].testSnrDb)) throw new RangeError('points must be in ascending, distinct test SNR order');
  });
  const out: Crossing[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    const [da, db] = [a.separate - a.jscc, b.separate - b.jscc];
    if ((da >= 0) === (db >= 0)) continue;
    out.push({ testSnrDb: a.testSnrDb + ((b.testSnrDb - a.testSnrDb) * da) / (da - db), direction: db >= 0 ? 'separate-overtakes' : 'jscc-overtakes' });
  }
  return out;
}

/** A table row, so a `type` alias (assignable to the plot library's Row). */
export type CrossoverRow = {
  method: Method;
  train_snr_db: number;
  /** The VSCC model's CMC (the validation choice); null for VAE and AE. */
  cmc: number | null;
  metric: Metric;
  /** Training seeds averaged into the JSCC curve. */
  seeds: number;
  /** First test SNR where separate coding overtakes the JSCC curve (interpolated); null when it never does on the grid. */
  crossover_db: number | null;
  /** Every sign change, "overtakes at x dB" / "falls below at x dB". */
  crossings: string;
  /** Test SNRs of the grid at which separate coding is at or above the JSCC curve. */
  separate_at_or_above_db: string;
};

/**
 * Separate coding (jpegCapacityReference's points) against the JSCC models of Fig. 9 — VSCC at the chosen CMC, VAE,
 * AE, each trained at every training SNR — with every JSCC mean taken over the same test patches the reference was
 * computed on (`patches`: their indices in the evaluated test set) and over the model's training seeds.
 */
export function separateCrossovers(r: VsccResults, best: readonly BestCmcRow[], sep: readonly SeparatePoint[], patches: readonly number[]): CrossoverRow[] {
  if (patches.length === 0) throw new RangeError('patches must list at least one test patch');
  const rows: CrossoverRow[] = [];
  const snrs = [...sep].map((p) => p.test_snr_db).sort((a, b) => a - b);
  for (const b of best) {
    const t = b.train_snr_db;
    const models: Selection[] = [{ method: 'vscc', trainSnrDb: t, cmc: chosenCmc(best, t) }, { method: 'vae', trainSnrDb: t }, { method: 'ae', trainSnrDb: t }];
    for (const sel of models) {
      if (entriesOf(r.scores, sel).length === 0) continue;
      for (const metric of ['psnr', 'ssim'] as const) {
        const have = snrs.filter((s) => entriesOf(r.scores, sel).some((e) => e.testSnrDb === s));
        let seeds = 0;
        const points = have.map((s) => {
          const bySeed = scoresAtBySeed(r.scores, sel, s, metric);
          seeds = bySeed.length;
          const jscc = bySeed.reduce((acc, x) => acc + patches.reduce((q, i) => q + x.values[i], 0) / patches.length, 0) / bySeed.length;
          const sp = sep.find((p) => p.test_snr_db === s) as SeparatePoint;
          return { testSnrDb: s, separate: metric === 'psnr' ? sp.psnr_mean : sp.ssim_mean, jscc };
        });
        const cs = crossings(points);
        const up = cs.find((c) => c.direction === 'separate-overtakes');
        rows.push({
          method: sel.method, train_snr_db: t, cmc: sel.cmc ?? null, metric, seeds, crossover_db: up ? Number(up.testSnrDb.toFixed(2)) : null,
          crossings: cs.map((c) => `${c.direction === 'separate-overtakes' ? 'overtakes' : 'falls below'} at ${c.testSnrDb.toFixed(1)} dB`).join('; ') || 'none',
          separate_at_or_above_db: points.filter((p) => p.separate >= p.jscc).map((p) => p.testSnrDb).join(', ') || 'none',
        });
      }
    }
  }
  return rows;
}

/** One paragraph, built from the rows: where separate coding overtakes each JSCC curve, or that it never does. */
export function crossoverSentence(rows: readonly CrossoverRow[], kn: number, patchCount: number, testSnrsDb: readonly number[]): string {
  const name = (x: CrossoverRow) => `${x.method.toUpperCase()}${x.cmc === null ? '' : ` (d = ${x.cmc})`} trained at ${x.train_snr_db} dB`;
  const lo = Math.min(...testSnrsDb);
  const hi = Math.max(...testSnrsDb);
  const part = (metric: Metric): string => {
    const rs = rows.filter((x) => x.metric === metric);
    const over = rs.filter((x) => x.crossover_db !== null).map((x) => `${name(x)} at ${(x.crossover_db as number).toFixed(1)} dB`);
    const above = rs.filter((x) => x.crossover_db === null && x.separate_at_or_above_db !== 'none').map((x) => `${name(x)} (at ${x.separate_at_or_above_db} dB)`);
    const below = rs.filter((x) => x.crossover_db === null && x.separate_at_or_above_db === 'none').map(name);
    const bits = [
      over.length ? `it overtakes ${over.join(', ')} (test SNR, interpolated)` : `it overtakes no JSCC model between ${lo} and ${hi} dB`,
      ...(below.length ? [`it stays below ${below.join(', ')} at every test SNR from ${lo} to ${hi} dB`] : []),
      ...(above.length ? [`it is at or above ${above.join(', ')} with no crossing from below on the grid`] : []),
    ];
    return `In ${metric === 'psnr' ? 'PSNR' : 'SSIM'}, ${bits.join('; ')}.`;
  };
  return `At k/n = ${kn.toFixed(4)}, JPEG over an ideal capacity-achieving code, on the same ${patchCount} test patches: ${part('psnr')} ${part('ssim')}`;
}
