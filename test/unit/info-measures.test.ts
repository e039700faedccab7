import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entropy, klDivergence, mutualInformation, binaryEntropy } from '../../lib/info/index.js';

const close = (a: number, b: number, tol: number, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b} (tol ${tol})`);

test('entropy: uniform over 8 letters is 3 bits; a point mass is 0; 0·log 0 = 0', () => {
  close(entropy(new Array(8).fill(1 / 8)), 3, 1e-12);
  assert.equal(entropy([0, 1, 0]), 0);
  close(entropy([0.5, 0.25, 0.25, 0]), 1.5, 1e-12);
});

test('binaryEntropy: h(0.11) = 0.49992 bits (table value), h(0.5) = 1', () => {
  close(binaryEntropy(0.11), 0.4999157, 1e-6);
  close(binaryEntropy(0.5), 1, 1e-15);
});

test('klDivergence: closed form for two Bernoullis, 0 for equal, +Infinity where q = 0 < p', () => {
  const a = 0.3, b = 0.6;
  const truth = a * Math.log2(a / b) + (1 - a) * Math.log2((1 - a) / (1 - b));
  close(klDivergence([a, 1 - a], [b, 1 - b]), truth, 1e-14);
  assert.equal(klDivergence([0.2, 0.8], [0.2, 0.8]), 0);
  assert.equal(klDivergence([0.5, 0.5], [1, 0]), Infinity);
  assert.equal(klDivergence([1, 0], [0.5, 0.5]), 1);
});

test('mutualInformation: BSC(0.1) with uniform input is 1 − h(0.1); independent joint is 0', () => {
  const e = 0.1;
  const joint = [[(1 - e) / 2, e / 2], [e / 2, (1 - e) / 2]];
  const h = -(e * Math.log2(e) + (1 - e) * Math.log2(1 - e));
  close(mutualInformation(joint), 1 - h, 1e-14);
  close(mutualInformation([[0.06, 0.14], [0.24, 0.56]]), 0, 1e-15);
  close(mutualInformation({ data: Float64Array.from([0.5, 0, 0, 0.5]), rows: 2, cols: 2 }), 1, 1e-15);
});

test('measures reject bad input with a RangeError naming the argument', () => {
  assert.throws(() => entropy([0.5, 0.6]), (e: unknown) => e instanceof RangeError && /\bp\b/.test(e.message));
  assert.throws(() => entropy([1.5, -0.5]), (e: unknown) => e instanceof RangeError && /p\[1\]/.test(e.message));
  assert.throws(() => entropy([NaN, 1]), RangeError);
  assert.throws(() => klDivergence([1, 0], [0.5, 0.25, 0.25]), (e: unknown) => e instanceof RangeError && /same length/.test(e.message));
  assert.throws(() => klDivergence([1, 0], [0.5, 0.6]), (e: unknown) => e instanceof RangeError && /\bq\b/.test(e.message));
  assert.throws(() => mutualInformation([[0.5, 0.5], [0.5, 0.5]]), (e: unknown) => e instanceof RangeError && /joint/.test(e.message));
  assert.throws(() => mutualInformation([[0.5, 0.5], [0.5]]), (e: unknown) => e instanceof RangeError && /joint\[1\]/.test(e.message));
});
