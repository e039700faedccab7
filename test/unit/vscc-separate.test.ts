import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  crossings, crossoverSentence, jpegCapacityReference, separateCrossovers, type Images, type PatchScores, type SeparatePoint, type VsccResults,
} from '../../lib/papers/vscc/index.js';

const hasCjpeg = (() => {
  try {
    execFileSync('cjpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Two 16×16 images: flat 0.6 grey and a smooth ramp. */
function images(): Images {
  const size = 16;
  const x = new Float32Array(2 * size * size * 3);
  for (let i = 0; i < size * size * 3; i++) x[i] = 0.6;
  for (let p = 0; p < size * size; p++) for (let c = 0; c < 3; c++) x[size * size * 3 + p * 3 + c] = 0.2 + 0.5 * ((p % size) / size);
  return { x, n: 2, size };
}

test('separate reference: budget = uses·½log2(1+SNR); nothing fits → fallback colour; a large budget fits every image', { skip: hasCjpeg ? false : 'cjpeg not installed' }, async () => {
  const [tiny] = await jpegCapacityReference(images(), 1, [-30], [0.5, 0.5, 0.5]);
  assert.ok(Math.abs(tiny.budget_bits - 0.5 * Math.log2(1 + 10 ** -3)) < 1e-12);
  assert.equal(tiny.fit_fraction, 0);
  // Flat 0.6 shown as 0.5: MSE 0.01 → 20 dB; the ramp's MSE against 0.5 computed here.
  let ramp = 0;
  for (let p = 0; p < 256; p++) ramp += (0.2 + 0.5 * ((p % 16) / 16) - 0.5) ** 2;
  const rampPsnr = 10 * Math.log10(1 / (ramp / 256));
  assert.ok(Math.abs(tiny.psnr_mean - (20 + rampPsnr) / 2) < 1e-4, `${tiny.psnr_mean}`);
  const [big] = await jpegCapacityReference(images(), 256, [40], [0.5, 0.5, 0.5]);
  assert.ok(Math.abs(big.budget_bits - 128 * Math.log2(1 + 1e4)) < 1e-9);
  assert.equal(big.fit_fraction, 1);
  assert.ok(big.mean_quality > 50 && big.psnr_mean > 35, JSON.stringify(big));
  await assert.rejects(() => jpegCapacityReference(images(), 0, [0], [0.5, 0.5, 0.5]), /channelUses/);
  await assert.rejects(() => jpegCapacityReference(images(), 4, [Number.NaN], [0.5, 0.5, 0.5]), /testSnrsDb\[0\]/);
});

test('crossings: the linearly interpolated test SNR where separate − JSCC changes sign, by hand', () => {
  // δ = −5, +2, +10 at 0, 10, 20 dB: separate overtakes between 0 and 10 dB, at 0 + 10·5/7 = 50/7 dB
  const up = crossings([{ testSnrDb: 0, separate: 10, jscc: 15 }, { testSnrDb: 10, separate: 20, jscc: 18 }, { testSnrDb: 20, separate: 30, jscc: 20 }]);
  assert.equal(up.length, 1);
  assert.equal(up[0].direction, 'separate-overtakes');
  assert.ok(Math.abs(up[0].testSnrDb - 50 / 7) < 1e-12);
  // δ = +1, −3: JSCC overtakes at 5 + 10·1/4 = 7.5 dB; δ = 0 at a grid point counts as "at or above"
  assert.deepEqual(crossings([{ testSnrDb: 5, separate: 2, jscc: 1 }, { testSnrDb: 15, separate: 1, jscc: 4 }]), [{ testSnrDb: 7.5, direction: 'jscc-overtakes' }]);
  assert.deepEqual(crossings([{ testSnrDb: -5, separate: 1, jscc: 2 }, { testSnrDb: 5, separate: 2, jscc: 2 }]), [{ testSnrDb: 5, direction: 'separate-overtakes' }]);
  assert.deepEqual(crossings([{ testSnrDb: 0, separate: 1, jscc: 2 }, { testSnrDb: 5, separate: 1, jscc: 3 }]), []);
  assert.throws(() => crossings([{ testSnrDb: 5, separate: 1, jscc: 2 }, { testSnrDb: 0, separate: 1, jscc: 2 }]), /ascending/);
  assert.throws(() => crossings([{ testSnrDb: 0, separate: Number.NaN, jscc: 2 }]), /separate/);
});

test('separateCrossovers: JSCC means over the reference\'s patches and the model\'s seeds, crossing by hand; the sentence is built from them', () => {
  // 4 test patches; the reference used patches 1 and 3. VSCC (d = 5) has seeds 1 and 2, VAE and AE seed 1.
  const snrs = [0, 10, 20];
  const scores: PatchScores[] = [];
  const add = (method: 'vscc' | 'vae' | 'ae', seed: number, at: (s: number) => number[]) => {
    for (const s of snrs) scores.push({ method, trainSnrDb: 0, cmc: method === 'vscc' ? 5 : null, seed, test: method === 'ae' ? 'ae' : 'fixed', split: 'test', testSnrDb: s, psnr: at(s), ssim: at(s).map((v) => v / 100) });
  };
  // patches 1 and 3 average to 14 + 0.2·s (seed 1) and 16 + 0.2·s (seed 2): the VSCC curve is 15 + 0.2·s
  add('vscc', 1, (s) => [99, 13 + 0.2 * s, 99, 15 + 0.2 * s]);
  add('vscc', 2, (s) => [99, 15 + 0.2 * s, 99, 17 + 0.2 * s]);
  add('vae', 1, () => [0, 40, 0, 40]); // far above separate: never crossed
  add('ae', 1, () => [0, 1, 0, 1]); // below separate everywhere
  const r: VsccResults = { trainSnrsDb: [0], cmcs: [5], trainSeeds: [1, 2], resamplings: 1, testPhotos: 1, validationPhotos: 1, scores };
  const sep: SeparatePoint[] = snrs.map((s) => ({ test_snr_db: s, budget_bits: 0, fit_fraction: 1, mean_quality: 1, psnr_mean: 10 + 0.8 * s, ssim_mean: (10 + 0.8 * s) / 100 }));
  const rows = separateCrossovers(r, [{ train_snr_db: 0, best_cmc_psnr: 5, best_cmc_ssim: 5 }], sep, [1, 3]);
  assert.equal(rows.length, 6);
  const v = rows.find((x) => x.method === 'vscc' && x.metric === 'psnr');
  // separate − VSCC = −5 + 0.6·s: zero at s = 25/3 dB, between the grid points 0 and 10
  assert.equal(v?.seeds, 2);
  assert.equal(v?.crossover_db, Number((25 / 3).toFixed(2)));
  assert.equal(v?.separate_at_or_above_db, '10, 20');
  assert.equal(rows.find((x) => x.method === 'vscc' && x.metric === 'ssim')?.crossover_db, Number((25 / 3).toFixed(2)));
  const vae = rows.find((x) => x.method === 'vae' && x.metric === 'psnr');
  assert.deepEqual([vae?.crossover_db, vae?.separate_at_or_above_db, vae?.crossings], [null, 'none', 'none']);
  const ae = rows.find((x) => x.method === 'ae' && x.metric === 'psnr');
  assert.deepEqual([ae?.crossover_db, ae?.separate_at_or_above_db], [null, '0, 10, 20']);
  const text = crossoverSentence(rows, 0.0208, 2, snrs);
  assert.match(text, /^At k\/n = 0\.0208, JPEG over an ideal capacity-achieving code, on the same 2 test patches: In PSNR, it overtakes VSCC \(d = 5\) trained at 0 dB at 8\.3 dB/);
  assert.match(text, /it stays below VAE trained at 0 dB at every test SNR from 0 to 20 dB/);
  assert.match(text, /it is at or above AE trained at 0 dB \(at 0, 10, 20 dB\)/);
  assert.throws(() => separateCrossovers(r, [{ train_snr_db: 0, best_cmc_psnr: 5, best_cmc_ssim: 5 }], sep, []), /patches/);
});
