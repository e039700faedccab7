/**
 * The ZEPE claims (lib/papers/zepe/claims.ts) on synthetic typed results: for every claim, inputs for which the
 * verdict comes out reproduced, partly and/or not reproduced (passed/failed for identity checks), and the numbers
 * each claim reports, checked against references computed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { frechetDistance, frechetReference, gaussianFit } from '../../lib/metrics/index.js';
import {
  claims, PERCEPTION_D, GENERATOR_GAP_TOLERANCE, SUPPORT_EXIT_TOL, type Fig1Summary, type HybridClaimInput, type HybridItems, type HybridRow, type Lemma2Row, type RateGapRow,
  type RatioRow, type ZepeResults,
} from '../../lib/papers/zepe/index.js';
import type { Claim } from '../../lib/workbook/index.js';

const FIG1: Fig1Summary = {
  pointsConventional: 317, pointsZepe: 441, hx: 2.3983, dmaxConventional: 0.9333, dmaxZepe: 1.7778,
  supportExit: { distortion: 0.18917, beta: 2.4785, letter: 0, rate: 1.0016, residual: 2e-16, iterations: 43 },
  klInfiniteFromDistortion: 0.1941, klFiniteUpToDistortion: 0.19, maxFiniteKL: 0.7, maxZepeKL: 2e-16,
  minRateGapZepeMinusConventional: 1e-12, allConverged: true,
};

const gap = (distortion: number, g: number, hw = 1e-9): RateGapRow => ({ distortion, zepe_rate: 1 + g, conventional_rate: 1, gap_bits: g, half_width_bits: hw });
const GAPS = [gap(0.25, 0.3), gap(0.5, 0.25), gap(1, 0.12)];

const l2 = (lambda: number, rowErr: number, exactRow = 1e-15, exactMarg = 1e-13): Lemma2Row => ({
  lambda, closed_form_max_row_sum_error: rowErr, closed_form_max_marginal_error: 1e-16, exact_max_row_sum_error: exactRow,
  exact_max_marginal_error: exactMarg, exact_rate_bits: 1, exact_distortion: 0.5,
});
const ERRATUM = [l2(0.3, 0.15), l2(1, 0.3), l2(4, 0.42)];

const ratio = (rate: number, discrete: number, fitErr = 5e-5): RatioRow => ({ rate, ratio_discrete: discrete, ratio_closed_form: discrete, zepe_vs_closed_form: 1 + fitErr });
const GAUSS = [ratio(0.1, 1.6), ratio(1, 1.2), ratio(2, 1.05)];

const FEATURE_DIM = 3;
const N = 200;

/** Features N×3 around a shifted mean (seeded). */
function features(shift: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: N * FEATURE_DIM }, (_, k) => (k % FEATURE_DIM === 0 ? shift : 0) + rng.normal());
}

/** Per-image MSE of a row: base + 0.01·noise (shared noise across rows, so paired differences are tight). */
function mses(base: number, seed = 1): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: N }, () => Math.max(0, base + 0.01 * rng.normal()));
}

const correctOf = (k: number): Uint8Array => Uint8Array.from({ length: N }, (_, i) => (i < k ? 1 : 0));

function row(mode: HybridRow['mode'], d: number | null, accuracy: number | null): HybridRow {
  return {
    dataset: 'mnist', mode, d, ratio: d === null ? null : d / 784, nTest: N, mse: 0, mseLo: 0, mseHi: 0, psnr: 0, psnrLo: 0, psnrHi: 0,
    ssim: 0, ssimLo: 0, ssimHi: 0, accuracy, accuracyLo: null, accuracyHi: null, correct: null, featureFrechet: null,
    featureFrechetLo: null, featureFrechetHi: null, pixelDistance: 0,
  };
}

interface HybridSpec {
  /** Mean per-image MSE at each d (ascending d). */
  mse: Record<number, number>;
  /** Correct at d = 0, of N. */
  k0?: number;
  realAccuracy?: number;
  /** Feature shifts of x̃ at d = 0 and d = PERCEPTION_D (reference at 0). */
  shift0?: number;
  shiftD?: number;
  /** Feature shift of the real test digits ('original' row; reference at 0). */
  shiftReal?: number;
  modes?: readonly ('per-class' | 'pooled')[];
}

