import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';
import {
  awgnNoiseVariance, gaussianKl, vsccKl, vaeKl, vsccKlTensor, vaeKlTensor, powerNormalize, knowledgeBaseVariance,
  receivedVariance,
} from '../../lib/papers/vscc/index.js';

/** KL(N(m1, v1) ‖ N(m2, v2)) by Simpson's rule on ∫ p log(p/q), densities written out here (independent of the lib). */
function klByQuadrature(m1: number, v1: number, m2: number, v2: number): number {
  const s1 = Math.sqrt(v1);
  const lo = m1 - 14 * s1;
  const hi = m1 + 14 * s1;
  const n = 20000;
  const h = (hi - lo) / n;
  const logp = (x: number) => -0.5 * Math.log(2 * Math.PI * v1) - ((x - m1) ** 2) / (2 * v1);
  const logq = (x: number) => -0.5 * Math.log(2 * Math.PI * v2) - ((x - m2) ** 2) / (2 * v2);
  const f = (x: number) => Math.exp(logp(x)) * (logp(x) - logq(x));
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

test('VSCC term (9) equals KL(N(μ1, σ1²+σ2²) ‖ N(0, σ2²+d)) computed by numerical integration', () => {
  const cases = [
    { mu: 0.3, v1: 0.5, n: 0.1, d: 1 }, { mu: -1.2, v1: 0.01, n: 3.1623, d: 10 }, { mu: 2, v1: 4, n: 0.0316, d: 2 },
    { mu: 0, v1: 1e-4, n: 0.316, d: 15 }, { mu: 0.7, v1: 12, n: 1, d: 5 },
  ];
  for (const c of cases) {
    const want = klByQuadrature(c.mu, c.v1 + c.n, 0, c.n + c.d);
    assert.ok(Math.abs(vsccKl(c.mu, c.v1, c.n, c.d) - want) < 1e-7 * Math.max(1, want), `${JSON.stringify(c)}: ${vsccKl(c.mu, c.v1, c.n, c.d)} vs ${want}`);
  }
});

test('VAE term (11) equals KL(N(μ, σ²) ‖ N(0, 1)) by numerical integration, and the generic Gaussian KL too', () => {
  for (const [mu, v] of [[0, 1], [0.5, 0.2], [-2, 3], [1.5, 0.01]]) {
    assert.ok(Math.abs(vaeKl(mu, v) - klByQuadrature(mu, v, 0, 1)) < 1e-7, `μ=${mu} σ²=${v}`);
    assert.ok(Math.abs(gaussianKl(mu, v, 0.4, 2.5) - klByQuadrature(mu, v, 0.4, 2.5)) < 1e-7);
  }
  assert.equal(vaeKl(0, 1), 0);
});

test('VSCC term: reductions (σ2² = 0, d = 1 is the VAE term; prior matched; noise swamps; bounded as σ1² → 0)', () => {
  for (const [mu, v] of [[0.2, 0.3], [-1, 2], [3, 0.05]]) assert.ok(Math.abs(vsccKl(mu, v, 0, 1) - vaeKl(mu, v)) < 1e-12);
  // μ1 = 0 and σ1² = d: posterior N(0, d + σ2²) equals the prior N(0, σ2² + d).
  assert.ok(Math.abs(vsccKl(0, 5, 0.3, 5)) < 1e-12);
  // Channel noise much larger than everything else: both Gaussians ≈ N(0, σ2²).
  assert.ok(vsccKl(1, 0.5, 1e8, 5) < 1e-6);
  // σ1² = 0 with σ2² = 1, d = 1, μ = 0: ½(log 2 + 1/2 − 1) by hand — finite, unlike the VAE term.
  assert.ok(Math.abs(vsccKl(0, 0, 1, 1) - 0.5 * (Math.LN2 - 0.5)) < 1e-12);
  assert.throws(() => vaeKl(0, 0), RangeError);
});

test('VSCC term is minimised over σ1² at σ1² = d, whatever σ2² (grid search)', () => {
  for (const [n, d] of [[3.16, 10], [0.316, 5], [0.0316, 2]]) {
    let best = 0;
    let bestV = Infinity;
    for (let v = 0.01; v < 30; v += 0.01) {
      const k = vsccKl(0.4, v, n, d);
      if (k < bestV) { bestV = k; best = v; }
    }
    assert.ok(Math.abs(best - d) < 0.011, `σ2²=${n}, d=${d}: argmin ${best}`);
  }
});

test('AWGN noise variance from SNR: 10^(−SNR/10) at unit power, and the measured SNR of a normalised block matches', async () => {
  assert.equal(awgnNoiseVariance(0), 1);
  assert.ok(Math.abs(awgnNoiseVariance(10) - 0.1) < 1e-15);
  assert.ok(Math.abs(awgnNoiseVariance(-5) - 3.1622776601683795) < 1e-12);
  assert.ok(Math.abs(awgnNoiseVariance(20, 4) - 0.04) < 1e-15);
  await initBackend();
  const rng = new Rng(3);
  const raw = tf.tensor4d(rng.fillNormal(new Float32Array(8 * 4 * 4 * 16), 2, 3) as Float32Array, [8, 4, 4, 16]);
  const { x } = powerNormalize(raw);
  const s = x.dataSync();
  for (let b = 0; b < 8; b++) {
    let e = 0;
    for (let j = 0; j < 256; j++) e += s[b * 256 + j] ** 2;
    assert.ok(Math.abs(e / 256 - 1) < 1e-5, `image ${b}: mean power ${e / 256}`);
  }
  // SNR measured on samples: P = 1, noise of variance awgnNoiseVariance(7) drawn here.
  const nv = awgnNoiseVariance(7);
  let pn = 0;
  const m = 200000;
  for (let i = 0; i < m; i++) pn += (Math.sqrt(nv) * rng.normal()) ** 2;
  const snr = 10 * Math.log10(1 / (pn / m));
  assert.ok(Math.abs(snr - 7) < 0.05, `measured ${snr} dB`);
  tf.dispose([raw, x]);
});

test('tensor KL terms sum the per-element closed forms over each image', async () => {
  await initBackend();
  const rng = new Rng(5);
  const shape: [number, number, number, number] = [3, 2, 2, 4];
  const mu = Float32Array.from({ length: 48 }, () => rng.normal());
  const lv = Float32Array.from({ length: 48 }, () => rng.normal() - 1);
  const [vs, va] = tf.tidy(() => [vsccKlTensor(tf.tensor4d(mu, shape), tf.tensor4d(lv, shape), 0.5, 5), vaeKlTensor(tf.tensor4d(mu, shape), tf.tensor4d(lv, shape))]);
  const a = vs.dataSync();
  const b = va.dataSync();
  for (let i = 0; i < 3; i++) {
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < 16; j++) {
      const v = Math.exp(lv[i * 16 + j]);
      s1 += 0.5 * (Math.log(5.5 / (v + 0.5)) + (mu[i * 16 + j] ** 2 + v + 0.5) / 5.5 - 1);
      s2 += 0.5 * (-Math.log(v) + v + mu[i * 16 + j] ** 2 - 1);
    }
    assert.ok(Math.abs(a[i] - s1) < 1e-4 * Math.max(1, Math.abs(s1)), `vscc image ${i}: ${a[i]} vs ${s1}`);
    assert.ok(Math.abs(b[i] - s2) < 1e-4 * Math.max(1, Math.abs(s2)), `vae image ${i}: ${b[i]} vs ${s2}`);
  }
  tf.dispose([vs, va]);
});

