/** The best-CMC selection and the claim verdicts of the VSCC notebook, on synthetic curves with a known answer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestCmc, checkClaims, windowMean, type CurveRow, type Method, type TestMethod } from '../../lib/papers/vscc/index.js';

const TRAIN = [-5, 5, 15];
const TEST = [-10, -5, 0, 5, 10, 15, 20, 25];
const CMCS = [1, 2, 5, 10];

/** One curve: PSNR = base + 0.1·test SNR (SSIM = PSNR / 40), so window means are closed forms. */
function curve(method: Method, t: number, cmc: number | null, test: TestMethod, base: number): CurveRow[] {
  return TEST.map((s) => {
    const p = base + 0.1 * s;
    return { method, train_snr_db: t, cmc, test, test_snr_db: s, psnr_mean: p, psnr_min: p - 1, psnr_max: p + 1, ssim_mean: p / 40, ssim_min: p / 40, ssim_max: p / 40 };
  });
}

/** VSCC best at `favourite[t]` (1 dB above the other CMCs), VAE 0.5 dB below VSCC's worst, AE on top. */
function rows(favourite: Record<number, number>): CurveRow[] {
  return TRAIN.flatMap((t) => [
    ...CMCS.flatMap((d) => curve('vscc', t, d, 'fixed', 20 + (d === favourite[t] ? 1 : 0))),
    ...curve('vscc', t, favourite[t], 'transmitted', 20.7),
    ...curve('vae', t, null, 'fixed', 19.5),
    ...curve('ae', t, null, 'ae', 22),
  ]);
}

test('window mean: the training SNR … +10 dB window (three test SNRs) of a linear curve', () => {
  const r = curve('ae', 5, null, 'ae', 20);
  const w = windowMean(r, () => true, 5);
  assert.equal(w.points, 3);
  assert.ok(Math.abs(w.psnr - (20 + 0.1 * 10)) < 1e-12, `${w.psnr}`);
});

test('best CMC picks the favoured d; the decreasing-CMC claim is true, partly or false as the optimum moves', () => {
  const verdict = (fav: Record<number, number>) => {
    const r = rows(fav);
    const best = bestCmc(r, TRAIN, CMCS);
    assert.deepEqual(best.map((b) => b.best_cmc_ssim), TRAIN.map((t) => fav[t]));
    assert.deepEqual(best.map((b) => b.best_cmc_psnr), TRAIN.map((t) => fav[t]));
    return checkClaims(r, best, CMCS);
  };
  const claim = (cs: ReturnType<typeof checkClaims>, id: string) => cs.find((c) => c.id === id)?.holds;
  assert.equal(claim(verdict({ [-5]: 10, 5: 5, 15: 2 }), 'cmc-decreasing'), true);
  assert.equal(claim(verdict({ [-5]: 10, 5: 10, 15: 2 }), 'cmc-decreasing'), 'partly');
  assert.equal(claim(verdict({ [-5]: 1, 5: 1, 15: 1 }), 'cmc-decreasing'), false);
  assert.equal(claim(verdict({ [-5]: 1, 5: 5, 15: 10 }), 'cmc-decreasing'), false);
  const cs = verdict({ [-5]: 10, 5: 5, 15: 2 });
  assert.equal(claim(cs, 'ae-best-psnr'), true);
  assert.equal(claim(cs, 'vscc-above-vae'), true);
  // transmitted is 0.3 dB below fixed at every SNR: close (< 1 dB) and lower at the highest training SNR
  assert.equal(claim(cs, 'tests-close'), true);
  assert.equal(claim(cs, 'transmitted-lower-high-snr'), true);
});
