import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import {
  indicesToBits, bitsToIndices, randomBits, bsc, bscIndexTransition, randomLabellingTransition, indexErrorProbability,
  bscIndices, wilsonInterval, hammingDistance, qamBer,
} from '../../lib/channels/index.js';

test('index ↔ bit packing is MSB first and round-trips', () => {
  assert.deepEqual([...indicesToBits([5, 0, 15], 4)], [0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual([...bitsToIndices(Uint8Array.from([1, 0, 1, 1, 1, 0]), 3)], [5, 6]);
  const rng = new Rng(3);
  for (const m of [1, 6, 10, 16, 31]) {
    const idx = Array.from({ length: 500 }, () => Math.floor(rng.uniform() * 2 ** m));
    assert.deepEqual([...bitsToIndices(indicesToBits(idx, m), m)], idx);
    const bits = randomBits(m * 40, { rng });
    assert.deepEqual(indicesToBits(bitsToIndices(bits, m), m), bits);
  }
});

test('BSC flips at rate eps (binomial 99.9 % interval); eps = 0 is the identity', () => {
  const rng = new Rng(4);
  const bits = randomBits(200_000, { rng });
  assert.deepEqual(bsc(bits, { eps: 0, rng }), bits);
  for (const eps of [0.01, 0.2, 0.5]) {
    const out = bsc(bits, { eps, rng });
    let flips = 0;
    for (let i = 0; i < bits.length; i++) flips += bits[i] ^ out[i];
    const [lo, hi] = wilsonInterval(flips, bits.length, 0.999);
    assert.ok(lo <= eps && eps <= hi, `eps=${eps}: ${flips / bits.length}`);
  }
});

test('bscIndexTransition: rows sum to 1, entries ε^d(1−ε)^{m−d}, mean Hamming distance mε', () => {
  for (const [m, eps] of [[3, 0.1], [6, 0.052], [10, 0.3], [4, 0], [4, 0.5]] as const) {
    const P = bscIndexTransition(m, eps);
    const K = 2 ** m;
    assert.equal(P.rows, K);
    assert.equal(P.cols, K);
    for (let k = 0; k < K; k += Math.max(1, K >> 4)) {
      let sum = 0;
      let meanD = 0;
      for (let j = 0; j < K; j++) {
        const p = P.data[k * K + j];
        sum += p;
        let d = 0;
        for (let b = 0; b < m; b++) d += ((k ^ j) >> b) & 1;
        meanD += p * d;
        assert.ok(Math.abs(p - eps ** d * (1 - eps) ** (m - d)) < 1e-15);
      }
      assert.ok(Math.abs(sum - 1) < 1e-12, `row ${k} sums to ${sum}`);
      assert.ok(Math.abs(meanD - m * eps) < 1e-12, 'binomial mean');
    }
  }
});

test('bscIndexTransition agrees with a Monte-Carlo of bit flips (m = 3)', () => {
  const m = 3;
  const eps = 0.15;
  const K = 8;
  const P = bscIndexTransition(m, eps);
  const rng = new Rng(21);
  const per = 40_000;
  for (let k = 0; k < K; k++) {
    // independent route: pack → flip each bit through bsc() → unpack
    const rx = bitsToIndices(bsc(indicesToBits(new Array(per).fill(k), m), { eps, rng }), m);
    const counts = new Array(K).fill(0);
    for (const j of rx) counts[j]++;
    for (let j = 0; j < K; j++) {
      const [lo, hi] = wilsonInterval(counts[j], per, 0.9999); // 64 comparisons
      assert.ok(lo <= P.data[k * K + j] && P.data[k * K + j] <= hi, `P(${j}|${k}) = ${P.data[k * K + j]} vs ${counts[j] / per}`);
    }
  }
  // bscIndices (the index-level sampler) matches the same matrix
  const rx = bscIndices(new Array(per).fill(5), { mBits: m, eps, rng });
  const counts = new Array(K).fill(0);
  for (const j of rx) counts[j]++;
  for (let j = 0; j < K; j++) {
    const [lo, hi] = wilsonInterval(counts[j], per, 0.9999);
    assert.ok(lo <= P.data[5 * K + j] && P.data[5 * K + j] <= hi);
  }
});

test('random-labelling approximation (NOTES eq. 17)', () => {
  const m = 6;
  const eps = 0.052;
  const pe = 1 - (1 - eps) ** m; // eq. (16)
  assert.ok(Math.abs(indexErrorProbability(m, eps) - pe) < 1e-15);
  // NOTES §D3 table (2 decimals): P_e for m = 6 and m = 10 with ε = exact Rayleigh 64-QAM BER
  const table: [number, number, number][] = [[0, 0.94, 0.99], [5, 0.88, 0.97], [10, 0.75, 0.9], [15, 0.52, 0.71], [20, 0.28, 0.42], [25, 0.11, 0.18], [30, 0.04, 0.06]];
  for (const [snr, pe6, pe10] of table) {
    const e = qamBer(64, snr, 'rayleigh');
    assert.ok(Math.abs(indexErrorProbability(6, e) - pe6) <= 0.005, `${snr} dB m=6: ${indexErrorProbability(6, e)}`);
    assert.ok(Math.abs(indexErrorProbability(10, e) - pe10) <= 0.005, `${snr} dB m=10: ${indexErrorProbability(10, e)}`);
  }
  const R = randomLabellingTransition(m, eps);
  assert.deepEqual(R, bscIndexTransition(m, eps, 'random-labelling'));
  const K = 64;
  for (let k = 0; k < K; k++) {
    let sum = 0;
    for (let j = 0; j < K; j++) {
      const want = j === k ? 1 - pe : pe / (K - 1);
      assert.ok(Math.abs(R.data[k * K + j] - want) < 1e-15);
      sum += R.data[k * K + j];
    }
    assert.ok(Math.abs(sum - 1) < 1e-12);
  }
  // the diagonal is exact under both models; at ε = ½ both are uniform
  const E = bscIndexTransition(m, eps);
  assert.ok(Math.abs(E.data[0] - R.data[0]) < 1e-15);
  const U = bscIndexTransition(m, 0.5);
  assert.ok(U.data.every((v) => Math.abs(v - 1 / K) < 1e-15));
});

test('hammingDistance', () => {
  assert.equal(hammingDistance(0b1011, 0b0110), 3);
  assert.equal(hammingDistance(0, 2 ** 31 - 1), 31);
});

test('bad arguments throw RangeError naming the argument', () => {
  const rng = new Rng(1);
  assert.throws(() => bsc(new Uint8Array(4), { eps: 0.6, rng }),
    (e: Error) => e instanceof RangeError && /eps/.test(e.message));
  assert.throws(() => bsc(new Uint8Array(4), { eps: -0.1, rng }),
    (e: Error) => e instanceof RangeError && /eps/.test(e.message));
  assert.throws(() => bscIndexTransition(3, 0.7), (e: Error) => e instanceof RangeError && /eps/.test(e.message));
  assert.throws(() => bscIndexTransition(3, NaN), (e: Error) => e instanceof RangeError && /eps/.test(e.message));
  assert.throws(() => bscIndexTransition(0, 0.1), (e: Error) => e instanceof RangeError && /mBits/.test(e.message));
  assert.throws(() => bscIndexTransition(2.5, 0.1), (e: Error) => e instanceof RangeError && /mBits/.test(e.message));
  assert.throws(() => bitsToIndices(new Uint8Array(7), 3),
    (e: Error) => e instanceof RangeError && /bits\.length/.test(e.message));
  assert.throws(() => indicesToBits([8], 3), (e: Error) => e instanceof RangeError && /indices\[0\]/.test(e.message));
  assert.throws(() => bsc(Uint8Array.from([0, 3]), { eps: 0.1, rng }),
    (e: Error) => e instanceof RangeError && /bits\[1\]/.test(e.message));
});
