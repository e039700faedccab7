/** Fréchet and per-pixel-statistics distances of lib/metrics/frechet.ts against closed forms, and their bootstrap intervals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, type SymMatrix } from '../../lib/core/index.js';
import { randomOrthogonal, fromEigen } from '../helpers/matrices.js';
import {
  frechetDistance, frechetReference, frechetToReference, frechetBootstrap, pairedFrechetBootstrap, gaussianFit, pixelStatsDistance,
} from '../../lib/metrics/index.js';


test('frechetDistance and pixelStatsDistance match closed forms', () => {
  // Commuting covariances: ‖Δμ‖² + Σ (√a_i − √b_i)².
  const m1 = Float64Array.from([0, 1]), m2 = Float64Array.from([2, 1]);
  const c1 = { data: Float64Array.from([4, 0, 0, 1]), n: 2 }, c2 = { data: Float64Array.from([1, 0, 0, 9]), n: 2 };
  assert.ok(Math.abs(frechetDistance(m1, c1, m2, c2) - (4 + 1 + 4)) < 1e-12);
  // Rotated versions of the same Gaussian pair: the distance is rotation invariant.
  const q = randomOrthogonal(2, new Rng(2));
  const rot = (c: SymMatrix) => fromEigen(q, [c.data[0], c.data[3]]);
  const rm = (m: Float64Array) => Float64Array.from([0, 1], (i) => q[i] * m[0] + q[2 + i] * m[1]); // Qᵀm
  assert.ok(Math.abs(frechetDistance(rm(m1), rot(c1), rm(m2), rot(c2)) - 9) < 1e-9);
  assert.ok(frechetDistance(m1, c1, m1, c1) < 1e-12);
  // Two pixels; a: means (0.5, 0), sds (0.5, 0); b: means (0.5, 1), sds (0, 0) → ((0 + 0.25) + (1 + 0)) / 2.
  const a = [0, 0, 1, 0], b = [0.5, 1, 0.5, 1];
  assert.ok(Math.abs(pixelStatsDistance(a, b, 2) - 0.625) < 1e-12);
});

/** N rows of an n-dim Gaussian N(mean, diag(sd²)), seeded. */
function sample(N: number, mean: number[], sd: number[], seed: number): Float64Array {
  const rng = new Rng(seed);
  const n = mean.length;
  return Float64Array.from({ length: N * n }, (_, k) => mean[k % n] + sd[k % n] * rng.normal());
}

test('frechetToReference equals frechetDistance of the two fits; its bootstrap interval covers it', () => {
  const ref = sample(400, [0, 0, 0], [1, 1, 1], 1);
  const a = sample(300, [1, 0, 0], [1, 2, 1], 2);
  const r = frechetReference(ref, 3);
  const fa = gaussianFit(a, 3), fr = gaussianFit(ref, 3);
  const direct = frechetDistance(fa.mean, fa.cov, fr.mean, fr.cov);
  assert.ok(Math.abs(frechetToReference(a, 3, r) - direct) < 1e-10);
  const e = frechetBootstrap(a, 3, r, { resamples: 100, seed: 3 });
  assert.equal(e.value, frechetToReference(a, 3, r));
  assert.equal(e.n, 300);
  assert.ok(e.ci95[0] < e.value && e.value < e.ci95[1], `${e.ci95}`);
  // Closed form for the population pair: Δμ² = 1, (√4 − √1)² = 1 → 2; the interval should be near it.
  assert.ok(e.ci95[0] < 2.6 && e.ci95[1] > 1.4, `${e.ci95}`);
  assert.deepEqual(frechetBootstrap(a, 3, r, { resamples: 100, seed: 3 }), e, 'seeded: repeatable');
});

test('pairedFrechetBootstrap: a clear difference excludes 0, identical sets give exactly 0', () => {
  const ref = sample(400, [0, 0], [1, 1], 4);
  const r = frechetReference(ref, 2);
  const near = sample(300, [0.1, 0], [1, 1], 5);
  const far = Float64Array.from(near, (v, k) => (k % 2 === 0 ? v + 1.5 : v)); // same items, shifted by 1.5
  const d = pairedFrechetBootstrap(far, near, 2, r, { resamples: 100, seed: 6 });
  assert.ok(d.ci95[0] > 0, `${d.ci95}`);
  assert.ok(Math.abs(d.value - (frechetToReference(far, 2, r) - frechetToReference(near, 2, r))) < 1e-12);
  const same = pairedFrechetBootstrap(near, near, 2, r, { resamples: 100, seed: 6 });
  assert.deepEqual([same.value, ...same.ci95], [0, 0, 0]);
  assert.throws(() => pairedFrechetBootstrap(far, near.subarray(0, 20), 2, r), RangeError);
});

test('pairedFrechetBootstrap weightB: estimates Fréchet(a) − w·Fréchet(b); w·(same set) cancels only at w = 1', () => {
  const r = frechetReference(sample(400, [0, 0], [1, 1], 4), 2);
  const near = sample(300, [0.3, 0], [1, 1], 5);
  const far = Float64Array.from(near, (v, k) => (k % 2 === 0 ? v + 1.5 : v));
  const d = pairedFrechetBootstrap(far, near, 2, r, { resamples: 100, seed: 6, weightB: 2 });
  assert.ok(Math.abs(d.value - (frechetToReference(far, 2, r) - 2 * frechetToReference(near, 2, r))) < 1e-12);
  // a − 2a = −a: the interval of −Fréchet(a), i.e. the mirror image of frechetBootstrap's spread around −value
  const self = pairedFrechetBootstrap(near, near, 2, r, { resamples: 100, seed: 6, weightB: 2 });
  assert.ok(Math.abs(self.value + frechetToReference(near, 2, r)) < 1e-12 && self.ci95[0] < self.value && self.value < self.ci95[1]);
  assert.throws(() => pairedFrechetBootstrap(far, near, 2, r, { weightB: NaN }), /weightB/);
});
