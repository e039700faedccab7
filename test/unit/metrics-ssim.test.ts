import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Rng } from '../../lib/core/index.js';
import { ssim, msSsim, ssimBatch, maxMsSsimScales, MS_SSIM_WEIGHTS } from '../../lib/metrics/index.js';

/** Independent reference: direct 2-D 11×11 window (fspecial('gaussian',11,1.5)), centred moments, no separability. */
function directSsimStats(x: ArrayLike<number>, y: ArrayLike<number>, w: number, h: number, ch: number, c: number, L: number): { ssim: number; cs: number } {
  const win: number[][] = [];
  let tot = 0;
  for (let i = 0; i < 11; i++) {
    win.push([]);
    for (let j = 0; j < 11; j++) {
      const v = Math.exp(-((i - 5) ** 2 + (j - 5) ** 2) / (2 * 1.5 * 1.5));
      win[i].push(v);
      tot += v;
    }
  }
  const C1 = (0.01 * L) ** 2, C2 = (0.03 * L) ** 2;
  const px = (r: number, q: number, a: ArrayLike<number>) => a[(r * w + q) * ch + c];
  let sumS = 0, sumCs = 0, count = 0;
  for (let r = 0; r + 11 <= h; r++) {
    for (let q = 0; q + 11 <= w; q++) {
      let mx = 0, my = 0;
      for (let i = 0; i < 11; i++) for (let j = 0; j < 11; j++) {
        mx += (win[i][j] / tot) * px(r + i, q + j, x);
        my += (win[i][j] / tot) * px(r + i, q + j, y);
      }
      let vx = 0, vy = 0, cxy = 0;
      for (let i = 0; i < 11; i++) for (let j = 0; j < 11; j++) {
        const g = win[i][j] / tot;
        const dx = px(r + i, q + j, x) - mx, dy = px(r + i, q + j, y) - my;
        vx += g * dx * dx; vy += g * dy * dy; cxy += g * dx * dy;
      }
      const cs = (2 * cxy + C2) / (vx + vy + C2);
      sumS += ((2 * mx * my + C1) / (mx * mx + my * my + C1)) * cs;
      sumCs += cs;
      count++;
    }
  }
  return { ssim: sumS / count, cs: sumCs / count };
}

function directSsim(x: ArrayLike<number>, y: ArrayLike<number>, w: number, h: number, ch: number, L: number): number {
  let s = 0;
  for (let c = 0; c < ch; c++) s += directSsimStats(x, y, w, h, ch, c, L).ssim;
  return s / ch;
}

function randomImage(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform();
  return a;
}

/** A smooth image plus independent noise of std `sigma`, clipped to [0,1]. */
function noisy(base: Float32Array, rng: Rng, sigma: number): Float32Array {
  return base.map((v) => Math.min(1, Math.max(0, v + sigma * rng.normal())));
}

test('ssim: identical images → exactly 1', () => {
  const a = randomImage(new Rng(1), 20 * 17 * 3);
  assert.equal(ssim(a, a.slice(), { width: 20, height: 17, channels: 3 }), 1);
});

test('ssim: constant images a, b → luminance term alone (2ab + C1)/(a² + b² + C1), by hand', () => {
  const a = new Float64Array(16 * 16).fill(0.5);
  const b = new Float64Array(16 * 16).fill(0.6);
  // σ = 0 in every window, so the contrast–structure term is C2/C2 = 1; C1 = (0.01·1)² = 1e-4.
  const expected = (2 * 0.5 * 0.6 + 1e-4) / (0.25 + 0.36 + 1e-4);
  assert.ok(Math.abs(ssim(a, b, { width: 16, height: 16 }) - expected) < 1e-12);
  // Same in 8-bit units: 127.5 vs 153 with L = 255 gives the same value (scale invariance of the formula).
  const a8 = a.map((v) => v * 255), b8 = b.map((v) => v * 255);
  assert.ok(Math.abs(ssim(a8, b8, { width: 16, height: 16, maxValue: 255 }) - expected) < 1e-12);
});

test('ssim: a constant-shifted copy of a textured image has cs = 1, so SSIM = mean luminance term (< 1)', () => {
  const rng = new Rng(2);
  const w = 14, h = 12;
  const a = randomImage(rng, w * h).map((v) => 0.2 + 0.5 * v);
  const b = a.map((v) => v + 0.1);
  const ref = directSsimStats(a, b, w, h, 1, 0, 1);
  assert.ok(Math.abs(ref.cs - 1) < 1e-6); // sanity of the reference itself
  const s = ssim(a, b, { width: w, height: h });
  assert.ok(s < 1 && s > 0.9);
  assert.ok(Math.abs(s - ref.ssim) < 1e-6);
});

test('ssim: separable implementation matches a direct 2-D double-loop implementation (1e-6)', () => {
  const rng = new Rng(3);
  for (const [w, h, ch] of [[11, 11, 1], [16, 13, 3], [23, 19, 2]] as const) {
    const a = randomImage(rng, w * h * ch);
    const b = noisy(a, rng, 0.2);
    const got = ssim(a, b, { width: w, height: h, channels: ch });
    const want = directSsim(a, b, w, h, ch, 1);
    assert.ok(Math.abs(got - want) < 1e-6, `${w}×${h}×${ch}: ${got} vs ${want}`);
  }
  // Independent images: SSIM can go negative; still matched.
  const a = randomImage(rng, 15 * 15), b = randomImage(rng, 15 * 15).map((v) => 1 - v);
  assert.ok(Math.abs(ssim(a, b, { width: 15, height: 15 }) - directSsim(a, b, 15, 15, 1, 1)) < 1e-6);
});

