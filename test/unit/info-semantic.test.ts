import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zepe, zepeSemantic } from '../../lib/info/index.js';

const close = (a: number, b: number, tol: number, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b} (tol ${tol})`);
const ex1 = { px: [1, 2, 3, 4, 5, 6].map((x) => x / 21), distortion: [1, 2, 3, 4, 5, 6].map((x) => [1, 2, 3, 4, 5, 6].map((y) => 0.4 * (x - y) ** 2)) };
const norm = (w: number[]): number[] => { const s = w.reduce((a, b) => a + b, 0); return w.map((v) => v / s); };

test('zepeSemantic with a single latent value equals plain ZEPE (H(Z) = 0)', () => {
  for (const D of [0.1, 0.6, 1.5]) {
    const s = zepeSemantic({ pz: [1], pxGivenZ: [ex1.px], distortion: ex1.distortion, targetDistortion: D });
    const z = zepe({ ...ex1, targetDistortion: D });
    assert.ok(s.converged);
    assert.equal(s.hz, 0);
    close(s.rateSc, z.rate, 1e-9, 'rate');
    close(s.total, z.rate, 1e-9, 'total');
    close(s.distortion, D, 1e-10);
    close(s.lambda ?? NaN, z.lambda, 1e-6 * z.lambda, 'λ');
    assert.ok(s.perZ[0].marginalResidual < 1e-10 && s.perZ[0].rowSumResidual < 1e-10);
  }
});

test('zepeSemantic: the common-λ split beats every other split of the total distortion (grid search over D(z) with plain ZEPE)', () => {
  const pz = [0.35, 0.65];
  const pxGivenZ = [norm([6, 5, 4, 2, 1, 0.5]), norm([0.2, 1, 1, 3, 4, 6])];
  const D = 0.5;
  const s = zepeSemantic({ pz, pxGivenZ, distortion: ex1.distortion, targetDistortion: D });
  assert.ok(s.converged);
  close(s.distortion, D, 1e-10);
  close(s.hz, -(0.35 * Math.log2(0.35) + 0.65 * Math.log2(0.65)), 1e-12, 'H(Z)');
  close(s.total, s.rateSc + s.hz, 1e-12);
  close(s.rateSc, pz[0] * s.perZ[0].rate + pz[1] * s.perZ[1].rate, 1e-12);
  // second method: split D = Σ p(z) D(z) by hand, solve each z separately, keep the best
  let best = Infinity;
  for (let k = 1; k < 40; k++) {
    const d0 = (k / 40) * 1.4;
    const d1 = (D - pz[0] * d0) / pz[1];
    if (d1 <= 0) continue;
    const r0 = zepe({ px: pxGivenZ[0], distortion: ex1.distortion, targetDistortion: d0 });
    const r1 = zepe({ px: pxGivenZ[1], distortion: ex1.distortion, targetDistortion: d1 });
    const rate = pz[0] * r0.rate + pz[1] * r1.rate;
    assert.ok(rate >= s.rateSc - 1e-9, `split D(0)=${d0} gives ${rate} < ${s.rateSc}`);
    best = Math.min(best, rate);
  }
  close(best, s.rateSc, 2e-3, 'grid optimum is close to the equal-slope optimum');
  // per-z solutions keep their own marginal: Q_Y|Z=z = P(·|z)
  for (const e of s.perZ) assert.ok(e.marginalResidual < 1e-10 && e.rowSumResidual < 1e-10);
});

test('zepeSemantic: targets at or above Σ p(z) D(P_z ⊗ P_z) give λ = 0 and R_sc = 0', () => {
  const s = zepeSemantic({ pz: [0.5, 0.5], pxGivenZ: [[1, 0, 0, 0, 0, 0], norm([0, 1, 1, 1, 1, 1])], distortion: ex1.distortion, targetDistortion: 10 });
  assert.equal(s.lambda, 0);
  assert.ok(s.rateSc < 1e-15);
  close(s.total, 1, 1e-12);
});

test('zepeSemantic rejects bad input with RangeErrors naming the argument', () => {
  const named = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test(e.message);
  const ok = { pz: [0.5, 0.5], pxGivenZ: [ex1.px, ex1.px], distortion: ex1.distortion, targetDistortion: 0.5 };
  assert.throws(() => zepeSemantic({ ...ok, pz: [0.5, 0.6] }), named(/pz/));
  assert.throws(() => zepeSemantic({ ...ok, pz: [1] }), named(/pxGivenZ must have 1 rows/));
  assert.throws(() => zepeSemantic({ ...ok, pxGivenZ: [ex1.px, [0.5, 0.5, 0.5, 0, 0, 0]] }), named(/pxGivenZ\[1\]/));
  assert.throws(() => zepeSemantic({ ...ok, targetDistortion: -1 }), named(/targetDistortion/));
  assert.throws(() => zepeSemantic({ ...ok, distortion: [[0, 1], [1, 0]] }), named(/distortion/));
});

/** Binary source, Hamming, Y ~ P: R_ZEPE(D) = 2h(p) − H(1−p−D/2, D/2, D/2, p−D/2), λ = −½ ln(a²/((1−p−a)(p−a))), a = D/2. */
const H = (ps: number[]): number => -ps.reduce((s, p) => s + (p > 0 ? p * Math.log2(p) : 0), 0);
const binaryZepe = (p: number, D: number): number => 2 * H([p, 1 - p]) - H([1 - p - D / 2, D / 2, D / 2, p - D / 2]);
const binaryLambda = (p: number, D: number): number => -0.5 * Math.log((D / 2) ** 2 / ((1 - p - D / 2) * (p - D / 2)));

test('zepeSemantic, per-class budgets D(z) (problem (21)): classes on disjoint letter pairs match the binary closed form class by class', () => {
  // X = {0, 1, 2, 3} with Hamming distortion; class 0 lives on {0, 1} with P(1|z=0) = 0.3, class 1 on {2, 3} with
  // P(3|z=1) = 0.1: each class is a binary ZEPE problem with its own budget and its own λ(z)
  const hamming4 = [0, 1, 2, 3].map((x) => [0, 1, 2, 3].map((y) => (x === y ? 0 : 1)));
  const pz = [0.6, 0.4];
  const pxGivenZ = [[0.7, 0.3, 0, 0], [0, 0, 0.9, 0.1]];
  const budgets = [0.2, 0.05];
  const s = zepeSemantic({ pz, pxGivenZ, distortion: hamming4, classDistortions: budgets });
  assert.ok(s.converged);
  assert.equal(s.budget, 'per-class');
  assert.equal(s.lambda, null);
  const ps = [0.3, 0.1];
  s.perZ.forEach((e, z) => {
    close(e.distortion, budgets[z], 1e-10, `D(${z})`);
    close(e.rate, binaryZepe(ps[z], budgets[z]), 1e-9, `rate(${z})`);
    close(e.lambda, binaryLambda(ps[z], budgets[z]), 1e-6 * e.lambda, `λ(${z})`);
  });
  assert.ok(Math.abs(s.perZ[0].lambda - s.perZ[1].lambda) > 0.1, 'per-class budgets give different multipliers');
  close(s.rateSc, 0.6 * binaryZepe(0.3, 0.2) + 0.4 * binaryZepe(0.1, 0.05), 1e-9, 'R_sc');
  close(s.distortion, 0.6 * 0.2 + 0.4 * 0.05, 1e-10, 'E d');
  // a budget at or above a class's D(P_z ⊗ P_z) = 2p(1 − p) leaves that class at rate 0, λ(z) = 0
  const loose = zepeSemantic({ pz, pxGivenZ, distortion: hamming4, classDistortions: [0.5, 0.05] });
  assert.equal(loose.perZ[0].lambda, 0);
  close(loose.perZ[0].distortion, 2 * 0.3 * 0.7, 1e-12);
  assert.ok(loose.perZ[0].rate < 1e-12);
});

test('zepeSemantic: the total-budget optimum is (21) at its own per-class distortions (same rates, one common λ)', () => {
  const pz = [0.35, 0.65];
  const pxGivenZ = [norm([6, 5, 4, 2, 1, 0.5]), norm([0.2, 1, 1, 3, 4, 6])];
  const total = zepeSemantic({ pz, pxGivenZ, distortion: ex1.distortion, targetDistortion: 0.5 });
  const each = zepeSemantic({ pz, pxGivenZ, distortion: ex1.distortion, classDistortions: total.perZ.map((e) => e.distortion) });
  assert.ok(each.converged);
  each.perZ.forEach((e, z) => {
    close(e.rate, total.perZ[z].rate, 1e-9, `rate(${z})`);
    close(e.lambda, total.lambda ?? NaN, 1e-6 * e.lambda, `λ(${z})`);
  });
});

test('zepeSemantic: exactly one of targetDistortion and classDistortions; per-class budgets checked entry by entry', () => {
  const named = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test(e.message);
  const base = { pz: [0.5, 0.5], pxGivenZ: [ex1.px, ex1.px], distortion: ex1.distortion };
  assert.throws(() => zepeSemantic(base), named(/targetDistortion.*classDistortions/));
  assert.throws(() => zepeSemantic({ ...base, targetDistortion: 0.5, classDistortions: [0.5, 0.5] }), named(/exactly one/));
  assert.throws(() => zepeSemantic({ ...base, classDistortions: [0.5] }), named(/classDistortions must have 2 entries/));
  assert.throws(() => zepeSemantic({ ...base, classDistortions: [0.5, -1] }), named(/classDistortions\[1\]/));
  assert.throws(() => zepeSemantic({ ...base, classDistortions: [0.5, NaN] }), named(/classDistortions\[1\]/));
});
