/** The hybrid link of ZEPE Fig. 3 (lib/papers/zepe/projection.ts), its cVAE (models.ts) and the experiment's argument checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  principalDirections, fitResidualBases, projectionFor, hybridProjection, combine, trainConditionalVae, generate, encodeMean, decodeLatent, planTrials,
  hybridExperiment, type ImageRows,
} from '../../lib/papers/zepe/index.js';
import { symmetricEigen, secondMoment } from '../../lib/core/index.js';
import { randomOrthogonal, dot, powerIteration } from '../helpers/matrices.js';
import { initBackend } from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';

test('principalDirections: covariance path finds the known principal axes of sampled residuals', () => {
  const n = 5;
  const rng = new Rng(11);
  const q = randomOrthogonal(n, rng);
  const sd = [3, 2, 1, 0.5, 0.25];
  const N = 20000;
  const rows = new Float64Array(N * n);
  for (let s = 0; s < N; s++) for (let k = 0; k < n; k++) {
    const c = sd[k] * rng.normal();
    for (let i = 0; i < n; i++) rows[s * n + i] += c * q[k * n + i];
  }
  const p = principalDirections(rows, n, 3);
  assert.equal(p.method, 'covariance');
  for (let k = 0; k < 3; k++) {
    assert.ok(Math.abs(Math.abs(dot(p.vectors, q, n, k * n, k * n)) - 1) < 0.01, `axis ${k}`);
    assert.ok(Math.abs(p.values[k] / sd[k] ** 2 - 1) < 0.05, `variance ${k}: ${p.values[k]}`);
  }
});

test('principalDirections: Gram path (N < n) matches power iteration on the brute-force second moment', () => {
  const n = 12, N = 5;
  const rng = new Rng(13);
  const rows = Float64Array.from({ length: N * n }, () => rng.normal());
  const m = new Float64Array(n * n);
  for (let s = 0; s < N; s++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] += (rows[s * n + i] * rows[s * n + j]) / N;
  const p = principalDirections(rows, n, n);
  assert.equal(p.method, 'gram');
  assert.equal(p.rank, N);
  const top = powerIteration({ data: m, n });
  assert.ok(Math.abs(p.values[0] - top.value) < 1e-9 * top.value);
  assert.ok(Math.abs(Math.abs(dot(p.vectors, top.vector, n)) - 1) < 1e-8);
  // All n rows orthonormal, completion included.
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    assert.ok(Math.abs(dot(p.vectors, p.vectors, n, a * n, b * n) - (a === b ? 1 : 0)) < 1e-10, `rows ${a},${b}`);
  }
});

/** Synthetic "images": class-dependent x, x̂ = x + structured noise. */
function synthetic(N: number, n: number, seed: number) {
  const rng = new Rng(seed);
  const x = new Float64Array(N * n);
  const xhat = new Float64Array(N * n);
  const labels = new Uint8Array(N);
  for (let s = 0; s < N; s++) {
    labels[s] = s % 3;
    const a = rng.normal(), b = rng.normal();
    for (let i = 0; i < n; i++) {
      x[s * n + i] = rng.uniform();
      xhat[s * n + i] = x[s * n + i] + (i % 3 === labels[s] ? a : 0.2 * b) + 0.05 * rng.normal();
    }
  }
  return { x, xhat, labels };
}