function hybrid(s: HybridSpec): HybridClaimInput {
  const modes = s.modes ?? ['per-class', 'pooled'];
  const mnist = s.k0 !== undefined;
  const ds = Object.keys(s.mse).map(Number).sort((a, b) => a - b);
  const rows: HybridRow[] = [row('original', null, mnist ? (s.realAccuracy ?? 0.97) : null)];
  const items: HybridItems[] = [{ mode: 'original', d: null, mse: new Float64Array(N), ssim: new Float64Array(N).fill(1), correct: null, features: mnist ? features(s.shiftReal ?? 0.4, 7) : null }];
  for (const mode of modes) {
    for (const d of ds) {
      rows.push(row(mode, d, null));
      items.push({
        mode, d, mse: mses(s.mse[d]), ssim: new Float64Array(N),
        correct: mnist ? correctOf(d === 0 ? (s.k0 as number) : N) : null,
        features: mnist ? features(d === 0 ? (s.shift0 ?? 0) : d === PERCEPTION_D ? (s.shiftD ?? 0) : 0, 7) : null,
      });
    }
  }
  return { rows, items, nTest: N, featureDim: mnist ? FEATURE_DIM : null, reference: mnist ? frechetReference(features(0, 99), FEATURE_DIM) : null };
}

const MNIST_OK: HybridSpec = { mse: { 0: 0.08, 20: 0.03, 50: 0.015 }, k0: 180, realAccuracy: 0.9, shift0: 0.5, shiftD: 2 };
const PHOTOS_OK: HybridSpec = { mse: { 0: 0.05, 16: 0.02, 64: 0.01 }, modes: ['pooled'] };

function results(over: Partial<ZepeResults> = {}): ZepeResults {
  return { fig1: FIG1, rateGaps: GAPS, erratum: ERRATUM, gaussian: GAUSS, mnist: hybrid(MNIST_OK), photos: hybrid(PHOTOS_OK), ...over };
}

const byId = (cs: Claim[], id: string): Claim => {
  const c = cs.find((x) => x.id === id);
  assert.ok(c, `claim ${id}`);
  return c;
};
const verdictOf = (over: Partial<ZepeResults>, id: string) => byId(claims(results(over)), id).verdict;

test('every claim id is produced once, paper claims before identity checks', () => {
  const cs = claims(results());
  assert.deepEqual(cs.map((c) => c.id), [
    'zepe-rate-higher', 'conv-kl-high', 'lemma2', 'hybrid-detail', 'hybrid-detail-photos', 'hybrid-semantics', 'hybrid-perception', 'generator-gap',
    'zepe-kl-zero', 'zepe-exact-constraints', 'double-mse',
  ]);
  assert.deepEqual(cs.map((c) => c.kind), ['claim', 'claim', 'claim', 'claim', 'claim', 'claim', 'claim', 'claim', 'identity', 'identity', 'identity']);
  assert.equal(byId(cs, 'hybrid-detail').n, N);
});

test('zepe-rate-higher: positive gaps beyond the solver accuracy reproduce; a gap inside it does not', () => {
  const c = byId(claims(results()), 'zepe-rate-higher');
  assert.equal(c.verdict, 'reproduced');
  assert.deepEqual(c.parts.map((p) => p.ours), [0.3, 0.25, 0.12]);
  assert.deepEqual(c.parts[0].interval, [0.3 - 1e-9, 0.3 + 1e-9]);
  assert.equal(verdictOf({ rateGaps: [gap(0.25, 0.3), gap(1.7, 1e-10, 1e-9)] }, 'zepe-rate-higher'), 'partly');
  assert.equal(verdictOf({ rateGaps: [gap(0.25, -0.1), gap(0.5, 0)] }, 'zepe-rate-higher'), 'not reproduced');
});

