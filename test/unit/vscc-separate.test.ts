import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { jpegCapacityReference, type Images } from '../../lib/papers/vscc/index.js';

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
