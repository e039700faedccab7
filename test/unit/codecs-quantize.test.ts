/**
 * lib/codecs/quantize.ts against independent truth: the ranges are mean ± 3·sd computed by a second formula, every
 * reconstruction is the nearest of the 2^b levels found by brute force, in-range errors stay within Δ/2, out-of-range
 * values go to the end levels, and a vector costs dim·b bits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { fitScalarQuantizer, scalarQuantize } from '../../lib/codecs/index.js';

test('fitScalarQuantizer: range = mean ± spread·sd (sample sd, n − 1)', () => {
  const rows = Float64Array.of(1, 10, 3, 10, 5, 10, 7, 10); // column 0: 1, 3, 5, 7 (mean 4, sd √(20/3)); column 1 constant
  const q = fitScalarQuantizer(rows, 2, { bits: 3, spread: 2 });
  const sd = Math.sqrt(20 / 3);
  assert.ok(Math.abs(q.lo[0] - (4 - 2 * sd)) < 1e-12 && Math.abs(q.hi[0] - (4 + 2 * sd)) < 1e-12);
  assert.ok(q.hi[1] > q.lo[1] && Math.abs((q.lo[1] + q.hi[1]) / 2 - 10) < 1e-12, 'a constant column gets a tiny range around its value');
});

test('scalarQuantize: nearest level by brute force, error ≤ Δ/2 inside, clamped outside, dim·bits bits', () => {
  const rng = new Rng(4);
  const dim = 5;
  const rows = Float64Array.from({ length: 400 * dim }, () => rng.normal() * 2 + 1);
  for (const bits of [1, 2, 4, 6]) {
    const q = fitScalarQuantizer(rows, dim, { bits });
    const out = scalarQuantize(q, rows);
    assert.equal(out.bitsPerVector, dim * bits);
    const K = 2 ** bits;
    let clamped = 0;
    for (let i = 0; i < 400; i++) {
      for (let j = 0; j < dim; j++) {
        const v = rows[i * dim + j];
        const step = (q.hi[j] - q.lo[j]) / K;
        const levels = Array.from({ length: K }, (_, k) => q.lo[j] + (k + 0.5) * step);
        let best = 0;
        for (let k = 1; k < K; k++) if (Math.abs(levels[k] - v) < Math.abs(levels[best] - v)) best = k;
        const idx = out.indices[i * dim + j];
        assert.ok(idx < K);
        // ties (v exactly on a cell edge) may go either way: compare distances, not indices
        assert.ok(Math.abs(Math.abs(levels[idx] - v) - Math.abs(levels[best] - v)) < 1e-9, `bits ${bits}: level ${idx} is not the nearest to ${v}`);
        assert.ok(Math.abs(out.values[i * dim + j] - levels[idx]) < 1e-5);
        if (v >= q.lo[j] && v <= q.hi[j]) assert.ok(Math.abs(out.values[i * dim + j] - v) <= step / 2 + 1e-6);
        else { clamped++; assert.equal(idx, v < q.lo[j] ? 0 : K - 1); }
      }
    }
    assert.ok(clamped < 0.01 * 400 * dim, 'about 0.27 % of normal values lie beyond ±3 sd');
  }
});

test('scalarQuantize: mean squared error of a uniform source ≈ Δ²/12 (the high-resolution formula)', () => {
  const rng = new Rng(9);
  const rows = Float64Array.from({ length: 20000 }, () => rng.uniform());
  const q = { dim: 1, bits: 5, lo: Float64Array.of(0), hi: Float64Array.of(1) };
  const out = scalarQuantize(q, rows);
  const mse = rows.reduce((s, v, i) => s + (v - out.values[i]) ** 2, 0) / rows.length;
  const want = (1 / 32) ** 2 / 12;
  assert.ok(Math.abs(mse / want - 1) < 0.05, `mse ${mse} vs Δ²/12 = ${want}`);
});
