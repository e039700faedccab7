import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Rng } from '../../lib/core/index.js';
import { msSsim, msSsimDetailed, ssim } from '../../lib/metrics/index.js';

/** A smooth colour image (gratings on a ramp) in [0.1, 0.9]: MS-SSIM's coarse scales need structure to compare. */
function smoothImage(w: number, h: number, ch: number, phase: number): Float32Array {
  const x = new Float32Array(w * h * ch);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) for (let k = 0; k < ch; k++) {
    x[(r * w + c) * ch + k] = 0.5 + 0.2 * Math.sin((c * (k + 1) + r * (3 - k)) * 0.21 + phase)
      + 0.2 * ((r + c) / (w + h) - 0.5);
  }
  return x;
}

function noisy(base: Float32Array, rng: Rng, sigma: number): Float32Array {
  return base.map((v) => Math.min(1, Math.max(0, v + sigma * rng.normal())));
}

test('msSsimDetailed: identical images → 1 at every scale, 5 scales at 176×176', () => {
  const a = smoothImage(176, 176, 3, 0);
  const r = msSsimDetailed(a, a, { width: 176, height: 176, channels: 3 });
  assert.equal(r.value, 1);
  assert.equal(r.scales, 5);
  assert.deepEqual(r.perScale.map((s) => s.width), [176, 88, 44, 22, 11]);
  for (const s of r.perScale) {
    assert.equal(s.cs, 1);
    assert.equal(s.luminance, 1);
  }
  const wsum = r.weights.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(wsum - 1) < 1e-12);
  assert.throws(() => msSsimDetailed(a.subarray(0, 175 * 175 * 3), a.subarray(0, 175 * 175 * 3),
    { width: 175, height: 175, channels: 3 }), /at most 4 MS-SSIM scale.*≥ 176/);
});

test('msSsimDetailed: 1 scale = the repo\'s SSIM (mean of l·cs); value = Π cs_j^β_j · ssim_M^β_M per channel', () => {
  const rng = new Rng(11);
  const a = smoothImage(64, 48, 3, 0.3);
  const b = noisy(a, rng, 0.08);
  const one = msSsimDetailed(a, b, { width: 64, height: 48, channels: 3, scales: 1 });
  const s = ssim(a, b, { width: 64, height: 48, channels: 3 });
  assert.ok(Math.abs(one.value - s) < 1e-12, `${one.value} vs ${s}`);
  assert.ok(Math.abs(one.perScale[0].ssim - s) < 1e-12);
  // Grey image: one channel, so the product of the reported per-scale terms is the value itself.
  const g = smoothImage(64, 64, 1, 0.1);
  const gn = noisy(g, rng, 0.1);
  const r = msSsimDetailed(g, gn, { width: 64, height: 64, scales: 3 });
  const want = r.perScale[0].cs ** r.weights[0] * r.perScale[1].cs ** r.weights[1] * r.perScale[2].ssim ** r.weights[2];
  assert.ok(Math.abs(r.value - want) < 1e-12);
  assert.equal(msSsim(g, gn, { width: 64, height: 64, scales: 3 }), r.value);
});

test('msSsim: decreases monotonically as the noise grows (5 scales, 176×176 RGB)', () => {
  const a = smoothImage(176, 176, 3, 0.7);
  const values = [0.02, 0.05, 0.1, 0.2, 0.4].map((sigma) => msSsim(a, noisy(a, new Rng(5), sigma),
    { width: 176, height: 176, channels: 3 }));
  for (let i = 1; i < values.length; i++) assert.ok(values[i] < values[i - 1], values.join(', '));
  assert.ok(values[0] > 0.99 && values[4] < 0.7, values.join(', '));
});