test('conv-kl-high: the exact D* inside (0, D_max) reproduces; D* at D_max is partly; without D* the grid bracket is used', () => {
  const c = byId(claims(results()), 'conv-kl-high');
  assert.equal(c.verdict, 'reproduced');
  assert.equal(c.parts[0].ours, 0.18917);
  assert.deepEqual(c.parts[0].interval, [0.18917 - SUPPORT_EXIT_TOL, 0.18917 + SUPPORT_EXIT_TOL]);
  assert.ok(Math.abs(c.parts[1].ours - (0.9333 - 0.18917)) < 1e-15);
  assert.match(c.method, /Kuhn–Tucker/);
  // the letter leaves only at D_max (a binary source): KL finite up to the rate-0 point, so nothing above D*
  const atMax = { ...FIG1.supportExit!, distortion: FIG1.dmaxConventional };
  assert.equal(verdictOf({ fig1: { ...FIG1, supportExit: atMax } }, 'conv-kl-high'), 'partly');
  // no exact value: the grid bracket
  const grid = { ...FIG1, supportExit: null };
  const g = byId(claims(results({ fig1: grid })), 'conv-kl-high');
  assert.equal(g.verdict, 'reproduced');
  assert.ok(Math.abs(g.parts[0].ours - (0.19 + 0.1941) / 2) < 1e-15);
  assert.ok(Math.abs(g.parts[1].ours - (0.9333 - (0.19 + 0.1941) / 2)) < 1e-15);
  assert.equal(verdictOf({ fig1: { ...grid, klInfiniteFromDistortion: null, klFiniteUpToDistortion: null } }, 'conv-kl-high'), 'partly');
  assert.equal(verdictOf({ fig1: { ...grid, klInfiniteFromDistortion: 0.05, klFiniteUpToDistortion: 0 } }, 'conv-kl-high'), 'partly');
});

test('lemma2: row-sum errors far above rounding are not reproduced; rows summing to 1 would be', () => {
  const c = byId(claims(results()), 'lemma2');
  assert.equal(c.verdict, 'not reproduced');
  assert.equal(c.paper, 0);
  assert.deepEqual(c.parts.map((p) => p.ours), [0.15, 0.3, 0.42]);
  assert.equal(verdictOf({ erratum: [l2(0.3, 1e-14), l2(1, 0)] }, 'lemma2'), 'reproduced');
  assert.equal(verdictOf({ erratum: [l2(0.3, 1e-14), l2(1, 0.2)] }, 'lemma2'), 'partly');
});

test('hybrid-detail (and -photos): MSE falling at every step reproduces; a flat step is partly; rising is not', () => {
  const cs = claims(results());
  const c = byId(cs, 'hybrid-detail');
  assert.equal(c.verdict, 'reproduced');
  // Reference: the mean of the paired per-image differences, computed here.
  const want = mses(0.03).reduce((s, v, i) => s + v - mses(0.08)[i], 0) / N;
  assert.ok(Math.abs(c.parts[0].ours - want) < 1e-12, `${c.parts[0].ours} vs ${want}`);
  assert.match(c.parts[0].label, /per-class/);
  assert.equal(byId(cs, 'hybrid-detail-photos').verdict, 'reproduced');
  assert.match(byId(cs, 'hybrid-detail-photos').parts[0].label, /pooled/);
  assert.equal(verdictOf({ mnist: hybrid({ ...MNIST_OK, mse: { 0: 0.08, 20: 0.03, 50: 0.03 } }) }, 'hybrid-detail'), 'partly');
  assert.equal(verdictOf({ photos: hybrid({ ...PHOTOS_OK, mse: { 0: 0.01, 16: 0.02, 64: 0.05 } }) }, 'hybrid-detail-photos'), 'not reproduced');
});

/** P(X ≥ k) and P(X ≤ k) for X ~ Binomial(n, p), by direct summation of the pmf (independent of lib/metrics). */
function tails(k: number, n: number, p: number): { ge: number; le: number } {
  const pmf: number[] = [(1 - p) ** n];
  for (let j = 1; j <= n; j++) pmf.push(pmf[j - 1] * ((n - j + 1) / j) * (p / (1 - p)));
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  return { ge: sum(pmf.slice(k)), le: sum(pmf.slice(0, k + 1)) };
}

