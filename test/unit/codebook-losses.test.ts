/**
 * The codebook paper's training losses against independent truth: the channel-aware loss (22) and its gradients
 * against a direct Float64 double loop with lib/channels' transition matrix; the entropy estimate (10)–(14)
 * against a Float64 re-implementation and its gradient against central finite differences; the quantiser's
 * straight-through gradient against its definition; the Gram matrices (25) against a hand-written convolution;
 * and the rule that a scheme's switched-off terms move no parameter.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { Rng } from '../../lib/core/index.js';
import { tf, initBackend, vectorQuantize } from '../../lib/nn/index.js';
import { bscIndexTransition } from '../../lib/channels/index.js';
import {
  squaredDistances, channelAwareLoss, indexPmfEstimate, entropyOf, transitionTensor, gramMatrices, gramLoss,
  vqConfig, initVqModel, vqForward, decode, designTransition, GRAM_CHANNELS,
} from '../../lib/papers/codebook/index.js';

before(async () => {
  await initBackend('wasm');
});

const randn = (rng: Rng, n: number) => rng.fillNormal(new Float32Array(n)) as Float32Array;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { diff, scale };
}

function nearest(z: Float32Array, cb: Float32Array, n: number, K: number, D: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (z[i * D + d] - cb[k * D + d]) ** 2;
      if (s < best) { best = s; out[i] = k; }
    }
  }
  return out;
}

test('eq. (22): channel-aware loss and its gradients equal a direct double loop (exact Hamming P)', () => {
  const rng = new Rng(3);
  const n = 20, K = 16, D = 3, m = 4, eps = 0.12;
  const zv = randn(rng, n * D), cbv = randn(rng, K * D);
  const T = bscIndexTransition(m, eps);
  const idx = nearest(zv, cbv, n, K, D);
  let loss = 0;
  const gz = new Float64Array(n * D), gcb = new Float64Array(K * D);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < K; j++) {
      const p = T.data[idx[i] * K + j];
      for (let d = 0; d < D; d++) {
        const diff = zv[i * D + d] - cbv[j * D + d];
        loss += (p * diff * diff) / (n * D);
        gz[i * D + d] += (2 * p * diff) / (n * D);
        gcb[j * D + d] -= (2 * p * diff) / (n * D);
      }
    }
  }
  const z = tf.tensor2d(zv, [n, D]), cb = tf.tensor2d(cbv, [K, D]), P = transitionTensor(T), ix = tf.tensor1d(idx, 'int32');
  const f = (a: tf.Tensor, c: tf.Tensor) => channelAwareLoss(squaredDistances(a as tf.Tensor2D, c as tf.Tensor2D), ix, P);
  const value = f(z, cb).dataSync()[0];
  assert.ok(Math.abs(value - loss) < 1e-5 * loss, `loss ${value} vs ${loss}`);
  const [dz, dcb] = tf.grads(f)([z, cb]);
  for (const [got, ref, what] of [[dz.dataSync(), gz, 'dz'], [dcb.dataSync(), gcb, 'dcb']] as const) {
    const { diff, scale } = maxAbsDiff(got, ref);
    assert.ok(diff < 1e-4 * scale, `${what}: max diff ${diff} (scale ${scale})`);
  }
  tf.dispose([z, cb, P, ix, dz, dcb]);
});

/** Ĥ of eq. (10) with the soft pmf, in Float64, with the temperature scale s held fixed (as the tf op does). */
function entropyRef(z: Float64Array, cb: Float64Array, n: number, K: number, D: number, tau: number, s: number): number {
  const pk = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const logits = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let d2 = 0;
      for (let d = 0; d < D; d++) d2 += (z[i * D + d] - cb[k * D + d]) ** 2;
      logits[k] = -(d2 / D) / (tau * s);
    }
    const mx = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) pk[k] += e[k] / sum / n;
  }
  return -pk.reduce((a, p) => a + (p > 0 ? p * Math.log(p) : 0), 0);
}

function scaleOf(z: Float64Array, cb: Float64Array, n: number, K: number, D: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let k = 0; k < K; k++) {
      let d2 = 0;
      for (let d = 0; d < D; d++) d2 += (z[i * D + d] - cb[k * D + d]) ** 2;
      best = Math.min(best, d2 / D);
    }
    s += best / n;
  }
  return s;
}

