import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, accuracyWithInterval } from '../../lib/metrics/index.js';

test('accuracy interval: E2EC reports 97.97 ± 0.28 % at n = 10,000 (normal approximation)', () => {
  const r = accuracyWithInterval(9797, 10000);
  assert.equal(r.accuracy, 0.9797);
  assert.equal(Math.round(r.halfWidth * 1e4) / 1e4, 0.0028);
  // 1.96·sqrt(0.9797·0.0203/10⁴) = 0.0027641…, computed by hand.
  assert.ok(Math.abs(r.halfWidth - 0.00276408) < 1e-8);
  assert.ok(Math.abs(r.ci95[0] - (0.9797 - r.halfWidth)) < 1e-15);
  assert.ok(Math.abs(r.ci95[1] - (0.9797 + r.halfWidth)) < 1e-15);
});

test('accuracy interval: Wilson score interval matches a hand-computed case (8/10)', () => {
  // Wilson, z = 1.96, p = 0.8, n = 10: centre = (0.8 + 0.19208)/1.38416 = 0.716737,
  // spread = 1.96·sqrt(0.016 + 0.009604)/1.38416 = 0.226581 → [0.490157, 0.943319] (the textbook Wilson 8/10).
  const r = accuracyWithInterval(8, 10, { method: 'wilson' });
  assert.ok(Math.abs(r.ci95[0] - 0.490157) < 1e-5);
  assert.ok(Math.abs(r.ci95[1] - 0.943319) < 1e-5);
  // At p = 1 the Wald interval collapses, Wilson does not.
  assert.equal(accuracyWithInterval(10, 10).halfWidth, 0);
  assert.ok(accuracyWithInterval(10, 10, { method: 'wilson' }).ci95[0] < 0.8);
});

test('accuracy: counts exact matches of labels', () => {
  const r = accuracy(new Uint8Array([1, 2, 3, 4]), [1, 2, 0, 4]);
  assert.equal(r.accuracy, 0.75);
  assert.equal(r.correct, 3);
  assert.equal(r.n, 4);
});

test('accuracy: bad input throws', () => {
  assert.throws(() => accuracyWithInterval(11, 10), RangeError);
  assert.throws(() => accuracyWithInterval(1.5, 10), RangeError);
  assert.throws(() => accuracyWithInterval(0, 0), RangeError);
  assert.throws(() => accuracy([1, 2], [1]), RangeError);
  assert.throws(() => accuracy([], []), RangeError);
  assert.throws(() => accuracyWithInterval(1, 2, { method: 'exact' as 'normal' }), RangeError);
});