test('hybrid-semantics: exact binomial interval; containing the real-digit accuracy, above chance only, or at chance', () => {
  const c = byId(claims(results()), 'hybrid-semantics');
  assert.equal(c.verdict, 'reproduced'); // 180/200 = 0.9 and the real digits' 0.9
  assert.equal(c.ours, 0.9);
  assert.equal(c.paper, 0.9);
  const [lo, hi] = c.interval;
  assert.ok(Math.abs(tails(180, N, lo).ge - 0.025) < 1e-6, `P(X ≥ 180 | lo) = ${tails(180, N, lo).ge}`);
  assert.ok(Math.abs(tails(180, N, hi).le - 0.025) < 1e-6, `P(X ≤ 180 | hi) = ${tails(180, N, hi).le}`);
  assert.equal(verdictOf({ mnist: hybrid({ ...MNIST_OK, k0: 150, realAccuracy: 0.97 }) }, 'hybrid-semantics'), 'partly');
  assert.equal(verdictOf({ mnist: hybrid({ ...MNIST_OK, k0: 10, realAccuracy: 0.97 }) }, 'hybrid-semantics'), 'not reproduced');
});

test('hybrid-perception: x̃ further from the reference than x̂ reproduces; closer is not reproduced', () => {
  const r = hybrid(MNIST_OK);
  const c = byId(claims(results({ mnist: r })), 'hybrid-perception');
  assert.equal(c.verdict, 'reproduced');
  // Reference: the two Fréchet distances of the Gaussian fits (frechetDistance, checked against closed forms in metrics-frechet).
  const ref = gaussianFit(features(0, 99), FEATURE_DIM);
  const dist = (shift: number) => {
    const f = gaussianFit(features(shift, 7), FEATURE_DIM);
    return frechetDistance(f.mean, f.cov, ref.mean, ref.cov);
  };
  assert.ok(Math.abs(c.ours - (dist(2) - dist(0.5))) < 1e-9, `${c.ours}`);
  assert.match(c.parts[0].label, new RegExp(`d = ${PERCEPTION_D}`));
  assert.match(c.statement, /pooled/);
  assert.equal(verdictOf({ mnist: hybrid({ ...MNIST_OK, shift0: 2, shiftD: 0.5 }) }, 'hybrid-perception'), 'not reproduced');
});

test('identity checks: zepe-kl-zero, zepe-exact-constraints and double-mse pass within tolerance and fail outside', () => {
  const cs = claims(results());
  for (const id of ['zepe-kl-zero', 'zepe-exact-constraints', 'double-mse']) assert.equal(byId(cs, id).verdict, 'passed', id);
  assert.equal(byId(cs, 'zepe-kl-zero').ours, 2e-16);
  assert.equal(verdictOf({ fig1: { ...FIG1, maxZepeKL: 1e-3 } }, 'zepe-kl-zero'), 'failed');
  assert.equal(verdictOf({ erratum: [l2(1, 0.3, 1e-15, 1e-4)] }, 'zepe-exact-constraints'), 'failed');
  assert.equal(verdictOf({ gaussian: [ratio(0.05, 2.1)] }, 'double-mse'), 'failed');
  assert.equal(verdictOf({ gaussian: [ratio(0.05, 1.5, 0.01)] }, 'double-mse'), 'failed');
  const dm = byId(cs, 'double-mse');
  assert.equal(dm.parts[0].ours, 0);
  assert.ok(Math.abs(dm.parts[1].ours - 5e-5) < 1e-15);
});

test('generator-gap: Fréchet(x̂) − 2·Fréchet(real) below 0 reproduces (gap within the real-vs-real level); a far generator does not', () => {
  const ref = gaussianFit(features(0, 99), FEATURE_DIM);
  const dist = (shift: number) => {
    const f = gaussianFit(features(shift, 7), FEATURE_DIM);
    return frechetDistance(f.mean, f.cov, ref.mean, ref.cov);
  };
  const near = byId(claims(results({ mnist: hybrid({ ...MNIST_OK, shift0: 0.5, shiftReal: 0.4 }) })), 'generator-gap');
  assert.ok(Math.abs(near.ours - (dist(0.5) - (1 + GENERATOR_GAP_TOLERANCE) * dist(0.4))) < 1e-9, `${near.ours}`);
  assert.equal(near.verdict, 'reproduced');
  assert.equal(verdictOf({ mnist: hybrid({ ...MNIST_OK, shift0: 2, shiftReal: 0.4 }) }, 'generator-gap'), 'not reproduced');
});
