/**
 * lib/metrics/bootstrap.ts against independent truth:
 * - Clopper–Pearson: closed forms at k = 0 and k = n (lo = (α/2)^{1/n}, hi = 1 − (α/2)^{1/n}), and R's
 *   `binom.test(5, 10)` / `binom.test(1, 10)` intervals (R 4.x, stats::binom.test, printed to 7 digits).
 * - binomialCdf: direct summation of C(n, i) p^i (1 − p)^{n − i} with exact integer binomials (n ≤ 30).
 * - logGamma: log((x − 1)!) for integers.
 * - Bootstrap of a mean: for n i.i.d. N(0, 1) values the 95 % interval's half-width is ≈ 1.96/√n (the standard error),
 *   checked to 15 %; constant data give a zero-width interval; quantiles as numpy.quantile(…, method='linear').
 * - Paired bootstrap: a constant shift between paired scores is decided even when each mean alone is uncertain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import { binomialCdf, bootstrapMean, estimateFromHalfWidth, exactBinomialInterval, logGamma, pairedBootstrap, quantileSorted } from '../../lib/metrics/index.js';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test('exactBinomialInterval: closed forms at k = 0 and k = n', () => {
  for (const n of [1, 10, 100, 10000]) {
    const z = exactBinomialInterval(0, n);
    close(z.ci95[0], 0, 0, 'lo at k=0');
    close(z.ci95[1], 1 - 0.025 ** (1 / n), 1e-10, `hi at k=0, n=${n}`);
    const f = exactBinomialInterval(n, n);
    close(f.ci95[0], 0.025 ** (1 / n), 1e-10, `lo at k=n, n=${n}`);
    close(f.ci95[1], 1, 0, 'hi at k=n');
  }
});

test("exactBinomialInterval: R's binom.test values and symmetry", () => {
  const a = exactBinomialInterval(5, 10);
  close(a.ci95[0], 0.187086, 1e-6, 'binom.test(5,10) lo');
  close(a.ci95[1], 0.8129140, 1e-6, 'binom.test(5,10) hi');
  const b = exactBinomialInterval(1, 10);
  close(b.ci95[0], 0.002528579, 1e-8, 'binom.test(1,10) lo');
  close(b.ci95[1], 0.4450161, 1e-6, 'binom.test(1,10) hi');
  const n = 10000;
  const k = 9797;
  const x = exactBinomialInterval(k, n);
  const y = exactBinomialInterval(n - k, n);
  close(x.ci95[0], 1 - y.ci95[1], 1e-10, 'lo(k) = 1 − hi(n − k)');
  // At n = 10,000 the exact interval is close to the normal one (±1.96·sqrt(p(1−p)/n) = ±0.275 pp).
  const half = 1.96 * Math.sqrt(0.9797 * 0.0203 / n);
  close((x.ci95[1] - x.ci95[0]) / 2, half, 0.0003, 'half-width vs normal approximation');
  assert.equal(x.value, 0.9797);
  assert.equal(x.n, n);
});

test('binomialCdf: direct summation with exact binomials', () => {
  const choose = (n: number, k: number): number => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };
  for (const [n, p] of [[7, 0.3], [30, 0.9], [12, 0.5]] as const) {
    let s = 0;
    for (let k = 0; k <= n; k++) {
      s += choose(n, k) * p ** k * (1 - p) ** (n - k);
      close(binomialCdf(k, n, p), s, 1e-12, `cdf(${k}; ${n}, ${p})`);
    }
  }
  assert.equal(binomialCdf(-1, 5, 0.5), 0);
});

test('logGamma: log factorials', () => {
  let f = 0;
  for (let n = 1; n < 40; n++) {
    close(logGamma(n), f, 1e-10 * Math.max(1, f), `logGamma(${n})`);
    f += Math.log(n);
  }
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12, 'logGamma(1/2)');
});

test('quantileSorted: numpy linear interpolation', () => {
  const v = [1, 2, 3, 4];
  close(quantileSorted(v, 0.25), 1.75, 1e-15, 'q25');
  close(quantileSorted(v, 0.5), 2.5, 1e-15, 'q50');
  close(quantileSorted(v, 1), 4, 0, 'q100');
});

test('bootstrapMean: interval ≈ ±1.96 standard errors on normal data; constant data give zero width; seeded', () => {
  const rng = new Rng(7);
  const n = 400;
  const x = Array.from({ length: n }, () => rng.normal());
  const e = bootstrapMean(x, { resamples: 4000, seed: 3 });
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  close(e.value, mean, 1e-12, 'mean');
  const half = (e.ci95[1] - e.ci95[0]) / 2;
  close(half, (1.96 * sd) / Math.sqrt(n), 0.15 * (1.96 * sd) / Math.sqrt(n), 'half-width');
  assert.ok(e.ci95[0] < mean && mean < e.ci95[1]);
  assert.deepEqual(bootstrapMean(x, { resamples: 4000, seed: 3 }), e, 'same seed, same interval');
  const c = bootstrapMean([2, 2, 2, 2], { resamples: 200 });
  assert.deepEqual(c.ci95, [2, 2]);
});

test('pairedBootstrap: a constant shift is decided although each mean alone is uncertain', () => {
  const rng = new Rng(11);
  const b = Array.from({ length: 200 }, () => 20 + 3 * rng.normal());
  const a = b.map((v) => v + 0.05 + 0.01 * rng.normal());
  const alone = bootstrapMean(a);
  assert.ok(alone.ci95[1] - alone.ci95[0] > 0.5, 'each mean has a wide interval');
  const d = pairedBootstrap(a, b);
  const exact = a.reduce((s, v, i) => s + v - b[i], 0) / a.length;
  close(d.value, exact, 1e-12, 'difference of means');
  assert.ok(d.ci95[0] > 0.04 && d.ci95[1] < 0.06, `paired interval [${d.ci95}] near 0.05`);
  const g = pairedBootstrap(a, b, { statistic: 'relative-gain' });
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  close(g.value, ma / mb - 1, 1e-12, 'relative gain');
  assert.ok(g.ci95[0] > 0);
});

test('bootstrap: bad input names the argument', () => {
  assert.throws(() => bootstrapMean([1]), /values must hold at least 2/);
  assert.throws(() => bootstrapMean([1, NaN]), /values\[1\] must be a finite number/);
  assert.throws(() => bootstrapMean('12' as unknown as number[]), /values must be an array/);
  assert.throws(() => bootstrapMean([1, 2], { resamples: 5 }), /resamples/);
  assert.throws(() => pairedBootstrap([1, 2], [1, 2, 3]), /same length/);
  assert.throws(() => pairedBootstrap([1, 2], [0, 0], { statistic: 'relative-gain' }), /positive mean/);
  assert.throws(() => exactBinomialInterval(11, 10), /k/);
  assert.throws(() => exactBinomialInterval(1.5, 10), /k/);
  assert.throws(() => estimateFromHalfWidth(1, -1, 3, 'x'), /halfWidth/);
});