test('knowledge-base variance is the per-element mean over images', () => {
  const kb = knowledgeBaseVariance(Float32Array.from([1, 2, 3, 4, 5, 9]), 3);
  assert.deepEqual(Array.from(kb), [3, 5]);
  assert.throws(() => knowledgeBaseVariance(Float32Array.from([1, 2, 3]), 2), /rows/);
  assert.throws(() => knowledgeBaseVariance(Float32Array.from([1, -2]), 1), /variances\[1\]/);
});

test('received variance block: noise scaled by the block gain, clamped at zero', () => {
  const L = 4;
  const v = Float32Array.from({ length: 4000 * L }, (_, i) => 10 + (i % L)); // gain √(L/Σv²) known per image
  const gain = Math.sqrt(L / (100 + 121 + 144 + 169));
  const out = receivedVariance(v, L, 0.5, new Rng(9));
  let s2 = 0;
  for (let i = 0; i < v.length; i++) s2 += (out[i] - v[i]) ** 2;
  const want = (0.5 / gain) ** 2;
  assert.ok(Math.abs(s2 / v.length / want - 1) < 0.05, `noise variance ${s2 / v.length} vs ${want}`);
  const clamped = receivedVariance(Float32Array.from([1e-6, 1e-6, 1e-6, 1e-6]), L, 10, new Rng(1));
  assert.ok(clamped.every((x) => x >= 0));
  assert.deepEqual(Array.from(receivedVariance(v.subarray(0, 8), L, 0, new Rng(1))), Array.from(v.subarray(0, 8)));
});

test('bad SNR, CMC and variance arguments throw RangeError naming the argument', () => {
  assert.throws(() => awgnNoiseVariance(Number.NaN), /snrDb/);
  assert.throws(() => awgnNoiseVariance(120), /snrDb/);
  assert.throws(() => awgnNoiseVariance('10' as unknown as number), RangeError);
  assert.throws(() => vsccKl(0, 0.1, 0.1, 0), /cmc/);
  assert.throws(() => vsccKl(0, -1, 0.1, 1), /var1/);
  assert.throws(() => vsccKl(0, 0, 0, 1), /var1 \+ noiseVar/);
  assert.throws(() => gaussianKl(0, 1, 0, 0), /v2/);
});
