/**
 * Intervals over training seeds × test patches (lib/papers/vscc/seeds.ts): one seed is the plain (paired) bootstrap
 * over patches; several seeds widen the interval by the spread between seeds; differences pair by seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { pairedBootstrap } from '../../lib/metrics/index.js';
import { seedPatchDifference, seedPatchMean, seedText } from '../../lib/papers/vscc/index.js';

const noise = (n: number, seed: number, sd: number) => { const r = new Rng(seed); return Array.from({ length: n }, () => sd * r.normal()); };

test('one seed: the difference and its interval are the paired bootstrap over patches', () => {
  const a = noise(50, 1, 1).map((v) => v + 0.3);
  const b = noise(50, 2, 1);
  const ours = seedPatchDifference([{ seed: 1, values: a }], [{ seed: 1, values: b }], { resamples: 2000, seed: 1 });
  const ref = pairedBootstrap(a, b, { resamples: 2000, seed: 1 });
  assert.ok(Math.abs(ours.value - ref.value) < 1e-12);
  assert.ok(Math.abs(ours.ci95[0] - ref.ci95[0]) < 1e-9 && Math.abs(ours.ci95[1] - ref.ci95[1]) < 1e-9, `${ours.ci95} vs ${ref.ci95}`);
  assert.deepEqual(ours.seeds, [1]);
  assert.match(ours.method, /one training seed/);
});

test('several seeds: the value is the grand mean; a spread between seeds widens the interval to about that spread', () => {
  const n = 200;
  const base = noise(n, 3, 0.1);
  const rows = [-1, 0, 1].map((shift, s) => ({ seed: s + 1, values: base.map((v, i) => v + shift + 0.01 * noise(n, 10 + s, 1)[i]) }));
  const e = seedPatchMean(rows);
  const all = rows.flatMap((r) => r.values);
  assert.ok(Math.abs(e.value - all.reduce((p, q) => p + q, 0) / all.length) < 1e-12);
  // the seed means are −1, 0, 1: the bootstrap of three seeds spans most of that range
  assert.ok(e.ci95[0] < -0.5 && e.ci95[1] > 0.5, `${e.ci95}`);
  assert.match(e.method, /3 training seeds × 200 patches/);
  // the same numbers pooled as one "seed" (patches only): far narrower, blind to the training runs
  const pooled = seedPatchMean([{ seed: 1, values: rows.map((r) => r.values).reduce((p, q) => p.map((v, i) => v + q[i] / 3), new Array<number>(n).fill(0)) }]);
  assert.ok(pooled.ci95[1] - pooled.ci95[0] < 0.1, `${pooled.ci95}`);
});

test('differences pair by seed over the seeds both sides have; none in common or mismatched patches are refused', () => {
  const v = (x: number) => [x, x + 1, x + 2];
  const d = seedPatchDifference([{ seed: 1, values: v(5) }, { seed: 2, values: v(7) }, { seed: 3, values: v(9) }], [{ seed: 2, values: v(1) }, { seed: 3, values: v(2) }]);
  assert.deepEqual(d.seeds, [2, 3]);
  assert.ok(Math.abs(d.value - (6 + 7) / 2) < 1e-12);
  assert.throws(() => seedPatchDifference([{ seed: 1, values: v(0) }], [{ seed: 2, values: v(0) }]), /share no training seed/);
  assert.throws(() => seedPatchMean([{ seed: 1, values: v(0) }, { seed: 2, values: [1, 2] }]), /same 3 patches/);
  assert.throws(() => seedPatchMean([{ seed: 1, values: v(0) }, { seed: 1, values: v(1) }]), /seed 1 twice/);
  assert.throws(() => seedPatchMean([{ seed: 1, values: [1, Number.NaN] }]), /finite/);
  assert.throws(() => seedPatchMean([]), /at least one seed/);
});

test('seedText names the seeds behind a claim', () => {
  assert.equal(seedText([[1, 2, 3], [1, 2, 3]]), '3 training seeds per compared model (1, 2, 3), paired by seed');
  assert.equal(seedText([[1]]), 'one training seed per compared model (1), paired by seed');
  assert.match(seedText([[1], [1, 2, 3]]), /^1–3 training seeds per part/);
});
