/**
 * Separate source–channel coding reference at the JSCC's bandwidth: an ideal channel code (AWGN capacity,
 * ½·log2(1 + SNR) bits per real channel use, no errors) carrying a JPEG whose payload fits that budget, at the
 * highest fitting quality (lib/codecs' atBudget; fixed headers are assumed known to the receiver). An image for
 * which even quality 1 does not fit is shown as the training set's mean colour. Both idealisations favour the
 * separate scheme: a real code at these block lengths (tens to a thousand bits) works well below capacity and fails
 * all at once.
 */
import { assertInteger } from '../../core/index.js';
import { atBudget, capacityBitBudget } from '../../codecs/index.js';
import { psnr, ssim } from '../../metrics/index.js';
import { assertSnrDb } from './config.js';
import type { Images } from './evaluate.js';

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