test('msSsimDetailed: agrees with an independent numpy transcription of msssim.m (5 and 3 scales)', (t) => {
  const py = '/usr/bin/python3';
  let available = false;
  try {
    available = existsSync(py) && execFileSync(py, ['-c', 'import numpy; print("ok")'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'ok';
  } catch { available = false; }
  if (!available) {
    t.skip('python3 with numpy is not installed (apt-get install -y python3-numpy to run this cross-check)');
    return;
  }
  // Written from Wang, Simoncelli & Bovik (2003) and msssim.m, not from lib/: a direct 2-D 11×11 Gaussian window
  // (fspecial('gaussian', 11, 1.5)), 'valid' positions, 2×2 mean then every second sample, per channel, mean over
  // channels; per-scale mean cs and l (and mean l·cs at the coarsest).
  const script = `
import sys, json, numpy as np
d = json.load(sys.stdin)
h, w, ch, M = d["h"], d["w"], d["ch"], d["scales"]
a = np.array(d["a"], dtype=np.float64).reshape(h, w, ch)
b = np.array(d["b"], dtype=np.float64).reshape(h, w, ch)
ax = np.arange(11) - 5.0
g = np.exp(-(ax[:, None] ** 2 + ax[None, :] ** 2) / (2 * 1.5 ** 2)); g /= g.sum()
def filt(x):
    H, W = x.shape
    out = np.zeros((H - 10, W - 10))
    for i in range(11):
        for j in range(11):
            out += g[i, j] * x[i:i + H - 10, j:j + W - 10]
    return out
C1, C2 = 0.01 ** 2, 0.03 ** 2
beta = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])[:M]; beta = beta / beta.sum()
vals, cs_s, l_s = [], np.zeros(M), np.zeros(M)
for c in range(ch):
    x, y = a[:, :, c], b[:, :, c]
    v = 1.0
    for s in range(M):
        mx, my = filt(x), filt(y)
        vx, vy, cxy = filt(x * x) - mx ** 2, filt(y * y) - my ** 2, filt(x * y) - mx * my
        cs = (2 * cxy + C2) / (vx + vy + C2)
        l = (2 * mx * my + C1) / (mx ** 2 + my ** 2 + C1)
        cs_s[s] += cs.mean() / ch; l_s[s] += l.mean() / ch
        v *= max((l * cs).mean() if s == M - 1 else cs.mean(), 0) ** beta[s]
        H2, W2 = x.shape[0] // 2 * 2, x.shape[1] // 2 * 2
        x = (x[0:H2:2, 0:W2:2] + x[1:H2:2, 0:W2:2] + x[0:H2:2, 1:W2:2] + x[1:H2:2, 1:W2:2]) / 4
        y = (y[0:H2:2, 0:W2:2] + y[1:H2:2, 0:W2:2] + y[0:H2:2, 1:W2:2] + y[1:H2:2, 1:W2:2]) / 4
    vals.append(v)
print(json.dumps({"value": float(np.mean(vals)), "cs": cs_s.tolist(), "l": l_s.tolist()}))
`;
  const rng = new Rng(21);
  for (const [w, h, scales] of [[180, 177, 5], [64, 64, 3]] as const) {
    const a = smoothImage(w, h, 3, 1.1);
    const b = noisy(a.map((v) => 0.9 * v + 0.04), rng, 0.07);
    const out = execFileSync(py, ['-c', script], { encoding: 'utf8',
      input: JSON.stringify({ h, w, ch: 3, scales, a: [...a], b: [...b] }) });
    const want = JSON.parse(out) as { value: number; cs: number[]; l: number[] };
    const got = msSsimDetailed(a, b, { width: w, height: h, channels: 3, scales });
    assert.ok(Math.abs(got.value - want.value) < 1e-9, `${w}×${h}: ${got.value} vs numpy ${want.value}`);
    got.perScale.forEach((s, i) => {
      assert.ok(Math.abs(s.cs - want.cs[i]) < 1e-9, `cs at scale ${i + 1}: ${s.cs} vs ${want.cs[i]}`);
      assert.ok(Math.abs(s.luminance - want.l[i]) < 1e-9, `l at scale ${i + 1}: ${s.luminance} vs ${want.l[i]}`);
    });
    assert.ok(got.value > 0.3 && got.value < 0.99, `a non-trivial pair: ${got.value}`);
  }
});
