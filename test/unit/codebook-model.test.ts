/**
 * The codebook paper's VQ-VAE pipeline against independent truth: the index path (encode → indices → codebook
 * lookup → decode) reproduces the training forward pass; a channel with no errors returns the error-free
 * reconstruction; the symbol budget is the arithmetic of N·m bits on 6-bit symbols; training resumes from its
 * cache with the same weights; the interval helper matches its closed form.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Rng } from '../../lib/core/index.js';
import { tf, initBackend } from '../../lib/nn/index.js';
import { transmitIndices } from '../../lib/channels/index.js';
import type { PhotoPatchSet } from '../../lib/data/index.js';
import {
  vqConfig, initVqModel, vqForward, designTransition, encodeIndices, decodeIndices, trainVqModel, vqSymbolsPerImage,
  meanInterval, latentsPerImage, fromBase64Rgb, toBase64Rgb,
} from '../../lib/papers/codebook/index.js';

before(async () => {
  await initBackend('wasm');
});

function syntheticPatches(n: number, P: number, seed: number): PhotoPatchSet {
  const rng = new Rng(seed);
  const x = new Float32Array(n * P * P * 3);
  for (let i = 0; i < n; i++) {
    const c = [rng.uniform(), rng.uniform(), rng.uniform()];
    for (let j = 0; j < P * P; j++) for (let k = 0; k < 3; k++) x[(i * P * P + j) * 3 + k] = Math.min(1, Math.max(0, c[k] + 0.05 * rng.normal()));
  }
  return { x, n, width: P, height: P, channels: 3, photoIds: Array.from({ length: n }, () => 'synthetic'), photos: [{ id: 'synthetic', count: n }] };
}

test('index path = training forward pass: decodeIndices(encodeIndices(x)) equals vqForward’s x̂', () => {
  const cfg = vqConfig('proposed', { K: 16, D: 4, width: 8 });
  const p = initVqModel(cfg, new Rng(3));
  const data = syntheticPatches(5, 32, 1);
  const { indices } = encodeIndices(p, cfg, data.x, 5, 2);
  assert.equal(indices.length, 5 * latentsPerImage(cfg));
  const P = designTransition(cfg);
  const f = vqForward(p, cfg, tf.tensor4d(data.x, [5, 32, 32, 3]), P);
  assert.deepEqual(Array.from(f.indices.dataSync()), Array.from(indices));
  const viaIndices = decodeIndices(p, cfg, indices, 5, 3);
  const direct = f.xhat.dataSync();
  let diff = 0;
  for (let i = 0; i < direct.length; i++) diff = Math.max(diff, Math.abs(direct[i] - viaIndices[i]));
  assert.ok(diff < 1e-5, `max diff ${diff}`);
  tf.dispose([...Object.values(p), P, f.xhat, f.indices]);
});

test('an error-free channel returns the error-free reconstruction; a noisy one changes indices', () => {
  const cfg = vqConfig('vqvae', { K: 64, D: 4, width: 8 });
  const p = initVqModel(cfg, new Rng(4));
  const data = syntheticPatches(4, 32, 2);
  const { indices } = encodeIndices(p, cfg, data.x, 4);
  const clean = decodeIndices(p, cfg, indices, 4);
  const rx = transmitIndices(indices, { snrDb: 80, mBits: 6, rng: new Rng(1) });
  assert.equal(rx.indexErrorRate, 0);
  assert.deepEqual(Array.from(decodeIndices(p, cfg, rx.indices, 4)), Array.from(clean));
  const noisy = transmitIndices(indices, { snrDb: 0, mBits: 6, rng: new Rng(1) });
  assert.ok(noisy.indexErrorRate > 0.5, `at 0 dB most indices are wrong (NOTES §D3: P_e ≈ 0.94), got ${noisy.indexErrorRate}`);
  tf.dispose(Object.values(p));
});

test('matched budget: N·m bits per patch on 6-bit 64-QAM symbols', () => {
  assert.equal(vqSymbolsPerImage({ K: 64, patchSize: 32 }), 64); // 8×8 indices × 6 bits / 6
  assert.equal(vqSymbolsPerImage({ K: 16, patchSize: 32 }), (64 * 4) / 6);
  assert.equal(vqSymbolsPerImage({ K: 64, patchSize: 64 }), 256);
  assert.throws(() => vqSymbolsPerImage({ K: 100, patchSize: 32 }), /K must be a power of two/);
});

test('training is cached by configuration: a second call loads the same weights without training', async () => {
  const root = mkdtempSync(join(tmpdir(), 'codebook-train-'));
  try {
    const cfg = vqConfig('proposed', { K: 8, D: 4, width: 8, steps: 4, batchSize: 4, logEvery: 2 });
    const data = syntheticPatches(12, 32, 3);
    const a = await trainVqModel(cfg, { cacheRoot: root, data });
    assert.equal(a.info.fromCache, false);
    assert.deepEqual(a.history.map((h) => h.step), [1, 2, 4]);
    const w = a.params.codebook.dataSync().slice();
    const init = initVqModel(cfg, new Rng(cfg.seed));
    assert.notDeepEqual(Array.from(init.codebook.dataSync()), Array.from(w), 'training moved the codebook');
    const b = await trainVqModel(cfg, { cacheRoot: root, data });
    assert.equal(b.info.fromCache, true);
    assert.deepEqual(Array.from(b.params.codebook.dataSync()), Array.from(w));
    assert.deepEqual(b.history.map((h) => h.step), [1, 2, 4]);
    tf.dispose([...Object.values(a.params), ...Object.values(b.params), ...Object.values(init)]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('meanInterval is mean ± 1.96·s/√n; pictures survive the base64 round trip to 8 bits', () => {
  const v = [1, 2, 3, 4, 5];
  const s = Math.sqrt(2.5);
  const r = meanInterval(v);
  assert.equal(r.mean, 3);
  assert.ok(Math.abs(r.hi - (3 + (1.96 * s) / Math.sqrt(5))) < 1e-12);
  assert.throws(() => meanInterval([1, NaN]), /values\[1\] must be finite/);
  const x = Float32Array.from([0, 0.5, 1, 0.2]);
  const y = fromBase64Rgb(toBase64Rgb(x));
  x.forEach((val, i) => assert.ok(Math.abs(val - y[i]) <= 0.5 / 255 + 1e-7));
});