test('hybridProjection/combine: d = n returns x exactly, AᵀA is a symmetric idempotent projector, explicit formula', () => {
  const n = 9;
  for (const N of [60, 12]) { // per-class: 20 rows > n (covariance path), 4 rows < n (Gram path + completion)
    const { x, xhat, labels } = synthetic(N, n, N);
    for (const mode of ['per-class', 'pooled'] as const) {
      const full = hybridProjection({ x, xhat, labels, n, mode, d: n });
      for (let s = 0; s < N; s++) {
        const a = full.get(mode === 'pooled' ? -1 : labels[s]) as Float64Array;
        const r = combine(x.subarray(s * n, (s + 1) * n), xhat.subarray(s * n, (s + 1) * n), a, n);
        for (let i = 0; i < n; i++) assert.ok(Math.abs(r[i] - x[s * n + i]) < 1e-12, `${mode} N=${N} row ${s}`);
      }
      const d = 4;
      const a = (hybridProjection({ x, xhat, labels, n, mode, d }).values().next().value) as Float64Array;
      assert.equal(a.length, d * n);
      const p = new Float64Array(n * n); // P = AᵀA, built explicitly
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < d; k++) p[i * n + j] += a[k * n + i] * a[k * n + j];
      let trace = 0;
      for (let i = 0; i < n; i++) {
        trace += p[i * n + i];
        for (let j = 0; j < n; j++) {
          assert.ok(Math.abs(p[i * n + j] - p[j * n + i]) < 1e-12, 'symmetric');
          let pp = 0;
          for (let k = 0; k < n; k++) pp += p[i * n + k] * p[k * n + j];
          assert.ok(Math.abs(pp - p[i * n + j]) < 1e-12, 'idempotent');
        }
      }
      assert.ok(Math.abs(trace - d) < 1e-12, 'rank d');
      // combine() = AᵀA x + (I − AᵀA) x̂ with the explicit matrices.
      const xs = x.subarray(0, n), hs = xhat.subarray(0, n);
      const got = combine(xs, hs, a, n);
      for (let i = 0; i < n; i++) {
        let want = hs[i];
        for (let j = 0; j < n; j++) want += p[i * n + j] * (xs[j] - hs[j]);
        assert.ok(Math.abs(got[i] - want) < 1e-12);
      }
    }
  }
});

test('MSE is non-increasing in d and equals the tail eigenvalue sum on the training residuals', () => {
  const n = 8, N = 90;
  const { x, xhat, labels } = synthetic(N, n, 21);
  for (const mode of ['per-class', 'pooled'] as const) {
    const bases = fitResidualBases({ x, xhat, labels, n, mode });
    let prev = Infinity;
    for (let d = 0; d <= n; d++) {
      let se = 0;
      for (let s = 0; s < N; s++) {
        const r = combine(x.subarray(s * n, (s + 1) * n), xhat.subarray(s * n, (s + 1) * n), projectionFor(bases, labels[s], d), n);
        for (let i = 0; i < n; i++) se += (r[i] - x[s * n + i]) ** 2;
      }
      assert.ok(se <= prev + 1e-9, `${mode} d=${d}`);
      prev = se;
      // Eckart–Young: residual energy left = Σ_{k ≥ d} λ_k (per group, weighted by its size).
      let tail = 0;
      for (const [key, dirs] of bases.byClass) {
        const all = symmetricEigen(secondMoment(residualRows(x, xhat, labels, n, mode === 'pooled' ? null : key), n)).values;
        for (let k = d; k < n; k++) tail += all[k] * (bases.counts.get(key) as number);
        assert.equal(dirs.k, n);
      }
      assert.ok(Math.abs(se - tail) < 1e-9 * Math.max(1, tail), `${mode} d=${d}: ${se} vs ${tail}`);
    }
    assert.ok(prev < 1e-20);
  }
});

function residualRows(x: Float64Array, xhat: Float64Array, labels: Uint8Array, n: number, key: number | null): Float64Array {
  const out: number[] = [];
  for (let s = 0; s < labels.length; s++) if (key === null || labels[s] === key) for (let i = 0; i < n; i++) out.push(x[s * n + i] - xhat[s * n + i]);
  return Float64Array.from(out);
}

