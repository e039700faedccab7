import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import {
  type ModulationOrder, constellation, modulate, demodulateHard, demodulateLlr, hardDecision, randomBits,
  hammingDistance, awgn, rayleigh, equalize, averagePower, normalizePower,
} from '../../lib/channels/index.js';

const ORDERS: ModulationOrder[] = [2, 4, 16, 64];

test('constellations have unit average energy and lie on the (2l−L+1)·d grid', () => {
  for (const M of ORDERS) {
    const c = constellation(M);
    let e = 0;
    for (let s = 0; s < M; s++) e += c.re[s] ** 2 + c.im[s] ** 2;
    assert.ok(Math.abs(e / M - 1) < 1e-12, `M=${M} energy ${e / M}`);
    // closed-form spacing: 2(M−1)/3 is the energy of the odd-integer grid
    const d = M === 2 ? 1 : Math.sqrt(3 / (2 * (M - 1)));
    for (let s = 0; s < M; s++) {
      for (const v of [c.re[s], c.im[s]]) {
        const u = v / d;
        if (M === 2 && v === 0) continue;
        assert.ok(Math.abs(Math.abs(u) % 2 - 1) < 1e-9, `M=${M} coordinate ${v} is not an odd multiple of d`);
      }
    }
    const keys = new Set(Array.from({ length: M }, (_, s) => `${c.re[s].toFixed(9)},${c.im[s].toFixed(9)}`));
    assert.equal(keys.size, M, 'points are distinct');
  }
});

test('Gray mapping: nearest neighbours differ in exactly one bit', () => {
  for (const M of ORDERS) {
    const c = constellation(M);
    let dmin = Infinity;
    for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) dmin = Math.min(dmin, Math.hypot(c.re[a] - c.re[b], c.im[a] - c.im[b]));
    let pairs = 0;
    for (let a = 0; a < M; a++) {
      for (let b = a + 1; b < M; b++) {
        if (Math.abs(Math.hypot(c.re[a] - c.re[b], c.im[a] - c.im[b]) - dmin) < 1e-9) {
          pairs++;
          assert.equal(hammingDistance(a, b), 1, `M=${M}: labels ${a} and ${b} are adjacent`);
        }
      }
    }
    const L = Math.sqrt(M);
    const expected = M === 2 ? 1 : 2 * L * (L - 1); // horizontal + vertical neighbours of an L×L grid
    assert.equal(pairs, expected);
  }
});

test('modulate follows the label order, MSB first', () => {
  const c = constellation(16);
  const x = modulate(Uint8Array.from([1, 0, 1, 1]), 16); // label 0b1011 = 11
  assert.equal(x.re[0], c.re[11]);
  assert.equal(x.im[0], c.im[11]);
  const b = modulate(Uint8Array.from([0, 1]), 2);
  assert.deepEqual([...b.re], [1, -1]);
});

function bruteNearest(M: ModulationOrder, yr: number, yi: number): number {
  const c = constellation(M);
  let best = 0;
  let bd = Infinity;
  for (let s = 0; s < M; s++) {
    const d = (yr - c.re[s]) ** 2 + (yi - c.im[s]) ** 2;
    if (d < bd) { bd = d; best = s; }
  }
  return best;
}

test('hard demapper equals brute-force minimum distance over the whole constellation', () => {
  const rng = new Rng(11);
  for (const M of ORDERS) {
    const k = Math.log2(M);
    const n = 2000;
    const y = { re: new Float64Array(n), im: new Float64Array(n) };
    for (let i = 0; i < n; i++) { y.re[i] = 1.6 * rng.normal(); y.im[i] = M === 2 ? 0 : 1.6 * rng.normal(); }
    const bits = demodulateHard(y, M);
    for (let i = 0; i < n; i++) {
      const s = bruteNearest(M, y.re[i], y.im[i]);
      for (let b = 0; b < k; b++) assert.equal(bits[i * k + b], (s >> (k - 1 - b)) & 1);
    }
  }
});

test('exact and max-log LLRs equal brute-force sums over the full 2-D constellation', () => {
  const rng = new Rng(12);
  for (const M of ORDERS) {
    const c = constellation(M);
    const k = Math.log2(M);
    const n = 200;
    const n0 = 0.3;
    const y = { re: new Float64Array(n), im: new Float64Array(n) };
    for (let i = 0; i < n; i++) { y.re[i] = 1.3 * rng.normal(); y.im[i] = 1.3 * rng.normal(); }
    const ex = demodulateLlr(y, M, n0, { method: 'exact' });
    const ml = demodulateLlr(y, M, n0, { method: 'maxlog' });
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < k; b++) {
        let s0 = 0, s1 = 0, m0 = -Infinity, m1 = -Infinity;
        for (let s = 0; s < M; s++) {
          const m = -((y.re[i] - c.re[s]) ** 2 + (y.im[i] - c.im[s]) ** 2) / n0;
          if ((s >> (k - 1 - b)) & 1) { s1 += Math.exp(m); m1 = Math.max(m1, m); } else { s0 += Math.exp(m); m0 = Math.max(m0, m); }
        }
        const want = Math.log(s0 / s1);
        assert.ok(Math.abs(ex[i * k + b] - want) < 1e-9 * Math.max(1, Math.abs(want)), `M=${M} exact ${ex[i * k + b]} vs ${want}`);
        assert.ok(Math.abs(ml[i * k + b] - (m0 - m1)) < 1e-9 * Math.max(1, Math.abs(m0 - m1)), `M=${M} maxlog`);
      }
    }
  }
});