test('eqs. (10)–(14): entropy estimate equals a Float64 re-implementation; its gradient matches finite differences', () => {
  const rng = new Rng(17);
  const n = 12, K = 8, D = 3, tau = 0.5;
  const zv = randn(rng, n * D), cbv = randn(rng, K * D);
  const z64 = Float64Array.from(zv), cb64 = Float64Array.from(cbv);
  const s = scaleOf(z64, cb64, n, K, D);
  const ref = entropyRef(z64, cb64, n, K, D, tau, s);
  const z = tf.tensor2d(zv, [n, D]), cb = tf.tensor2d(cbv, [K, D]);
  const f = (a: tf.Tensor, c: tf.Tensor) => entropyOf(indexPmfEstimate(squaredDistances(a as tf.Tensor2D, c as tf.Tensor2D), tau));
  assert.ok(Math.abs(f(z, cb).dataSync()[0] - ref) < 1e-5, 'value');
  const [dz, dcb] = tf.grads(f)([z, cb]);
  const h = 1e-5;
  const fd = (which: 'z' | 'cb', i: number) => {
    const a = Float64Array.from(z64), c = Float64Array.from(cb64);
    const t = which === 'z' ? a : c;
    t[i] += h;
    const up = entropyRef(a, c, n, K, D, tau, s);
    t[i] -= 2 * h;
    return (up - entropyRef(a, c, n, K, D, tau, s)) / (2 * h);
  };
  for (const [got, which, len] of [[dz.dataSync(), 'z', n * D], [dcb.dataSync(), 'cb', K * D]] as const) {
    const ref2 = Float64Array.from({ length: len }, (_, i) => fd(which, i));
    const { diff, scale } = maxAbsDiff(got, ref2);
    assert.ok(scale > 1e-3, `${which}: gradient is not trivially zero`);
    assert.ok(diff < 2e-3 * scale, `${which}: max diff ${diff} (scale ${scale})`);
  }
  // entropy of the estimate is at most log K, and maximising it spreads the mass: a uniform soft pmf has H = log K
  assert.ok(f(z, cb).dataSync()[0] <= Math.log(K) + 1e-6);
  tf.dispose([z, cb, dz, dcb]);
});

test("straight-through entropy: the hard histogram's entropy forward, the soft estimate's gradient backward", () => {
  const rng = new Rng(5);
  const n = 30, K = 4, D = 2;
  const zv = randn(rng, n * D), cbv = randn(rng, K * D);
  const idx = nearest(zv, cbv, n, K, D);
  const counts = new Float64Array(K);
  idx.forEach((k) => { counts[k]++; });
  const hard = -counts.reduce((a, c) => a + (c > 0 ? (c / n) * Math.log(c / n) : 0), 0);
  const z = tf.tensor2d(zv, [n, D]), cb = tf.tensor2d(cbv, [K, D]);
  const st = (a: tf.Tensor) => tf.sum(tf.mul(indexPmfEstimate(squaredDistances(a as tf.Tensor2D, cb), 0.5, 'straight-through'), tf.tensor1d([1, 2, 3, 4])));
  const soft = (a: tf.Tensor) => tf.sum(tf.mul(indexPmfEstimate(squaredDistances(a as tf.Tensor2D, cb), 0.5, 'soft'), tf.tensor1d([1, 2, 3, 4])));
  const hv = entropyOf(indexPmfEstimate(squaredDistances(z, cb), 0.5, 'straight-through')).dataSync()[0];
  assert.ok(Math.abs(hv - hard) < 1e-5, `forward ${hv} vs hard-count entropy ${hard}`);
  const g1 = tf.grad(st)(z).dataSync(), g2 = tf.grad(soft)(z).dataSync();
  assert.deepEqual(Array.from(g1), Array.from(g2));
  tf.dispose([z, cb]);
});

test('quantiser: forward = nearest codeword; ∂L/∂z equals ∂L/∂ẑ at the codewords (straight-through definition)', () => {
  const cfg = vqConfig('vqvae', { K: 8, D: 4, width: 8, patchSize: 32 });
  const p = initVqModel(cfg, new Rng(1));
  const rng = new Rng(2);
  const g = 8;
  const zv = randn(rng, g * g * cfg.D).map((v) => 0.05 * v);
  const x = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 3);
  const cbv = p.codebook.dataSync() as Float32Array;
  const idx = nearest(zv, cbv, g * g, cfg.K, cfg.D);
  const qv = Float32Array.from(zv, (_, i) => cbv[idx[Math.floor(i / cfg.D)] * cfg.D + (i % cfg.D)]);
  const z = tf.tensor4d(zv, [1, g, g, cfg.D]);
  const recon = (zq: tf.Tensor) => tf.mean(tf.square(tf.sub(x, decode(p, zq as tf.Tensor4D)))) as tf.Scalar;
  const viaVq = (a: tf.Tensor) => recon(vectorQuantize(a, p.codebook as unknown as tf.Tensor2D).zq);
  assert.deepEqual(Array.from(vectorQuantize(z, p.codebook as unknown as tf.Tensor2D).zq.dataSync()), Array.from(qv));
  const gz = tf.grad(viaVq)(z).dataSync();
  const gq = tf.grad(recon)(tf.tensor4d(qv, [1, g, g, cfg.D])).dataSync();
  const { diff, scale } = maxAbsDiff(gz, gq);
  assert.ok(scale > 0 && diff <= 1e-6 * scale, `max diff ${diff}`);
  tf.dispose(Object.values(p));
});

