/**
 * The codebook notebook's use of the degradation ladder (lib/papers/codebook/ladder.ts): the patch picker keeps only
 * textured validation patches (pixel std checked here independently), and the table rows report each measure's
 * verdict and per-degradation means as checkMeasureOnLadder computed them (PSNR passes; a brightness-only measure,
 * broken on purpose, fails).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { buildDegradationLadder, checkMeasureOnLadder, PSNR_MEASURE, type QualityMeasure } from '../../lib/metrics/index.js';
import { LADDER_MIN_STD, heldOutImagesFor, ladderFigureRows, ladderPatches, ladderRows, type LadderReport } from '../../lib/papers/codebook/index.js';

const W = 32;
const SIZE = W * W * 3;

const std = (p: Float32Array): number => {
  let m = 0;
  for (const v of p) m += v / p.length;
  let s = 0;
  for (const v of p) s += (v - m) ** 2 / p.length;
  return Math.sqrt(s);
};

test('ladderPatches: the first textured validation patches, in order', async (t) => {
  let val: Float32Array;
  try { val = await heldOutImagesFor(W, 'validation', 'all'); } catch { t.skip('no photo cache'); return; }
  const x = await ladderPatches({ patchSize: W, count: 4, seed: 1 });
  assert.equal(x.length, 4 * SIZE);
  const textured: number[] = [];
  for (let i = 0; i < val.length / SIZE && textured.length < 4; i++) if (std(val.subarray(i * SIZE, (i + 1) * SIZE)) >= LADDER_MIN_STD) textured.push(i);
  textured.forEach((src, j) => assert.deepEqual(x.subarray(j * SIZE, (j + 1) * SIZE), val.subarray(src * SIZE, (src + 1) * SIZE)));
  await assert.rejects(ladderPatches({ patchSize: W, count: 1, seed: 1 }), /count/);
});

test('ladderRows / ladderFigureRows report the verdicts and means of checkMeasureOnLadder', async () => {
  const rng = new Rng(3);
  const n = 6;
  // smooth random textures: sums of a few plane waves, std ≈ 0.15
  const x = new Float32Array(n * SIZE);
  for (let j = 0; j < n; j++) {
    const waves = Array.from({ length: 6 }, () => [0.03 + 0.2 * rng.uniform(), Math.PI * rng.uniform(), 2 * Math.PI * rng.uniform()]);
    for (let y = 0; y < W; y++) for (let i = 0; i < W; i++) for (let c = 0; c < 3; c++) {
      let v = 0;
      for (const [f, th, ph] of waves) v += Math.sin(2 * Math.PI * f * (i * Math.cos(th) + y * Math.sin(th)) + ph + c);
      x[j * SIZE + (y * W + i) * 3 + c] = Math.min(1, Math.max(0, 0.5 + 0.07 * v));
    }
  }
  const ladder = await buildDegradationLadder(x, { n, width: W, height: W, rng: new Rng(4) });
  const broken: QualityMeasure = {
    name: 'brightness', direction: 'lower-is-better',
    score: (a, b, s) => Float64Array.from({ length: s.n }, (_, i) => {
      let d = 0;
      for (let k = i * SIZE; k < (i + 1) * SIZE; k++) d += a[k] - b[k];
      return Math.abs(d / SIZE);
    }),
  };
  const results = [await checkMeasureOnLadder(ladder, PSNR_MEASURE, { rng: new Rng(5), resamples: 400 }), await checkMeasureOnLadder(ladder, broken, { rng: new Rng(6), resamples: 400 })];
  const rep: LadderReport = { n, results, verdicts: [{ measure: 'MobileNetV2', passes: false }, { measure: 'MS-SSIM', passes: true }] };
  const rows = ladderRows(rep);
  assert.deepEqual(rows.map((r) => r.verdict), ['passes', 'fails']);
  assert.equal(rows[1].failed === '—', false);
  // the flat image's PSNR, computed here directly, is the row's mean
  const flat = ladder.degraded.get('flat') as Float32Array;
  let mean = 0;
  for (let j = 0; j < n; j++) {
    let se = 0;
    for (let k = j * SIZE; k < (j + 1) * SIZE; k++) se += (x[k] - flat[k]) ** 2;
    mean += 10 * Math.log10(1 / (se / SIZE)) / n;
  }
  assert.ok(Math.abs(Number(rows[0].flat) - mean) < 0.01 * Math.abs(mean), `${rows[0].flat} vs ${mean}`);
  const fig = ladderFigureRows(rep);
  assert.equal(fig.length, 2 * results[0].degradations.length);
  assert.ok(fig.every((r) => r.lo <= r.score && r.score <= r.hi));
  assert.match(fig[fig.length - 1].measure, /FAILS/);
});
