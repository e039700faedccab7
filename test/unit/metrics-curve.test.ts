/**
 * lib/metrics/curve.ts against data made from known parameters: fitSaturating / olsSlope; powerLawFit recovers exact
 * power laws, powerLawXAt inverts them, and noisy data match the normal equations solved directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSaturating, olsSlope, powerLawFit, powerLawXAt } from '../../lib/metrics/index.js';

test('fitSaturating recovers a, b, c of exact power-law data', () => {
  for (const [a, b, c] of [[0.99, 0.3, 0.7], [48, -20, 1.5], [0.5, 0.1, 0.05]]) {
    const x = [1, 2, 3, 4, 5, 6, 8];
    const y = x.map((t) => a - b * t ** -c);
    const f = fitSaturating(x, y);
    assert.ok(Math.abs(f.c - c) < 1e-4 * Math.max(1, c), `c ${f.c} vs ${c}`);
    assert.ok(Math.abs(f.a - a) < 1e-4 * Math.max(1, Math.abs(a)), `a ${f.a} vs ${a}`);
    assert.ok(Math.abs(f.b - b) < 1e-4 * Math.max(1, Math.abs(b)), `b ${f.b} vs ${b}`);
    assert.ok(Math.abs(f.predict(100) - (a - b * 100 ** -c)) < 1e-3 * Math.max(1, Math.abs(a)));
  }
});

test('fitSaturating minimises the squared error: nudging any parameter does not lower it', () => {
  const x = [1, 2, 3, 4, 5, 6];
  const y = [0.81, 0.9, 0.925, 0.94, 0.945, 0.953];
  const f = fitSaturating(x, y);
  const sse = (a: number, b: number, c: number) => x.reduce((s, t, i) => s + (y[i] - (a - b * t ** -c)) ** 2, 0);
  assert.ok(Math.abs(sse(f.a, f.b, f.c) - f.sse) < 1e-12);
  for (const [da, db, dc] of [[1e-3, 0, 0], [-1e-3, 0, 0], [0, 1e-3, 0], [0, -1e-3, 0], [0, 0, 1e-2], [0, 0, -1e-2]]) {
    assert.ok(sse(f.a + da, f.b + db, f.c + dc) >= f.sse - 1e-15);
  }
  assert.ok(f.a > y[y.length - 1], 'a rising curve saturates above its last point');
});

test('olsSlope: the slope of a line, and of noisy points by the normal equations', () => {
  assert.equal(olsSlope([1, 2, 3, 4], [3, 5, 7, 9]), 2);
  // x = 0,1,2; y = 0,2,1: sxy = (−1)(−1) + 0 + (1)(0) = 1, sxx = 2 → 0.5
  assert.equal(olsSlope([0, 1, 2], [0, 2, 1]), 0.5);
});

test('powerLawFit recovers y = 5·x^−0.5 exactly and powerLawXAt inverts it', () => {
  const x = [100, 400, 1600, 6400];
  const f = powerLawFit(x, x.map((v) => 5 * v ** -0.5));
  assert.ok(Math.abs(f.exponent + 0.5) < 1e-12 && Math.abs(f.scale - 5) < 1e-9, JSON.stringify(f));
  assert.ok(Math.abs((powerLawXAt(f, 0.05) as number) - 10000) < 1e-6);
  assert.equal(powerLawXAt({ scale: 2, exponent: 0, n: 2 }, 1), null);
});

test('powerLawFit on noisy points equals the normal equations solved directly (Cramer)', () => {
  const x = [1, 2, 3, 5, 8], y = [3.1, 2.2, 1.4, 1.3, 0.7];
  const lx = x.map(Math.log), ly = y.map(Math.log);
  const S = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  const one = lx.map(() => 1);
  const det = S(one, one) * S(lx, lx) - S(one, lx) ** 2;
  const b = (S(one, one) * S(lx, ly) - S(one, lx) * S(one, ly)) / det;
  const loga = (S(lx, lx) * S(one, ly) - S(one, lx) * S(lx, ly)) / det;
  const f = powerLawFit(x, y);
  assert.ok(Math.abs(f.exponent - b) < 1e-12 && Math.abs(Math.log(f.scale) - loga) < 1e-12);
});
