/**
 * Gaussian closed forms (lib/info/gaussian.ts) for the "doubling the MSE" statement: the ratio D_p(R)/D(R) of the
 * perfect-perception and the conventional distortion–rate functions of N(0, σ²) under MSE, and its limit 2 as R → 0,
 * checked against the algebra done by hand here; the ZEPE multiplier against a finite difference of D_p.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianDR, gaussianPerfectPerceptionDR, gaussianZepeMultiplier } from '../../lib/info/index.js';

const ratio = (R: number): number => gaussianPerfectPerceptionDR(1, R) / gaussianDR(1, R);

test('D_p(R)/D(R) = 2(1 − √(1 − ε))/ε = 2/(1 + √(1 − ε)), ε = 2^(−2R): between 1 and 2, for any σ²', () => {
  for (const R of [0, 1e-3, 0.01, 0.1, 0.5, 1, 2.5, 8]) {
    const e = 2 ** (-2 * R);
    const want = 2 / (1 + Math.sqrt(1 - e));
    assert.ok(Math.abs(ratio(R) - want) < 1e-14, `R = ${R}: ${ratio(R)} vs ${want}`);
    if (R > 0 && R < 5) assert.ok(Math.abs(ratio(R) - (2 * (1 - Math.sqrt(1 - e))) / e) < 1e-12);
    assert.ok(Math.abs(gaussianPerfectPerceptionDR(3, R) / gaussianDR(3, R) - ratio(R)) < 1e-14);
    assert.ok(ratio(R) <= 2 && ratio(R) >= 1);
  }
  assert.equal(ratio(0), 2);
});

test('as R → 0 the ratio tends to 2 like 2 − 2√(2 ln2 · R) + 4 ln2 · R + O(R^{3/2})', () => {
  // 1 − ε = 2R ln2 (1 + O(R)), so s = √(1 − ε) = a√R (1 + O(R)) with a = √(2 ln 2), and
  // 2/(1 + s) = 2 − 2s + 2s² − O(s³): (2 − ratio)/√R = 2a − 2a²√R + O(R), a² = 2 ln 2.
  const a = Math.sqrt(2 * Math.LN2);
  for (const R of [1e-2, 1e-4, 1e-6, 1e-8, 1e-10]) {
    const got = (2 - ratio(R)) / Math.sqrt(R);
    const want = 2 * a - 4 * Math.LN2 * Math.sqrt(R);
    assert.ok(Math.abs(got - want) <= 5 * R + 1e-9, `R = ${R}: ${got} vs ${want}`);
  }
  // at the smallest rate of the notebook's grid (0.01 bit) the ratio is 1.79, still 0.21 from 2
  assert.ok(Math.abs(ratio(0.01) - 1.79) < 1e-3, `${ratio(0.01)}`);
});

test('gaussianZepeMultiplier is −dR/dD_p in nats per unit distortion (central finite difference) and → 0 as R → 0', () => {
  for (const [sigma2, R] of [[1, 0.01], [1, 0.3], [2, 1], [0.5, 2.5]]) {
    const h = 1e-5 * R;
    const dDdR = (gaussianPerfectPerceptionDR(sigma2, R + h) - gaussianPerfectPerceptionDR(sigma2, R - h)) / (2 * h);
    const want = -Math.LN2 / dDdR; // R in bits: dR_nats/dD = ln2 · dR/dD
    const got = gaussianZepeMultiplier(sigma2, R);
    assert.ok(Math.abs(got - want) < 1e-6 * want, `σ² = ${sigma2}, R = ${R}: ${got} vs ${want}`);
  }
  assert.equal(gaussianZepeMultiplier(1, 0), 0);
  assert.ok(gaussianZepeMultiplier(1, 1e-6) < 1e-3);
});
