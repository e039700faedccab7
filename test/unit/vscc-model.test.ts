import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';
import {
  PAPER_ARCH, modelConfig, validateEval, bandwidthRatio, latentSide, channelUses, initCodec, encode, decode,
  trainModel, evaluateModel, knowledgeBase, log10Histogram, type Images, type ModelConfig,
} from '../../lib/papers/vscc/index.js';

/** A tiny codec (16×16, two stages) so the tests stay fast. */
const TINY: Partial<ModelConfig> = {
  imageSize: 16, baseChannels: 4, stageChannels: [4, 8], latentChannels: 4, groups: 4,
  encoderBottleneckBlocks: 1, decoderBottleneckBlocks: 1, decoderRefineBlocks: 1,
};

/** Smooth random colour images (low-frequency blobs), built here. */
function smoothImages(n: number, size: number, seed: number): Images {
  const rng = new Rng(seed);
  const x = new Float32Array(n * size * size * 3);
  for (let i = 0; i < n; i++) {
    const a = [rng.uniform(), rng.uniform(), rng.uniform()];
    const fx = rng.uniform() * 0.4;
    const fy = rng.uniform() * 0.4;
    for (let y = 0; y < size; y++) for (let xx = 0; xx < size; xx++) for (let c = 0; c < 3; c++) {
      x[((i * size + y) * size + xx) * 3 + c] = 0.5 + 0.4 * a[c] * Math.sin(fx * xx + fy * y + c);
    }
  }
  return { x, n, size };
}

test('bandwidth ratio: the paper\'s 256×256 configuration gives 16·16·16/(256·256·3) ≈ 0.0208, twice with the variance', () => {
  assert.equal(latentSide(PAPER_ARCH), 16);
  assert.equal(channelUses(PAPER_ARCH), 4096);
  assert.ok(Math.abs(bandwidthRatio(PAPER_ARCH) - 4096 / 196608) < 1e-15);
  assert.ok(Math.abs(bandwidthRatio(PAPER_ARCH, 'transmitted') - 8192 / 196608) < 1e-15);
  const ours = modelConfig({ method: 'vscc', trainSnrDb: 5 });
  assert.equal(latentSide(ours), 2);
  assert.ok(Math.abs(bandwidthRatio(ours) - (2 * 2 * 16) / (32 * 32 * 3)) < 1e-15);
});

test('the paper\'s architecture is expressible: 256×256 input → 16×16×16 mean and log-variance', async () => {
  await initBackend();
  const p = initCodec(PAPER_ARCH, new Rng(1));
  const e = tf.tidy(() => {
    const r = encode(p, PAPER_ARCH, 'vscc', tf.zeros([1, 256, 256, 3]) as tf.Tensor4D);
    return [r.mu, r.logVar as tf.Tensor4D];
  });
  assert.deepEqual(e[0].shape, [1, 16, 16, 16]);
  assert.deepEqual(e[1].shape, [1, 16, 16, 16]);
  tf.dispose([...e, ...Object.values(p)]);
});

test('one codec definition: a 2k head (mean, log-variance), the AE keeping the mean only; decoder output in [0, 1]', async () => {
  await initBackend();
  for (const method of ['ae', 'vae', 'vscc'] as const) {
    const cfg = modelConfig({ ...TINY, method, trainSnrDb: 0 });
    const p = initCodec(cfg, new Rng(2));
    assert.deepEqual(p['enc.quant.w'].shape, [1, 1, 8, 8]);
    const [mu, xh] = tf.tidy(() => {
      const e = encode(p, cfg, method, tf.randomUniform([2, 16, 16, 3]) as tf.Tensor4D);
      assert.equal(e.logVar === null, method === 'ae');
      return [e.mu, decode(p, cfg, tf.randomNormal([2, 4, 4, 4], 0, 5) as tf.Tensor4D)];
    });
    assert.deepEqual(mu.shape, [2, 4, 4, 4]);
    const v = xh.dataSync();
    assert.ok(v.every((t) => t >= 0 && t <= 1));
    tf.dispose([mu, xh, ...Object.values(p)]);
  }
});

test('a tiny VSCC training run lowers the loss; resampling with zero variance has no spread, positive variance has', async () => {
  await initBackend();
  const data = smoothImages(64, 16, 1);
  const cfg = modelConfig({ ...TINY, method: 'vscc', trainSnrDb: 10, cmc: 2, steps: 50, batchSize: 16, lr: 3e-3, trainCount: 64 });
  const { params, info } = await trainModel(cfg, data);
  const first = info.lossCurve.slice(0, 5).reduce((s, p) => s + p.loss, 0) / 5;
  const last = info.lossCurve.slice(-5).reduce((s, p) => s + p.loss, 0) / 5;
  assert.ok(last < 0.8 * first, `loss ${first} → ${last}`);
  assert.equal(info.warmStart, null);
  const test = smoothImages(6, 16, 2);
  const spec = { testSnrsDb: [40], resamplings: 8, testCount: 6, tests: ['fixed'] as const, seed: 1, kbCount: 16, validationCount: 0, validationSnrsDb: [] };
  const zero = evaluateModel(params, cfg, 'vscc', test, spec, new Float64Array(64));
  const z = zero.fixed?.[0];
  assert.ok(z && Math.abs(z.psnrMax - z.psnrMin) < 1e-9 && Math.abs(z.ssimMax - z.ssimMin) < 1e-9);
  const kb = knowledgeBase(params, cfg, 'vscc', data);
  assert.equal(kb.kb.length, 64);
  const pos = evaluateModel(params, cfg, 'vscc', test, spec, Float64Array.from(kb.kb, () => 0.5)).fixed?.[0];
  assert.ok(pos && pos.psnrMin < pos.psnrMean && pos.psnrMean < pos.psnrMax, JSON.stringify(pos));
  // per-image scores: one per test image, their average is the curve point's mean (to the rounding of the stored values)
  assert.equal(pos.psnr.length, 6);
  assert.equal(pos.ssim.length, 6);
  assert.ok(Math.abs(pos.psnr.reduce((a, b) => a + b, 0) / 6 - pos.psnrMean) < 1e-4);
  assert.ok(Math.abs(pos.ssim.reduce((a, b) => a + b, 0) / 6 - pos.ssimMean) < 1e-6);
  // common random numbers: the same images and seed give the same draws, so a repeat is identical
  const again = evaluateModel(params, cfg, 'vscc', test, spec, Float64Array.from(kb.kb, () => 0.5)).fixed?.[0];
  assert.deepEqual(again?.psnr, pos.psnr);
  tf.dispose(Object.values(params));
});

