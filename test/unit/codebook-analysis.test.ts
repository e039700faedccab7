/**
 * The codebook paper's §III-C analysis (NOTES §D1 eqs. 15–21) against independent truth: enumeration of every
 * bit-error pattern, explicit transition matrices from lib/channels, the pairwise-distance identity computed two
 * ways, Monte-Carlo simulation through lib/channels' BSC, the NOTES §D3 table, and hand-computed K* values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Rng } from '../../lib/core/index.js';
import { bscIndexTransition, bscIndices, randomLabellingTransition } from '../../lib/channels/index.js';
import {
  errorWeightDistribution, indexErrorProbability, pairwiseSquaredDistances, meanDistanceToOthers, codebookSpread,
  channelDistortion, quantize, simulateBscDistortion, channelDistortionOf, lloyd, optimalCodebookSize, usageStats,
  weightedMeanSpread, designEpsilon, indexBits,
} from '../../lib/papers/codebook/index.js';

function randomCodebook(K: number, D: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: K * D }, () => rng.normal());
}

function randomPmf(K: number, rng: Rng): Float64Array {
  const w = Float64Array.from({ length: K }, () => rng.uniform() + 0.05);
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

test('eq. (15): error-weight distribution equals the enumeration of all 2^m error patterns', () => {
  for (const [m, eps] of [[6, 0.205], [4, 0.05], [10, 0.379]] as const) {
    const byWeight = new Float64Array(m + 1);
    for (let pattern = 0; pattern < 2 ** m; pattern++) {
      let p = 1;
      let w = 0;
      for (let b = 0; b < m; b++) {
        const flip = (pattern >> b) & 1;
        p *= flip ? eps : 1 - eps;
        w += flip;
      }
      byWeight[w] += p;
    }
    const got = errorWeightDistribution(m, eps);
    for (let w = 0; w <= m; w++) assert.ok(Math.abs(got[w] - byWeight[w]) < 1e-14, `m ${m} w ${w}: ${got[w]} vs ${byWeight[w]}`);
    // eq. (16): P_e is everything but weight 0
    assert.ok(Math.abs(indexErrorProbability(m, eps) - (1 - byWeight[0])) < 1e-14);
  }
});

test('design ε and P_e reproduce the NOTES §D3 table (Gray 64-QAM, Rayleigh)', () => {
  const table = [
    { snr: 0, eps: 0.379, pe6: 0.94, pe10: 0.99 }, { snr: 10, eps: 0.205, pe6: 0.75, pe10: 0.9 },
    { snr: 20, eps: 0.052, pe6: 0.28, pe10: 0.42 }, { snr: 30, eps: 0.0065, pe6: 0.04, pe10: 0.06 },
  ];
  for (const r of table) {
    const eps = designEpsilon(r.snr);
    assert.ok(Math.abs(eps - r.eps) < 0.0006, `ε(${r.snr} dB) = ${eps}, table ${r.eps}`);
    assert.ok(Math.abs(indexErrorProbability(6, eps) - r.pe6) < 0.006, `P_e(m=6) at ${r.snr} dB`);
    assert.ok(Math.abs(indexErrorProbability(10, eps) - r.pe10) < 0.006, `P_e(m=10) at ${r.snr} dB`);
  }
});

test('identity Σ_{k,j} ‖e_k − e_j‖² = 2K Σ_k ‖e_k − ē‖², and d̄_k is the row mean over the others', () => {
  const rng = new Rng(11);
  const K = 16, D = 5;
  const cb = randomCodebook(K, D, rng);
  const pd = pairwiseSquaredDistances(cb, K, D);
  const lhs = pd.reduce((a, b) => a + b, 0);
  const rhs = 2 * K * codebookSpread(cb, K, D);
  assert.ok(Math.abs(lhs - rhs) < 1e-9 * lhs, `${lhs} vs ${rhs}`);
  // an independent direct d̄_3
  let s = 0;
  for (let j = 0; j < K; j++) {
    if (j === 3) continue;
    for (let d = 0; d < D; d++) s += (cb[3 * D + d] - cb[j * D + d]) ** 2;
  }
  assert.ok(Math.abs(meanDistanceToOthers(cb, K, D)[3] - s / (K - 1)) < 1e-12);
});

test('eq. (18): D_ch equals a double loop over the explicit transition matrices of lib/channels', () => {
  const rng = new Rng(5);
  const K = 32, D = 4, m = 5, eps = 0.13;
  const cb = randomCodebook(K, D, rng);
  const pmf = randomPmf(K, rng);
  for (const model of ['exact', 'random-labelling'] as const) {
    const T = model === 'exact' ? bscIndexTransition(m, eps) : randomLabellingTransition(m, eps);
    let direct = 0;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < K; j++) {
        let d2 = 0;
        for (let d = 0; d < D; d++) d2 += (cb[k * D + d] - cb[j * D + d]) ** 2;
        direct += pmf[k] * T.data[k * K + j] * d2;
      }
    }
    const got = channelDistortion({ codebook: cb, K, D, pmf, eps }, model);
    assert.ok(Math.abs(got - direct) < 1e-10 * direct, `${model}: ${got} vs ${direct}`);
  }
  // (17) turns (18) into P_e Σ p_k d̄_k exactly
  const approx = indexErrorProbability(m, eps) * weightedMeanSpread(cb, K, D, pmf);
  assert.ok(Math.abs(channelDistortion({ codebook: cb, K, D, pmf, eps }, 'random-labelling') - approx) < 1e-12);
});

test('the analytic D_ch lies within the Monte-Carlo interval of a BSC simulation (lib/channels bscIndices)', () => {
  const rng = new Rng(21);
  const K = 64, D = 3, eps = 0.052;
  const cb = randomCodebook(K, D, rng);
  const pmf = randomPmf(K, rng);
  // draw sent indices from the pmf
  const n = 40000;
  const cdf = pmf.reduce<number[]>((acc, p) => [...acc, (acc[acc.length - 1] ?? 0) + p], []);
  const sent = new Uint32Array(n).map(() => {
    const u = rng.uniform();
    const k = cdf.findIndex((c) => u < c);
    return k < 0 ? K - 1 : k;
  });
  const counts = new Float64Array(K);
  sent.forEach((k) => { counts[k]++; });
  const empirical = counts.map((c) => c / n);
  const exact = channelDistortion({ codebook: cb, K, D, pmf: empirical, eps });
  const sim = simulateBscDistortion(sent, cb, K, D, eps, new Rng(99), 3);
  assert.ok(sim.lo <= exact && exact <= sim.hi, `exact ${exact} outside [${sim.lo}, ${sim.hi}]`);
  assert.ok(sim.indexErrorLo <= indexErrorProbability(6, eps) && indexErrorProbability(6, eps) <= sim.indexErrorHi);
});

test('with centroid codewords, the simulated ‖z − e_ĵ‖² matches D_q + D_ch (eq. 20)', () => {
  const rng = new Rng(8);
  const K = 8, D = 2, n = 3000, eps = 0.1;
  const z = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    z[i * D] = 3 * c + rng.normal();
    z[i * D + 1] = (c - 1) * 2 + 0.5 * rng.normal();
  }
  const ll = lloyd(z, D, K, 100, new Rng(3));
  const q = quantize(z, ll.codebook, K, D);
  // centroid condition holds after convergence: every codeword is the mean of its cell
  for (let k = 0; k < K; k++) {
    const members = [...q.indices.keys()].filter((i) => q.indices[i] === k);
    for (let d = 0; d < D; d++) {
      const mean = members.reduce((s, i) => s + z[i * D + d], 0) / members.length;
      assert.ok(Math.abs(mean - ll.codebook[k * D + d]) < 1e-9, `codeword ${k} is not its cell's centroid`);
    }
  }
  const dch = channelDistortion({ codebook: ll.codebook, K, D, pmf: q.pmf, eps });
  const draws = 20;
  const vals: number[] = [];
  const r = new Rng(4);
  for (let t = 0; t < draws; t++) {
    const rx = bscIndices(q.indices, { mBits: 3, eps, rng: r });
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (z[i * D + d] - ll.codebook[rx[i] * D + d]) ** 2;
      vals.push(s);
    }
  }
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1));
  // draws share z, so use the per-vector count for a conservative interval
  const half = (1.96 * sd) / Math.sqrt(n);
  assert.ok(Math.abs(mean - (q.dq + dch)) < half, `simulated ${mean} vs D_q + D_ch = ${q.dq + dch} (±${half})`);
});

test('channelDistortionOf counts only wrong indices and reports the error rate', () => {
  const cb = Float64Array.from([0, 0, 3, 4, 1, 0, 0, 1]); // K = 4, D = 2
  const r = channelDistortionOf([0, 1, 2, 3], [1, 1, 2, 0], cb, 4, 2);
  assert.equal(r.indexErrorRate, 0.5);
  assert.ok(Math.abs(r.mean - (25 + 1) / 4) < 1e-12);
});

test('eq. (21): K* matches hand-computed minima', () => {
  const pts = [{ K: 2, dq: 1, meanSpread: 1 }, { K: 4, dq: 0.5, meanSpread: 1 }, { K: 8, dq: 0.3, meanSpread: 1 }, { K: 16, dq: 0.25, meanSpread: 1 }];
  assert.equal(optimalCodebookSize(pts, 0, 0).K, 16); // no noise, no rate cost: the biggest codebook
  assert.equal(optimalCodebookSize(pts, 0, 0.1).K, 8); // 1.1, 0.7, 0.6, 0.65
  assert.equal(optimalCodebookSize(pts, 0.1, 0).K, 8); // 1.1, 0.69, 0.571, 0.5939
  assert.equal(optimalCodebookSize(pts, 0.3, 0).K, 8); // 1.3, 1.01, 0.957, 1.0099
  assert.equal(optimalCodebookSize(pts, 0.3, 0.5).K, 2); // 1.8, 2.01, 2.457, 3.0099
  const o = optimalCodebookSize(pts, 0.1, 0).objectives[1];
  assert.ok(Math.abs(o.objective - 0.69) < 1e-12);
});

test('usage statistics: perplexity K for uniform use, dead codes counted', () => {
  const u = usageStats([5, 5, 5, 5, 0, 0, 0, 0]);
  assert.equal(u.dead, 4);
  assert.ok(Math.abs(u.perplexity - 4) < 1e-12);
  assert.ok(Math.abs(u.entropyBits - 2) < 1e-12);
});

test('quantize agrees with brute force and Lloyd lowers D_q monotonically in K', () => {
  const rng = new Rng(2);
  const D = 3, n = 500;
  const z = Float64Array.from({ length: n * D }, () => rng.normal());
  const cb = randomCodebook(8, D, rng);
  const q = quantize(z, cb, 8, D);
  let dq = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let k = 0; k < 8; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (z[i * D + d] - cb[k * D + d]) ** 2;
      best = Math.min(best, s);
    }
    dq += best / n;
  }
  assert.ok(Math.abs(q.dq - dq) < 1e-9);
  const dqs = [2, 4, 8, 16].map((K) => lloyd(z, D, K, 15, new Rng(1)).dqTrain);
  dqs.forEach((v, i) => { if (i > 0) assert.ok(v < dqs[i - 1], `D_q(K) not decreasing: ${dqs}`); });
});

test('bad input is refused with a RangeError naming the argument', () => {
  const cb = new Float64Array(6 * 2);
  assert.throws(() => channelDistortion({ codebook: cb, K: 6, D: 2, pmf: new Array(6).fill(1 / 6), eps: 0.1 }), /K must be a power of two/);
  assert.throws(() => channelDistortion({ codebook: new Float64Array(8), K: 4, D: 2, pmf: [0.25, 0.25, 0.25, 0.25], eps: 0.7 }), /eps/);
  assert.throws(() => channelDistortion({ codebook: new Float64Array(8), K: 4, D: 2, pmf: [0.5, 0.5], eps: 0.1 }), /pmf/);
  assert.throws(() => errorWeightDistribution(0, 0.1), /m must be/);
  assert.throws(() => indexBits(48), /K must be a power of two/);
  assert.throws(() => optimalCodebookSize([], 0.1, 0), /points/);
});