test('tiny conditional VAE: loss decreases, cache reload, generate() shape, range and determinism', async () => {
  await initBackend('wasm');
  const dir = mkdtempSync(join(tmpdir(), 'zepe-hybrid-'));
  try {
    // Synthetic 6×6 "digits": class c lights row c (plus noise); 3 classes.
    const rng = new Rng(1);
    const N = 300, n = 36;
    const x = new Float32Array(N * n), y = new Uint8Array(N);
    for (let s = 0; s < N; s++) {
      y[s] = s % 3;
      for (let i = 0; i < n; i++) x[s * n + i] = Math.floor(i / 6) === 2 * y[s] ? 0.9 : 0.1 * rng.uniform();
    }
    const data: ImageRows = { x, y, n: N, width: 6, height: 6, channels: 1, classes: 3 };
    const opts = { dataset: 'mnist' as const, latentDim: 2, hidden: 32, steps: 80, batchSize: 32, lr: 5e-3, seed: 4, cacheDir: dir, data };
    const m = await trainConditionalVae(opts);
    const h = m.training.lossHistory;
    assert.equal(h.length, 80);
    const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(avg(h.slice(-10)) < 0.7 * avg(h.slice(0, 10)), `loss ${avg(h.slice(0, 10))} → ${avg(h.slice(-10))}`);
    const again = await trainConditionalVae(opts);
    assert.ok(again.training.fromCache);
    const z = Uint8Array.from([0, 1, 2, 2]);
    const g1 = generate(again, z, new Rng(9));
    assert.equal(g1.length, z.length * n);
    assert.ok(g1.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(generate(again, z, new Rng(9)), g1);
    assert.notDeepEqual(generate(again, z, new Rng(10)), g1);
    // After training, class 2 should light row 4 more than row 0.
    const row = (img: number, r: number) => avg(Array.from(g1.subarray(img * n + r * 6, img * n + r * 6 + 6)));
    assert.ok(row(2, 4) > row(2, 0) + 0.2, `row4 ${row(2, 4)} row0 ${row(2, 0)}`);
    assert.throws(() => generate(again, [3], new Rng(1)), /z\[0\]/);
    // Aggregate-posterior sampling: one diagonal Gaussian per class, positive spreads, valid images.
    assert.deepEqual([...again.aggregate.keys()].sort(), [0, 1, 2]);
    for (const g of again.aggregate.values()) assert.ok(g.std.every((v) => v > 0 && Number.isFinite(v)));
    const ga = generate(again, z, new Rng(9), 'aggregate');
    assert.ok(ga.every((v) => v >= 0 && v <= 1));
    assert.ok(row(0, 0) > 0.5 && avg(Array.from(ga.subarray(0, 6))) > 0.5, 'class 0 lights row 0');
    assert.throws(() => generate(again, z, new Rng(9), 'uniform' as 'standard'), (e: Error) => e instanceof RangeError && /prior/.test(e.message));
    // Full-covariance fit: root·root = Cov(μ) + diag(E σ²). Its diagonal equals the diagonal fit's std² (computed apart),
    // its off-diagonal the two-pass sample covariance of encodeMean over the class's rows (a second path to μ).
    const mu = encodeMean(again, x, y);
    for (const [c, g] of again.aggregate) {
      const L = again.latentDim;
      const rows = Array.from({ length: N }, (_, i) => i).filter((i) => y[i] === c);
      const mean = Array.from({ length: L }, (_, j) => avg(rows.map((i) => mu[i * L + j])));
      const sq = (j: number, k: number) => avg(rows.map((i) => (mu[i * L + j] - mean[j]) * (mu[i * L + k] - mean[k])));
      const rr = (j: number, k: number) => Array.from({ length: L }, (_, t) => g.root[j * L + t] * g.root[t * L + k]).reduce((a2, b2) => a2 + b2, 0);
      for (let j = 0; j < L; j++) {
        assert.ok(Math.abs(rr(j, j) - g.std[j] ** 2) < 1e-4 * (1 + g.std[j] ** 2), `class ${c}: diag ${rr(j, j)} vs ${g.std[j] ** 2}`);
        for (let k = 0; k < j; k++) assert.ok(Math.abs(rr(j, k) - sq(j, k)) < 1e-4 * (1 + Math.abs(sq(j, k))), `class ${c}: cov ${rr(j, k)} vs ${sq(j, k)}`);
      }
      assert.equal(g.count, rows.length);
    }
    assert.ok(generate(again, z, new Rng(9), 'aggregate-full').every((v) => v >= 0 && v <= 1));
    // The encoder's latent carries the image: decoding μ(x) reconstructs x better than a sample for its class.
    const rec = decodeLatent(again, mu, y);
    const samp = generate(again, y, new Rng(3));
    const mseOf = (a2: Float32Array) => avg(Array.from(a2, (v, i) => (v - x[i]) ** 2));
    assert.ok(mseOf(rec) < mseOf(samp), `decoded ${mseOf(rec)} vs sampled ${mseOf(samp)}`);
    // Continuing a run: a cached stage of its own, starting where the first ended (not from a fresh initialisation).
    const more = await trainConditionalVae({ ...opts, steps: 20, continueFrom: again });
    assert.equal(more.training.totalSteps, 100);
    assert.equal(more.training.lossHistory.length, 20);
    assert.ok(avg(more.training.lossHistory.slice(0, 5)) < 0.8 * avg(h.slice(0, 10)), 'continues from the trained weights');
    assert.ok((await trainConditionalVae({ ...opts, steps: 20, continueFrom: again })).training.fromCache);
    await assert.rejects(() => trainConditionalVae({ ...opts, hidden: 16, steps: 5, continueFrom: again }), /continueFrom/);
    await assert.rejects(() => trainConditionalVae({ ...opts, dataset: 'cifar' as 'mnist' }), (e: Error) => e instanceof RangeError && /dataset/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments throw RangeError naming the argument', async () => {
  const n = 4;
  const { x, xhat, labels } = synthetic(12, n, 1);
  assert.throws(() => hybridProjection({ x, xhat, labels, n, mode: 'pooled', d: -1 }), (e: Error) => e instanceof RangeError && /\bd\b/.test(e.message));
  assert.throws(() => hybridProjection({ x, xhat, labels, n, mode: 'pooled', d: n + 1 }), (e: Error) => e instanceof RangeError && /\bd\b/.test(e.message));
  assert.throws(() => hybridProjection({ x, xhat, labels, n, mode: 'both' as 'pooled', d: 1 }), (e: Error) => e instanceof RangeError && /mode/.test(e.message));
  const bases = fitResidualBases({ x, xhat, labels, n, mode: 'per-class', maxD: 2 });
  assert.throws(() => projectionFor(bases, 0, 3), (e: Error) => e instanceof RangeError && /\bd\b/.test(e.message));
  assert.throws(() => projectionFor(bases, 0, 5), (e: Error) => e instanceof RangeError && /\bd\b/.test(e.message));
  assert.throws(() => planTrials('cifar' as 'mnist', 'quick'), (e: Error) => e instanceof RangeError && /dataset/.test(e.message));
  assert.throws(() => planTrials('mnist', 'medium' as 'quick'), (e: Error) => e instanceof RangeError && /profile/.test(e.message));
  await assert.rejects(() => hybridExperiment({ ...planTrials('mnist', 'quick'), dataset: 'svhn' as 'mnist' }), (e: Error) => e instanceof RangeError && /dataset/.test(e.message));
  const q = planTrials('mnist', 'quick');
  const v = q.validation as NonNullable<typeof q.validation>;
  await assert.rejects(() => hybridExperiment({ ...q, validation: { ...v, curveSteps: [100, 300] } }), /curveSteps must end at cvae.steps/);
  await assert.rejects(() => hybridExperiment({ ...q, validation: { ...v, curveSteps: [300, 200, 400] } }), /curveSteps\[1\]/);
  await assert.rejects(() => hybridExperiment({ ...q, validation: { ...v, priors: ['flat' as 'standard'] } }), /priors\[0\]/);
  await assert.rejects(() => hybridExperiment({ ...planTrials('photos', 'quick'), semanticBits: 0 }), /semanticBits/);
  assert.throws(() => combine([1, 2], [1, 2], [1, 0, 0], 2), RangeError);
});