test('a warm-started model starts from the pre-trained codec: its first AE loss is below a cold start\'s', async () => {
  await initBackend();
  const data = smoothImages(48, 16, 3);
  const base = { ...TINY, method: 'ae' as const, trainSnrDb: 20, steps: 3, batchSize: 16, lr: 3e-3, trainCount: 48 };
  const cold = await trainModel(modelConfig({ ...base, warmStart: null }), data);
  const warm = await trainModel(modelConfig({ ...base, warmStart: { steps: 40, snrsDb: [20], lr: 3e-3, warmupSteps: 5, seed: 4 } }), data);
  assert.equal(warm.info.warmStart?.steps, 40);
  assert.ok(warm.info.lossCurve[0].loss < 0.8 * cold.info.lossCurve[0].loss, `${warm.info.lossCurve[0].loss} vs ${cold.info.lossCurve[0].loss}`);
  tf.dispose([...Object.values(cold.params), ...Object.values(warm.params)]);
  assert.throws(() => modelConfig({ ...base, warmStart: { steps: 0, snrsDb: [20], lr: 1e-3, warmupSteps: 0, seed: 1 } }), /warmStart.steps/);
  assert.throws(() => modelConfig({ ...base, warmStart: { steps: 5, snrsDb: [], lr: 1e-3, warmupSteps: 0, seed: 1 } }), /warmStart.snrsDb/);
});

test('log10 histogram bins by decade fractions and clamps to the end bins', () => {
  const h = log10Histogram([1e-3, 0.0011, 1, 1e-9, 1e5, 0], -4, 1, 6);
  assert.deepEqual(h.counts, [2, 2, 0, 0, 1, 1]);
});

test('bad configuration and evaluation arguments throw RangeError naming the argument', () => {
  assert.throws(() => modelConfig({ method: 'vscc', trainSnrDb: 5, cmc: -1 }), /cmc/);
  assert.throws(() => modelConfig({ method: 'vscc', trainSnrDb: 5, cmc: 0 }), /cmc/);
  assert.throws(() => modelConfig({ method: 'vae', trainSnrDb: 5, cmc: 5 }), /cmc/);
  assert.throws(() => modelConfig({ method: 'vscc', trainSnrDb: Number.NaN }), /trainSnrDb/);
  assert.throws(() => modelConfig({ method: 'vscc', trainSnrDb: 99 }), /trainSnrDb/);
  assert.throws(() => modelConfig({ method: 'gan' as 'ae', trainSnrDb: 5 }), /method/);
  assert.throws(() => modelConfig({ method: 'ae', trainSnrDb: 5, imageSize: 40 }), /imageSize/);
  assert.throws(() => modelConfig({ method: 'ae', trainSnrDb: 5, groups: 5 }), /groups/);
  assert.throws(() => modelConfig({ method: 'ae', trainSnrDb: 5, stageChannels: [] }), /stageChannels/);
  assert.throws(() => modelConfig({ method: 'ae', trainSnrDb: 5, latentChannels: 0 }), /latentChannels/);
  const spec = { testSnrsDb: [0, 10], resamplings: 100, testCount: 10, tests: ['fixed'] as const, seed: 1, kbCount: 10, validationCount: 0, validationSnrsDb: [] };
  assert.throws(() => validateEval({ ...spec, testSnrsDb: [0, -45] }, 'vscc'), /testSnrsDb\[1\]/);
  assert.throws(() => validateEval({ ...spec, resamplings: 0 }, 'vscc'), /resamplings/);
  assert.throws(() => validateEval({ ...spec, tests: ['transmitted'] }, 'ae'), /AE/);
  assert.throws(() => validateEval({ ...spec, tests: ['ae'] }, 'vscc'), /VSCC/);
  assert.throws(() => validateEval({ ...spec, validationCount: 20 }, 'vscc'), /validationSnrsDb/);
  assert.throws(() => validateEval({ ...spec, validationSnrsDb: [5] }, 'vscc'), /validationSnrsDb/);
  assert.throws(() => validateEval({ ...spec, testCount: 1 }, 'vscc'), /testCount/);
  assert.throws(() => bandwidthRatio(PAPER_ARCH, 'both' as 'fixed'), /test/);
});