test('BPSK exact LLR is 4·Re(y)/N0', () => {
  const y = { re: Float64Array.from([0.3, -1.2, 2]), im: Float64Array.from([5, -5, 0]) };
  const l = demodulateLlr(y, 2, 0.5);
  [0.3, -1.2, 2].forEach((v, i) => assert.ok(Math.abs(l[i] - (4 * v) / 0.5) < 1e-12));
});

test('max-log LLR sign equals the hard decision; exact LLR sign too outside a ln(L/2) band', () => {
  const rng = new Rng(13);
  for (const M of ORDERS) {
    const bits = randomBits(Math.log2(M) * 3000, { rng });
    const x = modulate(bits, M);
    const a = awgn(x, { snrDb: 8, rng });
    assert.deepEqual(hardDecision(demodulateLlr(a.y, M, a.noiseVar, { method: 'maxlog' })), demodulateHard(a.y, M));
    // exact (bit-wise MAP) LLRs may differ in sign from the symbol-wise decision only where
    // |max-log LLR| ≤ ln(L/2): the two differ by at most the log of the number of levels per bit group
    const hard = demodulateHard(a.y, M);
    const ml = demodulateLlr(a.y, M, a.noiseVar, { method: 'maxlog' });
    const ex = demodulateLlr(a.y, M, a.noiseVar);
    const bound = Math.log(Math.max(1, Math.sqrt(M) / 2)) + 1e-9;
    for (let i = 0; i < ex.length; i++) {
      assert.ok(Math.abs(ex[i] - ml[i]) <= bound, `|exact − maxlog| ≤ ln(L/2) for M=${M}`);
      if (Math.abs(ml[i]) > bound) assert.equal(ex[i] < 0 ? 1 : 0, hard[i]);
    }
    const r = rayleigh(x, { snrDb: 8, rng });
    assert.deepEqual(hardDecision(demodulateLlr(r.y, M, r.noiseVar, { h: r.h, method: 'maxlog' })), demodulateHard(r.y, M, { h: r.h }));
    // second route: zero-forcing equalisation first, then CSI-free demapping with per-symbol noise
    const eq = equalize(r.y, r.h, r.noiseVar);
    assert.deepEqual(demodulateHard(eq.y, M), demodulateHard(r.y, M, { h: r.h }));
    const l1 = demodulateLlr(eq.y, M, eq.noiseVar);
    const l2 = demodulateLlr(r.y, M, r.noiseVar, { h: r.h });
    for (let i = 0; i < l1.length; i++) assert.ok(Math.abs(l1[i] - l2[i]) < 1e-8 * Math.max(1, Math.abs(l2[i])));
  }
});

test('noise-free round trip and power normalisation', () => {
  const rng = new Rng(14);
  for (const M of ORDERS) {
    const bits = randomBits(Math.log2(M) * 500, { rng });
    assert.deepEqual(demodulateHard(modulate(bits, M), M), bits);
  }
  const x = { re: Float64Array.from([3, -3, 0]), im: Float64Array.from([0, 4, 4]) };
  assert.ok(Math.abs(averagePower(normalizePower(x)) - 1) < 1e-12);
});

test('bad arguments throw RangeError naming the argument', () => {
  assert.throws(() => constellation(8 as ModulationOrder),
    (e: Error) => e instanceof RangeError && /\bM\b/.test(e.message));
  assert.throws(() => modulate(new Uint8Array(5), 4),
    (e: Error) => e instanceof RangeError && /bits\.length/.test(e.message));
  assert.throws(() => modulate(Uint8Array.from([0, 2]), 4),
    (e: Error) => e instanceof RangeError && /bits\[1\]/.test(e.message));
  const y = { re: new Float64Array(2), im: new Float64Array(2) };
  assert.throws(() => demodulateLlr(y, 4, 0), (e: Error) => e instanceof RangeError && /noiseVar/.test(e.message));
  assert.throws(() => demodulateLlr(y, 4, 1, { h: { re: new Float64Array(3), im: new Float64Array(3) } }),
    (e: Error) => e instanceof RangeError && /\bh\b/.test(e.message));
  assert.throws(() => demodulateHard({ re: new Float64Array(2), im: new Float64Array(3) }, 4),
    (e: Error) => e instanceof RangeError && /y\.re/.test(e.message));
  assert.throws(() => awgn(y, { snrDb: NaN, rng: new Rng(1) }),
    (e: Error) => e instanceof RangeError && /snrDb/.test(e.message));
  assert.throws(() => awgn(y, { snrDb: Infinity, rng: new Rng(1) }),
    (e: Error) => e instanceof RangeError && /snrDb/.test(e.message));
});
