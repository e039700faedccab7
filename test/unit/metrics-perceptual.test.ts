import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { loadPhotoPatches } from '../../lib/data/index.js';
import {
  perceptualDistance, perceptualDistanceBatch, perceptualModelInfo, mse, PERCEPTUAL_LAYERS, PERCEPTUAL_INPUT_SIZE,
} from '../../lib/metrics/index.js';
import { tf } from '../../lib/nn/index.js';

const W = 32;
const SIZE = W * W * 3;
const shape = { width: W, height: W, channels: 3 } as const;
const clip = (v: number) => Math.min(1, Math.max(0, v));

/** Separable [1 4 6 4 1]/16 blur with edge clamping (a plain low-pass, written independently of the metric). */
function blur(x: Float32Array): Float32Array {
  const k = [1, 4, 6, 4, 1].map((v) => v / 16);
  const pass = (src: Float32Array, horizontal: boolean) => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < W; y++) {
      for (let x0 = 0; x0 < W; x0++) {
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let d = -2; d <= 2; d++) {
            const q = Math.min(W - 1, Math.max(0, (horizontal ? x0 : y) + d));
            s += k[d + 2] * src[((horizontal ? y : q) * W + (horizontal ? q : x0)) * 3 + c];
          }
          out[(y * W + x0) * 3 + c] = s;
        }
      }
    }
    return out;
  };
  return pass(pass(x, true), false);
}

/** A textured real photo patch (most high-frequency energy among the test split's first 400), or a synthetic one. */
function photoPatch(): { x: Float32Array; source: string } {
  try {
    const set = loadPhotoPatches({ split: 'test', patchSize: W });
    let best = 0, bestErr = -1;
    for (let i = 0; i < Math.min(400, set.n); i++) {
      const p = set.x.slice(i * SIZE, (i + 1) * SIZE);
      const e = mse(p, blur(p));
      if (e > bestErr) { bestErr = e; best = i; }
    }
    return { x: set.x.slice(best * SIZE, (best + 1) * SIZE), source: set.photoIds[best] };
  } catch {
    // No photo cache: oriented colour gratings on a ramp, kept inside [0.1, 0.9].
    const x = new Float32Array(SIZE);
    for (let y = 0; y < W; y++) for (let i = 0; i < W; i++) for (let c = 0; c < 3; c++) {
      x[(y * W + i) * 3 + c] = 0.5 + 0.2 * Math.sin((i * (c + 1) + y * (3 - c)) * 0.7) + 0.2 * ((i + y) / (2 * W) - 0.5);
    }
    return { x, source: 'synthetic' };
  }
}

const patch = photoPatch();

test('perceptual: model taps five layers of decreasing resolution from the bundled MobileNetV2', async () => {
  const info = await perceptualModelInfo();
  assert.equal(info.inputSize, 224);
  assert.equal(info.metric.includes('not LPIPS'), true);
  // Keras MobileNetV2 α=1 at 224²: block_1 expand 112²×96 (6·16), block_3 56²×144 (6·24), block_6 28²×192 (6·32),
  // block_13 14²×576 (6·96), block_16 projection 7²×320 (Sandler et al. 2018, Table 2).
  assert.deepEqual(info.layers.map((l) => l.shape), [[112, 112, 96], [56, 56, 144], [28, 28, 192], [14, 14, 576], [7, 7, 320]]);
});

test('perceptual: d(a, a) = 0, symmetric, and within [0, 4]', async () => {
  const rng = new Rng(3);
  const noisy = patch.x.map((v) => clip(v + 0.05 * rng.normal()));
  assert.equal(await perceptualDistance(patch.x, patch.x, shape), 0);
  const ab = await perceptualDistance(patch.x, noisy, shape);
  const ba = await perceptualDistance(noisy, patch.x, shape);
  assert.ok(ab > 0 && ab <= 4, `d = ${ab}`);
  assert.ok(Math.abs(ab - ba) <= 1e-7 * ab, `d(a,b) = ${ab}, d(b,a) = ${ba}`);
  // The batch form gives the same numbers, pair by pair, and 0 for an identical pair inside a batch.
  const A = new Float32Array(2 * SIZE), B = new Float32Array(2 * SIZE);
  A.set(patch.x, 0); B.set(noisy, 0);
  A.set(noisy, SIZE); B.set(noisy, SIZE);
  const d = await perceptualDistanceBatch(A, B, { n: 2, ...shape });
  assert.ok(Math.abs(d[0] - ab) <= 1e-6 * ab);
  assert.equal(d[1], 0);
});

