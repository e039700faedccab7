/** lib/metrics/trend.ts: exact power laws are recovered, the inverse solves them, noisy data match a direct 2×2 solve. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powerLawFit, powerLawXAt } from '../../lib/metrics/index.js';

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