test('eq. (25): Gram matrices equal a hand-written Sobel convolution at three scales', () => {
  const rng = new Rng(9);
  const H = 8;
  const xv = Float32Array.from({ length: H * H * 3 }, () => rng.uniform());
  const got = gramMatrices(tf.tensor4d(xv, [1, H, H, 3])).map((t) => t.dataSync());
  const filters = [[0, 0, 0, 0, 1, 0, 0, 0, 0], [-1, 0, 1, -2, 0, 2, -1, 0, 1].map((v) => v / 4), [-1, -2, -1, 0, 0, 0, 1, 2, 1].map((v) => v / 4)];
  let img = Array.from(xv);
  let side = H;
  for (let s = 0; s < 3; s++) {
    if (s > 0) {
      const half = side / 2;
      const next = new Array(half * half * 3).fill(0);
      for (let y = 0; y < half; y++) for (let x = 0; x < half; x++) for (let c = 0; c < 3; c++) {
        next[(y * half + x) * 3 + c] = (img[((2 * y) * side + 2 * x) * 3 + c] + img[((2 * y) * side + 2 * x + 1) * 3 + c]
          + img[((2 * y + 1) * side + 2 * x) * 3 + c] + img[((2 * y + 1) * side + 2 * x + 1) * 3 + c]) / 4;
      }
      img = next;
      side = half;
    }
    const at = (y: number, x: number, c: number) => (y < 0 || x < 0 || y >= side || x >= side ? 0 : img[(y * side + x) * 3 + c]);
    const feats: number[][] = []; // [position][channel c*3+j]
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
      const f = new Array(GRAM_CHANNELS).fill(0);
      for (let c = 0; c < 3; c++) for (let j = 0; j < 3; j++) {
        for (let t = 0; t < 9; t++) f[c * 3 + j] += filters[j][t] * at(y + Math.floor(t / 3) - 1, x + (t % 3) - 1, c);
      }
      feats.push(f);
    }
    const ref = new Float64Array(GRAM_CHANNELS * GRAM_CHANNELS);
    for (const f of feats) for (let a = 0; a < GRAM_CHANNELS; a++) for (let b = 0; b < GRAM_CHANNELS; b++) ref[a * GRAM_CHANNELS + b] += (f[a] * f[b]) / (GRAM_CHANNELS * side * side);
    const { diff, scale } = maxAbsDiff(got[s], ref);
    assert.ok(diff < 1e-5 * Math.max(scale, 1e-3), `scale ${s}: max diff ${diff}`);
  }
  const x = tf.tensor4d(xv, [1, H, H, 3]);
  assert.equal(gramLoss(x, x).dataSync()[0], 0);
  assert.ok(gramLoss(x, tf.mul(x, 0.5) as tf.Tensor4D).dataSync()[0] > 0);
});

test('schemes differ only where intended: the codebook gradient of switched-off terms is zero', () => {
  const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
  const grads: Record<string, Float32Array> = {};
  for (const scheme of ['vqvae', 'vqvae_channel_aware'] as const) {
    const cfg = vqConfig(scheme, { K: 16, D: 4, width: 8, lambdaC: 1 });
    const p = initVqModel(cfg, new Rng(1)); // same seed: same weights for both schemes
    const P = designTransition(cfg);
    const cb = p.codebook;
    const totalG = tf.tidy(() => (tf.variableGrads(() => vqForward(p, cfg, x, P).parts.total, [cb]).grads[cb.name].dataSync() as Float32Array).slice());
    // reference: only the terms that may reach the codebook for this scheme
    const partsG = tf.tidy(() => (tf.variableGrads(() => {
      const f = vqForward(p, cfg, x, P).parts;
      return (scheme === 'vqvae' ? f.codebook : tf.add(f.codebook, f.channelAware)) as tf.Scalar;
    }, [cb]).grads[cb.name].dataSync() as Float32Array).slice());
    const { diff, scale } = maxAbsDiff(totalG, partsG);
    assert.ok(diff <= 1e-6 * Math.max(scale, 1e-9), `${scheme}: codebook gradient ${diff} off`);
    grads[scheme] = totalG;
    tf.dispose([...Object.values(p), P]);
  }
  const { diff } = maxAbsDiff(grads.vqvae, grads.vqvae_channel_aware);
  assert.ok(diff > 0, 'the channel-aware term does move the codebook');
});

test('configurations are validated with errors that name the argument', () => {
  assert.throws(() => vqConfig('vqvae', { K: 48 }), /K must be a power of two/);
  assert.throws(() => vqConfig('proposed', { lambdaH: 0 }), /scheme 'proposed' needs lambdaH > 0/);
  assert.throws(() => vqConfig('vqvae', { tau: 0 }), /tau must be > 0/);
  assert.throws(() => vqConfig('nope' as 'vqvae'), /scheme must be one of/);
  assert.equal(vqConfig('vqvae_entropy').lambdaC, 0);
  assert.equal(vqConfig('vqvae_channel_aware').lambdaH, 0);
});
