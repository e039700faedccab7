import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psnr, mse, psnrBatch, mean } from '../../lib/metrics/index.js';

function constantOffset(n: number, base: (i: number) => number, delta: number): [Float64Array, Float64Array] {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = base(i);
    b[i] = a[i] + (i % 2 === 0 ? delta : -delta); // |error| = delta everywhere, so MSE = delta²
  }
  return [a, b];
}

test('psnr: every pixel off by 0.1 at L = 1 is 20 dB (closed form 10·log10(1/0.01))', () => {
  const [a, b] = constantOffset(32 * 32 * 3, (i) => 0.3 + 0.4 * Math.sin(i), 0.1);
  assert.ok(Math.abs(psnr(a, b, { maxValue: 1 }) - 20) < 1e-9);
  assert.ok(Math.abs(mse(a, b) - 0.01) < 1e-12);
});

test('psnr: 8-bit image off by 1 grey level is 20·log10(255) = 48.1308 dB', () => {
  const [a, b] = constantOffset(100, (i) => (i * 7) % 200 + 20, 1);
  assert.ok(Math.abs(psnr(a, b, { maxValue: 255 }) - 48.13080360867909) < 1e-9);
});

test('psnr: Float32 input matches the closed form within float32 rounding', () => {
  const a = new Float32Array(64).fill(0.5);
  const b = new Float32Array(64).fill(0.55); // error 0.05 → 26.0206 dB
  assert.ok(Math.abs(psnr(a, b) - 20 * Math.log10(1 / 0.05)) < 1e-4);
});

test('psnr: identical images → Infinity; bad input → RangeError/TypeError', () => {
  const a = new Float32Array([0.1, 0.2, 0.3]);
  assert.equal(psnr(a, a.slice()), Infinity);
  assert.throws(() => psnr(a, new Float32Array(2)), RangeError);
  assert.throws(() => psnr(a, a, { maxValue: 0 }), RangeError);
  assert.throws(() => psnr(a, a, { maxValue: Number.NaN }), RangeError);
  assert.throws(() => psnr(new Float32Array(0), new Float32Array(0)), RangeError);
  assert.throws(() => psnr(a, new Float32Array([0.1, Number.NaN, 0.3])), RangeError);
  assert.throws(() => psnr(null as unknown as Float32Array, a), TypeError);
});

test('psnrBatch: per-image values follow each image\'s own offset; mean averages them', () => {
  const n = 3, size = 4 * 5 * 3;
  const a = new Float64Array(n * size).fill(0.5);
  const b = new Float64Array(n * size);
  const offsets = [0.1, 0.01, 0];
  for (let i = 0; i < n; i++) for (let j = 0; j < size; j++) b[i * size + j] = 0.5 + offsets[i];
  const p = psnrBatch(a, b, { n, width: 5, height: 4, channels: 3 });
  assert.ok(p instanceof Float64Array);
  assert.ok(Math.abs(p[0] - 20) < 1e-9);
  assert.ok(Math.abs(p[1] - 40) < 1e-9);
  assert.equal(p[2], Infinity);
  assert.ok(Math.abs(mean(p.subarray(0, 2)) - 30) < 1e-9);
  assert.throws(() => psnrBatch(a, b, { n: 2, width: 5, height: 4, channels: 3 }), RangeError);
  assert.throws(() => mean([]), RangeError);
});