test('ssim: decreases monotonically with the noise level', () => {
  const w = 32, h = 32;
  const base = new Float32Array(w * h * 3);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) for (let k = 0; k < 3; k++) {
    base[(r * w + c) * 3 + k] = 0.5 + 0.3 * Math.sin(r / 4 + k) * Math.cos(c / 5);
  }
  const values = [0.01, 0.03, 0.1, 0.3].map((s) => ssim(base, noisy(base, new Rng(4), s), { width: w, height: h, channels: 3 }));
  for (let i = 1; i < values.length; i++) assert.ok(values[i] < values[i - 1], `SSIM ${values.join(', ')}`);
  assert.ok(values[0] > 0.9 && values[3] < 0.5);
});

test('ssim: bad input → RangeError', () => {
  const a = new Float32Array(10 * 10);
  assert.throws(() => ssim(a, a, { width: 10, height: 10 }), RangeError); // smaller than the window
  assert.throws(() => ssim(a, new Float32Array(99), { width: 10, height: 10 }), RangeError);
  assert.throws(() => ssim(a, a, { width: 11, height: 10 }), RangeError); // shape vs length
  const b = new Float32Array(12 * 12);
  assert.throws(() => ssim(b, b, { width: 12, height: 12, maxValue: -1 }), RangeError);
});

test('ssimBatch: each entry equals the direct SSIM of that image pair', () => {
  const rng = new Rng(5);
  const n = 3, w = 12, h = 12, ch = 2, size = w * h * ch;
  const a = randomImage(rng, n * size);
  const b = noisy(a, rng, 0.1);
  const got = ssimBatch(a, b, { n, width: w, height: h, channels: ch });
  for (let i = 0; i < n; i++) {
    const want = directSsim(a.subarray(i * size, (i + 1) * size), b.subarray(i * size, (i + 1) * size), w, h, ch, 1);
    assert.ok(Math.abs(got[i] - want) < 1e-6);
  }
});

test('msSsim: 1 scale = SSIM; 2 scales on 32×32 = cs₁^β₁′·ssim₂^β₂′ from a direct reference; identical → 1', () => {
  const rng = new Rng(6);
  const w = 32, h = 32;
  const a = randomImage(rng, w * h);
  const b = noisy(a, rng, 0.1);
  assert.ok(Math.abs(msSsim(a, b, { width: w, height: h, scales: 1 }) - directSsim(a, b, w, h, 1, 1)) < 1e-6);
  const down = (x: ArrayLike<number>) => {
    const o = new Float64Array(16 * 16);
    for (let r = 0; r < 16; r++) for (let c = 0; c < 16; c++) {
      o[r * 16 + c] = (x[2 * r * 32 + 2 * c] + x[2 * r * 32 + 2 * c + 1] + x[(2 * r + 1) * 32 + 2 * c] + x[(2 * r + 1) * 32 + 2 * c + 1]) / 4;
    }
    return o;
  };
  const s1 = directSsimStats(a, b, 32, 32, 1, 0, 1);
  const s2 = directSsimStats(down(a), down(b), 16, 16, 1, 0, 1);
  const w1 = 0.0448 / (0.0448 + 0.2856), w2 = 0.2856 / (0.0448 + 0.2856);
  const want = s1.cs ** w1 * s2.ssim ** w2;
  assert.ok(Math.abs(msSsim(a, b, { width: w, height: h, scales: 2 }) - want) < 1e-6);
  assert.equal(msSsim(a, a, { width: w, height: h, scales: 2 }), 1);
});

test('msSsim: scale limits (5 scales need ≥ 176 px; 32×32 allows 2; 64×64 allows 3) and weights', () => {
  assert.equal(maxMsSsimScales(32, 32), 2);
  assert.equal(maxMsSsimScales(64, 64), 3);
  assert.equal(maxMsSsimScales(176, 200), 5);
  assert.equal(maxMsSsimScales(175, 200), 4);
  assert.deepEqual([...MS_SSIM_WEIGHTS], [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]);
  const a = new Float32Array(32 * 32);
  assert.throws(() => msSsim(a, a, { width: 32, height: 32 }), /at most 2/);
  assert.throws(() => msSsim(a, a, { width: 32, height: 32, scales: 3 }), RangeError);
  assert.throws(() => msSsim(a, a, { width: 32, height: 32, scales: 0 }), RangeError);
});

test('ssim: agrees with skimage.metrics.structural_similarity (Gaussian, σ=1.5, population covariance)', (t) => {
  const py = '/usr/bin/python3';
  let available = false;
  try {
    available = existsSync(py) && execFileSync(py, ['-c', 'import skimage, numpy; print("ok")'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'ok';
  } catch { available = false; }
  if (!available) {
    t.skip('Debian python3-skimage is not installed (apt-get install -y python3-skimage to run this cross-check)');
    return;
  }
  const rng = new Rng(7);
  const w = 24, h = 20, ch = 3;
  const a = randomImage(rng, w * h * ch);
  const b = noisy(a, rng, 0.15);
  // skimage filters with reflect padding over the whole image, then averages only the crop pad = (11-1)//2 = 5
  // from each border: exactly the "valid" positions of ssim_index.m.
  const script = [
    'import sys, json, numpy as np',
    'from skimage.metrics import structural_similarity as S',
    'd = json.load(sys.stdin)',
    `a = np.array(d["a"], dtype=np.float64).reshape(${h}, ${w}, ${ch})`,
    `b = np.array(d["b"], dtype=np.float64).reshape(${h}, ${w}, ${ch})`,
    'print(repr(S(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0, channel_axis=-1)))',
  ].join('\n');
  const out = execFileSync(py, ['-c', script], { input: JSON.stringify({ a: [...a], b: [...b] }), encoding: 'utf8' });
  assert.ok(Math.abs(Number(out) - ssim(a, b, { width: w, height: h, channels: ch })) < 1e-6);
});
