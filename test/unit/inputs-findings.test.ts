/**
 * Issue 18, findings 4 and 7, case by case: each example the issue reports, with what it does now. The broad sweep
 * over every export is test/unit/inputs-table.test.ts; this file pins the reported cases, including the ones whose
 * fix is a right answer rather than a refusal (hammingDistance above 2^32, rdpCurve with d ≡ 0), each checked
 * against an independent value (a popcount by string, the exact R(D, δ) of a zero distortion).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, MAX_SEED, projectRoot } from '../../lib/core/index.js';
import {
  awgn, bsc, demodulateHard, demodulateLlr, equalize, hammingDistance, modulate, randomBits, rayleigh,
    rayleighCoefficients,
  simulateBer, transmitBits, transmitIndices, bscIndices,
} from '../../lib/channels/index.js';
import { toRgb8 } from '../../lib/codecs/index.js';
import { rdCurve, rdpCurve } from '../../lib/info/index.js';
import { mean } from '../../lib/metrics/index.js';
import { formatNumber } from '../../lib/plot/index.js';
import * as nn from '../../lib/nn/index.js';

const names = (re: RegExp) => (e: unknown): boolean =>
  (e instanceof RangeError || e instanceof TypeError) && re.test((e as Error).message);
const sig = (re: number[], im: number[]) => ({ re: Float64Array.from(re), im: Float64Array.from(im) });

test('mean refuses a string (it returned 6 for "12") and non-numeric entries', () => {
  assert.throws(() => mean('12' as unknown as number[]), names(/values must be an array of numbers/));
  assert.throws(() => mean(['1', '2'] as unknown as number[]), names(/values\[0\] must be a number/));
  assert.throws(() => mean([Infinity, -Infinity]), names(/values/));
  assert.equal(mean([1, 2, 6]), 3);
  assert.equal(mean([1, Infinity]), Infinity); // a lossless PSNR is still averaged, as documented
});

test("formatNumber refuses a string (it returned '−∞' for 'abc') and NaN; ±∞ are still written", () => {
  assert.throws(() => formatNumber('abc' as unknown as number), names(/v must be a number/));
  assert.throws(() => formatNumber(NaN), names(/v is NaN/));
  assert.throws(() => formatNumber(1, 0), names(/digits must be an integer in 1\.\.17/));
  assert.equal(formatNumber(-Infinity), '−∞');
  assert.equal(formatNumber(1 / 3, 3), '0.333');
});

test('hammingDistance: right above 2^32 (it returned 0 for 2^40 vs 0), refuses negatives and fractions', () => {
  const popcount = (v: number): number => [...v.toString(2)].filter((ch) => ch === '1').length; // independent count
  for (const [a, b] of [[2 ** 40, 0], [2 ** 52 + 5, 3], [0xffffffff, 2 ** 33], [7, 7],
    [123456789012, 987654321]] as const) {
    const xorBits = [...a.toString(2).padStart(53, '0')].map((ch,
      i) => (ch === b.toString(2).padStart(53, '0')[i] ? '0' : '1')).join('');
    assert.equal(hammingDistance(a, b), popcount(parseInt(xorBits, 2)), `${a} vs ${b}`);
  }
  assert.equal(hammingDistance(2 ** 40, 0), 1);
  assert.throws(() => hammingDistance(-1, 0),
    names(/\ba must be an integer in 0\.\.9007199254740991/)); // it returned 32
  assert.throws(() => hammingDistance(1.5, 0), names(/\ba must be an integer/)); // it returned 1
  assert.throws(() => hammingDistance(2 ** 53, 0), names(/\ba must be an integer/));
});

test('toRgb8 refuses values outside [0, 1] (it wrapped 1.5 to 127) instead of clamping them', () => {
  const img = (v: number) => ({ data: Float32Array.from([v, 0.5, 0.25]), width: 1, height: 1 });
  assert.throws(() => toRgb8(img(1.5)), names(/img\.data\[0\] must be in \[0, 1\], got 1\.5/));
  assert.throws(() => toRgb8(img(NaN)), names(/img\.data\[0\]/));
  assert.throws(() => toRgb8(img(-0.01)), names(/img\.data\[0\]/));
  assert.deepEqual([...toRgb8(img(1))], [255, 128, 64]);
});

test('demodulators and channels refuse NaN symbols (they demodulated to bits 00 and passed NaN through)', () => {
  const rng = new Rng(1);
  const bad = sig([NaN, 0.7], [0.7, 0.7]);
  assert.throws(() => demodulateHard(bad, 4), names(/y must hold finite values.*y\[0\]/));
  assert.throws(() => demodulateLlr(bad, 4, 0.1), names(/y must hold finite values/));
  assert.throws(() => awgn(bad, { snrDb: 10, rng }), names(/x must hold finite values/));
  assert.throws(() => rayleigh(bad, { snrDb: 10, rng }), names(/x must hold finite values/));
  assert.throws(() => demodulateLlr(sig([0.7], [0.7]), 4, NaN), names(/noiseVar must be a finite number/));
});

test('equalize refuses a negative noise variance (it returned per-symbol variance −1)', () => {
  const y = sig([0.5, -0.2], [0.1, 0.3]);
  const h = sig([1, 0.5], [0, 0.5]);
  assert.throws(() => equalize(y, h, -1), names(/noiseVar must be > 0/));
  assert.throws(() => equalize(y, h, 0), names(/noiseVar must be > 0/));
  assert.deepEqual([...equalize(y, h, 2).noiseVar], [2, 4]); // N0/|h|²: |h|² = 1 and 0.5
});

test('rdpCurve with an all-zero distortion is the exact point (0, 0) (it returned NaN with converged: true)', () => {
  const px = [0.2, 0.3, 0.5];
  const zero = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (const delta of [0.1, 1]) {
    const curve = rdpCurve({ px, distortion: zero, delta, points: 4 });
    // Y independent of X with Q_Y = P: I(X;Y) = 0, E d = 0, D(P‖Q_Y) = 0 ≤ δ, and no channel does better.
    assert.deepEqual(curve.map((p) => [p.rate, p.distortion, p.perceptionKL, p.converged]), [[0, 0, 0, true]]);
    for (const p of curve) for (const v of Object.values(p)) if (typeof v === 'number') assert.ok(!Number.isNaN(v));
  }
});

test('Rng seeds are integers in 0..2^32−1 (2025.9 and 2025 + 2^32 gave the stream of 2025)', () => {
  assert.equal(MAX_SEED, 2 ** 32 - 1);
  for (const seed of [2025.9, 2025 + 2 ** 32, -1, NaN, Infinity, '2025']) {
    assert.throws(() => new Rng(seed as number), names(/seed must be an integer in 0\.\.4294967295/), String(seed));
  }
  const draws = (seed: number) => Array.from({ length: 4 }, ((r) => () => r.nextUint32())(new Rng(seed)));
  assert.notDeepEqual(draws(0), draws(MAX_SEED));
  assert.deepEqual(draws(2025), draws(2025));
  assert.throws(() => new Rng(1).setState({ s: [0, 0, 0, 0], spare: null }), names(/state\.s must not be all zero/));
  assert.throws(() => new Rng(1).bernoulli(1.5), names(/\bp must be in \[0, 1\]/));
});

test('a missing rng is a TypeError naming rng (it was "Cannot read properties of undefined (reading \'normal\')")',
  async () => {
  const x = sig([0.7], [0.7]);
  const bits = new Uint8Array([0, 1, 1, 0]);
  const noRng = (f: () => unknown) => assert.throws(f, names(/\brng must be a seeded Rng/));
  noRng(() => awgn(x, { snrDb: 10 } as never));
  noRng(() => rayleigh(x, { snrDb: 10 } as never));
  noRng(() => rayleighCoefficients(4, {} as never));
  noRng(() => bsc(bits, { eps: 0.1 } as never));
  noRng(() => randomBits(8, {} as never));
  noRng(() => bscIndices([1, 2], { mBits: 2, eps: 0.1 } as never));
  noRng(() => transmitBits(bits, { snrDb: 10, M: 4 } as never));
  noRng(() => transmitIndices([1, 2], { snrDb: 10, M: 4, mBits: 2 } as never));
  noRng(() => simulateBer(() => ({ errors: 0, bits: 1 }), {} as never));
  noRng(() => nn.randomNormal([2], {} as never));
  noRng(() => nn.gumbelSoftmax(nn.tf.zeros([1, 2]), { tau: 1 } as never));
  noRng(() => nn.initDense({}, 'd', { inDim: 1, outDim: 1 } as never));
  await assert.rejects(() => nn.train({ params: {}, steps: 1, lossFn: () => nn.tf.scalar(0) } as never),
    names(/\brng must be a seeded Rng/));
  // the old positional form fails on its options, not deep inside
  assert.throws(() => (awgn as unknown as (...a: unknown[]) => unknown)(x, 10, new Rng(1)),
    names(/options must be an object/));
});

test('the rng is the options field `rng` everywhere, and the same seed gives the same draws as before the move', () => {
  // Reference draws written out by hand from the generator: the options form consumes the stream exactly as the
  // positional form did (x + σ·n with two normals per symbol, σ² = N0/2, N0 = 10^(−snrDb/10)).
  const x = modulate(new Uint8Array([0, 0, 1, 1]), 4);
  const ref = new Rng(99);
  const sigma = Math.sqrt(10 ** (-10 / 10) / 2);
  const want = Array.from({ length: 2 },
    (_, i) => [x.re[i] + sigma * ref.normal(), x.im[i] + sigma * ref.normal()]).flat();
  const { y } = awgn(x, { snrDb: 10, rng: new Rng(99) });
  assert.deepEqual([y.re[0], y.im[0], y.re[1], y.im[1]], want);
});

test('sizes that ran unbounded are refused with the limit (rdCurve, rayleighCoefficients, simulateBer)', () => {
  const px = [0.5, 0.5];
  const d = [[0, 1], [1, 0]];
  assert.throws(() => rdCurve({ px, distortion: d, points: 1e7 }), names(/points must be an integer in 2\.\.10000/));
  assert.throws(() => rayleighCoefficients(1e9, { rng: new Rng(1) }),
    names(/\bn must be an integer in 0\.\.268435456/));
  assert.throws(() => simulateBer(() => ({ errors: 0, bits: 1 }), { rng: new Rng(1), maxBits: 1e15 }),
    names(/maxBits must be in \[1, 10000000000\]/));
});

test('semcom-workbook/core is exported (Rng and the checks), and the sweep fixture is no longer library API', () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { exports: Record<string,
    string> };
  assert.equal(pkg.exports['./core'], './dist/lib/core/index.js');
  assert.ok(!('demoTrial' in nn), 'the crash/fail fixture is not exported from semcom-workbook/nn');
  assert.throws(() => readFileSync(join(projectRoot(), 'lib', 'nn', 'sweep-demo.ts')), /ENOENT/);
});
