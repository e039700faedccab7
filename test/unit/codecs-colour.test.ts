import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/core/index.js';
import {
  type RgbImage, rgbToYcbcr, ycbcrToRgb, downsample2x2, upsample2x2, toPlanarYuv, fromPlanarYuv,
  imageAt, solidImage, meanColour, assertRgbImage,
} from '../../lib/codecs/index.js';

function randomImage(w: number, h: number, seed: number): RgbImage {
  const rng = new Rng(seed);
  return { data: Float32Array.from({ length: w * h * 3 }, () => rng.uniform()), width: w, height: h };
}

// ITU-R BT.601 / JFIF full-range matrix with its published coefficients (JFIF 1.02, section 7)
const fwd = (r: number, g: number, b: number): number[] => [
  0.299 * r + 0.587 * g + 0.114 * b,
  -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
  0.5 * r - 0.418688 * g - 0.081312 * b + 128,
];
const inv = (y: number, cb: number, cr: number): number[] => [
  y + 1.402 * (cr - 128),
  y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128),
  y + 1.772 * (cb - 128),
];

test('rgbToYcbcr matches the published BT.601 full-range matrix', () => {
  const img = randomImage(8, 6, 1);
  const p = rgbToYcbcr(img);
  for (let i = 0; i < 48; i++) {
    const [y, cb, cr] = fwd(img.data[3 * i] * 255, img.data[3 * i + 1] * 255, img.data[3 * i + 2] * 255);
    assert.ok(Math.abs(p.y[i] - y) < 1e-3, `Y[${i}] ${p.y[i]} vs ${y}`);
    assert.ok(Math.abs(p.cb[i] - cb) < 1e-3, `Cb[${i}] ${p.cb[i]} vs ${cb}`);
    assert.ok(Math.abs(p.cr[i] - cr) < 1e-3, `Cr[${i}] ${p.cr[i]} vs ${cr}`);
  }
  // primaries: pure red has Y = 0.299·255 and Cr = 255.5 (the matrix's corner), pure blue Cb = 255.5
  const red = rgbToYcbcr(solidImage(1, 1, [1, 0, 0]));
  assert.ok(Math.abs(red.y[0] - 76.245) < 1e-3 && Math.abs(red.cr[0] - 255.5) < 1e-3);
});

test('ycbcrToRgb matches the published inverse and round-trips', () => {
  const img = randomImage(8, 6, 2);
  const planes = rgbToYcbcr(img);
  const back = ycbcrToRgb(planes);
  for (let i = 0; i < img.data.length; i++) assert.ok(Math.abs(back.data[i] - img.data[i]) < 1e-5, `pixel ${i}`);
  // an arbitrary in-gamut Y'CbCr triple against the published inverse
  const y = new Float32Array([120]);
  const cb = new Float32Array([100]);
  const cr = new Float32Array([150]);
  const rgb = ycbcrToRgb({ y, cb, cr, width: 1, height: 1 });
  inv(120, 100, 150).forEach((v, c) => assert.ok(Math.abs(rgb.data[c] * 255 - v) < 1e-3, `channel ${c}: ${rgb.data[c] * 255} vs ${v}`));
});

test('4:2:0 resampling: box average down, 3/4–1/4 bilinear up reproduces a linear ramp inside the picture', () => {
  const w = 8;
  const h = 4;
  const ramp = Float32Array.from({ length: w * h }, (_, i) => 10 + 3 * (i % w) + 2 * Math.floor(i / w));
  const down = downsample2x2(ramp, w, h);
  // each chroma sample is the mean of its 2×2 block = the ramp at the block centre (2i+0.5, 2j+0.5)
  for (let j = 0; j < h / 2; j++) for (let i = 0; i < w / 2; i++) assert.ok(Math.abs(down[j * 4 + i] - (10 + 3 * (2 * i + 0.5) + 2 * (2 * j + 0.5))) < 1e-4);
  const up = upsample2x2(down, w, h);
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) assert.ok(Math.abs(up[y * w + x] - ramp[y * w + x]) < 1e-4, `(${x},${y})`);
  const flat = upsample2x2(new Float32Array(4).fill(7), 4, 4);
  assert.ok(flat.every((v) => v === 7));
});

test('planar 8-bit YUV round trip loses at most the 8-bit rounding (4:4:4), layout is Y then Cb then Cr', () => {
  const img = randomImage(6, 4, 3);
  const yuv = toPlanarYuv(img, '444');
  assert.equal(yuv.length, 72);
  const [y0, cb0, cr0] = fwd(img.data[0] * 255, img.data[1] * 255, img.data[2] * 255);
  assert.deepEqual([yuv[0], yuv[24], yuv[48]], [Math.round(y0), Math.round(cb0), Math.round(cr0)]);
  const back = fromPlanarYuv(yuv, 6, 4, '444');
  // ±0.5 in each of Y, Cb, Cr moves R, G, B by at most 0.5·(1 + 1.772) < 1.4 levels
  for (let i = 0; i < img.data.length; i++) assert.ok(Math.abs(back.data[i] - img.data[i]) <= 1.4 / 255, `pixel ${i}`);
  assert.equal(toPlanarYuv(img, '420').length, 24 + 2 * 6);
});

test('image helpers: views into a batch, mean colour, validation names the argument', () => {
  const x = Float32Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => (i % 3) / 4 + (i >= 12 ? 0.25 : 0));
  const second = imageAt({ x, width: 2, height: 2 }, 1);
  assert.equal(second.data[0], 0.25);
  assert.deepEqual(meanColour(x).map((v) => +v.toFixed(6)), [0.125, 0.375, 0.625]);
  assert.throws(() => imageAt({ x, width: 2, height: 2 }, 2), /i must be an integer in 0\.\.1/);
  assert.throws(() => assertRgbImage('img', { data: new Float32Array(11), width: 2, height: 2 }), /img\.data must hold/);
  assert.throws(() => assertRgbImage('img', { data: new Float32Array(12).fill(1.5), width: 2, height: 2 }), /img\.data\[0\] must be in \[0, 1\]/);
  assert.throws(() => solidImage(2, 2, [0, 2, 0]), /colour\[1\]/);
});