test(`perceptual: grows monotonically with Gaussian noise (σ 0.01…0.2) on ${patch.source}`, async () => {
  const sigmas = [0.01, 0.02, 0.05, 0.1, 0.2];
  const z = new Rng(7).fillNormal(new Float32Array(SIZE)) as Float32Array; // one noise field, scaled
  const A = new Float32Array(sigmas.length * SIZE), B = new Float32Array(sigmas.length * SIZE);
  sigmas.forEach((s, i) => {
    A.set(patch.x, i * SIZE);
    B.set(patch.x.map((v, j) => clip(v + s * z[j])), i * SIZE);
  });
  const d = await perceptualDistanceBatch(A, B, { n: sigmas.length, ...shape });
  for (let i = 1; i < d.length; i++) assert.ok(d[i] > d[i - 1], `σ=${sigmas[i]}: ${d[i]} ≤ σ=${sigmas[i - 1]}: ${d[i - 1]}`);
});

test('perceptual: blur is farther than a brightness shift, even one with twice the MSE', async () => {
  const blurred = blur(patch.x);
  const tiny = patch.x.map((v) => clip(v + 0.02));
  // A uniform shift δ has MSE δ² (before clipping): δ = √(2·MSE(blur)) doubles the blur's MSE.
  const shifted = patch.x.map((v) => clip(v + Math.sqrt(2 * mse(patch.x, blurred))));
  // MSE/PSNR rank the shift as the worse distortion; human judgements (and LPIPS-style metrics) rank blur worse.
  assert.ok(mse(patch.x, shifted) > mse(patch.x, blurred), 'precondition: the shift has the larger MSE');
  const dBlur = await perceptualDistance(patch.x, blurred, shape);
  const dTiny = await perceptualDistance(patch.x, tiny, shape);
  const dShift = await perceptualDistance(patch.x, shifted, shape);
  assert.ok(dBlur > dTiny, `blur ${dBlur} ≤ +0.02 shift ${dTiny}`);
  assert.ok(dBlur > dShift, `blur ${dBlur} ≤ shift with 2× MSE ${dShift}`);
});

test('perceptual: equals a plain-JS LPIPS-baseline reduction of activations from nsfwjs\'s own model loader', async () => {
  // Second method: nsfwjs.load() decodes the same files by its own code path; the normalise / squared-difference /
  // averaging is redone here in plain JS on arrays.
  const nsfwjs = (await import('nsfwjs')) as unknown as { load: (name: string) => Promise<{ model: tf.LayersModel }> };
  const inner = (await nsfwjs.load('MobileNetV2')).model;
  const taps = tf.model({ inputs: inner.inputs, outputs: PERCEPTUAL_LAYERS.map((n) => inner.getLayer(n).output as tf.SymbolicTensor) });
  const other = blur(patch.x);
  const acts = (x: Float32Array) => tf.tidy(() => {
    const r = tf.image.resizeBilinear(tf.tensor4d(x, [1, W, W, 3]), [PERCEPTUAL_INPUT_SIZE, PERCEPTUAL_INPUT_SIZE], false, true);
    return (taps.predict(r) as tf.Tensor[]).map((t) => ({ data: t.dataSync(), c: t.shape[3] as number }));
  });
  const fa = acts(patch.x), fb = acts(other);
  let total = 0;
  fa.forEach(({ data: u, c }, l) => {
    const v = fb[l].data;
    let s = 0;
    for (let p = 0; p < u.length; p += c) {
      let nu = 0, nv = 0, d = 0;
      for (let k = 0; k < c; k++) { nu += u[p + k] ** 2; nv += v[p + k] ** 2; }
      nu = Math.sqrt(nu) + 1e-10; nv = Math.sqrt(nv) + 1e-10;
      for (let k = 0; k < c; k++) d += (u[p + k] / nu - v[p + k] / nv) ** 2;
      s += d;
    }
    total += s / (u.length / c);
  });
  const expected = total / fa.length;
  const got = await perceptualDistance(patch.x, other, shape);
  assert.ok(Math.abs(got - expected) <= 1e-4 * expected, `got ${got}, plain JS ${expected}`);
});

test('perceptual: bad input throws RangeError/TypeError naming the problem (before any model work)', async () => {
  const a = new Float32Array(SIZE).fill(0.5);
  await assert.rejects(perceptualDistance(a, new Float32Array(SIZE - 3), shape), RangeError);
  await assert.rejects(perceptualDistance(a, a, { width: 16, height: 32, channels: 3 }), /length must equal/);
  await assert.rejects(perceptualDistance(new Float32Array(W * W), new Float32Array(W * W), { width: W, height: W, channels: 1 as 3 }), /channels must be 3/);
  await assert.rejects(perceptualDistance(a, a, { width: 0, height: W, channels: 3 }), /width/);
  await assert.rejects(perceptualDistance(a, a.map((v, i) => (i === 5 ? 1.5 : v)), shape), /b\[5\] must be in \[0, 1\]/);
  await assert.rejects(perceptualDistance(a.map((v, i) => (i === 2 ? NaN : v)), a, shape), RangeError);
  await assert.rejects(perceptualDistance(null as unknown as Float32Array, a, shape), TypeError);
  await assert.rejects(perceptualDistanceBatch(a, a, { n: 2, ...shape }), /length must equal 2×32×32×3/);
  await assert.rejects(perceptualDistanceBatch(a, a, { n: 1.5, ...shape }), /n/);
});
