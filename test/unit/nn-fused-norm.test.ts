import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, initBackend, loadWasmBackend, groupNormalize } from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';

// groupNormalize on wasm runs the SIMD kernels of lib/nn/kernels/wasm-norm.ts; reference: the plain tfjs
// composition (tf.moments, normalise, affine, x·σ(x)) and its autograd on the cpu backend, same inputs.

interface Case { shape: [number, number, number, number]; groups: number; swish: boolean }

const CASES: Case[] = [
  { shape: [16, 32, 32, 8], groups: 4, swish: true }, // VSCC bench model shapes (widths 8/8/16/32)
  { shape: [16, 16, 16, 16], groups: 8, swish: true },
  { shape: [16, 8, 8, 32], groups: 8, swish: false },
  { shape: [4, 4, 4, 128], groups: 32, swish: true }, // paper width and groups
  { shape: [2, 4, 4, 32], groups: 32, swish: false }, // one channel per group
  { shape: [3, 5, 7, 12], groups: 3, swish: true }, // odd spatial sizes
  { shape: [1, 1, 2, 4], groups: 1, swish: false }, // smallest block the kernels take (p = 2)
];

function composition(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, groups: number, act: boolean): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const xg = tf.reshape(x, [n, h, w, groups, c / groups]);
  const { mean, variance } = tf.moments(xg, [1, 2, 4], true);
  const xn = tf.reshape(tf.div(tf.sub(xg, mean), tf.sqrt(tf.add(variance, 1e-5))), [n, h, w, c]);
  const y = tf.add(tf.mul(xn, g), b);
  return act ? tf.mul(y, tf.sigmoid(y)) : y;
}

interface Data { x: Float32Array; g: Float32Array; b: Float32Array; r: Float32Array }

/** Value and the gradients of Σ f·r with respect to x, γ, β, on the current backend. */
function evaluate(d: Data, c: Case, f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const ch = c.shape[3];
    const x = tf.tensor(d.x, c.shape);
    const g = tf.tensor(d.g, [ch]);
    const b = tf.tensor(d.b, [ch]);
    const r = tf.tensor(d.r, c.shape);
    const value = f(x, g, b).dataSync() as Float32Array;
    const grads = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(a, gg, bb), r)))([x, g, b]);
    return [Float32Array.from(value), ...grads.map((t) => Float32Array.from(t.dataSync() as Float32Array))];
  });
}

/** max |a − b| / max |b|. */
function relDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  assert.ok(scale > 0, 'reference is all zero');
  return diff / scale;
}

test('groupNormalize (± Swish) on wasm: SIMD kernels = the tfjs composition on cpu (values, gradients)', async () => {
  const rng = new Rng(41);
  const data = CASES.map((c) => {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const ch = c.shape[3];
    // Channels with their own offsets and scales, so that the normalisation matters.
    const off = rng.fillNormal(new Float32Array(ch), 0, 3) as Float32Array;
    const scale = rng.fillNormal(new Float32Array(ch), 0, 2) as Float32Array;
    const x = rng.fillNormal(new Float32Array(size)) as Float32Array;
    for (let i = 0; i < size; i++) x[i] = x[i] * scale[i % ch] + off[i % ch];
    return {
      x,
      g: rng.fillNormal(new Float32Array(ch)) as Float32Array,
      b: rng.fillNormal(new Float32Array(ch)) as Float32Array,
      r: rng.fillNormal(new Float32Array(size)) as Float32Array,
    };
  });
  await initBackend('cpu');
  await tf.setBackend('cpu');
  const want = CASES.map((c, i) => evaluate(data[i], c, (x, g, b) => composition(x, g, b, c.groups, c.swish)));
  loadWasmBackend();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  CASES.forEach((c, i) => {
    const fused = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      groupNormalize(x as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, { groups: c.groups, swish: c.swish });
    const got = evaluate(data[i], c, fused);
    const what = `[${c.shape}] groups ${c.groups} swish ${c.swish}`;
    assert.ok(relDiff(got[0], want[i][0]) <= 1e-6, `${what}: value, rel diff ${relDiff(got[0], want[i][0])}`);
    ['x', 'gamma', 'beta'].forEach((name, k) => {
      const rd = relDiff(got[k + 1], want[i][k + 1]);
      assert.ok(rd <= 1e-5, `${what}: gradient of ${name}, rel diff ${rd}`);
    });
  });
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
});

test('groupNormalize on wasm runs the fused kernels (not the composition) when c is a multiple of 4', async () => {
  loadWasmBackend();
  await tf.setBackend('wasm');
  const x = tf.randomNormal([2, 4, 4, 8]);
  const g = tf.ones([8]);
  const b = tf.zeros([8]);
  const run = (xs: tf.Tensor) => async () => {
    const info = await tf.profile(() => tf.tidy(() => {
      const [dx] = tf.grads((a: tf.Tensor) => tf.sum(groupNormalize(a as tf.Tensor4D, g as tf.Tensor1D,
        b as tf.Tensor1D, { groups: 2, swish: true })))([xs]);
      return dx;
    }));
    tf.dispose(info.result as tf.Tensor);
    return info.kernels.map((k) => k.name);
  };
  const names = await run(x)();
  assert.ok(names.includes('SemcomNormAffine') && names.includes('SemcomNormAffineGrad'), `kernels: ${names}`);
  assert.ok(!names.includes('Mean'), 'no Mean kernel: the composition did not run');
  // c = 6: not a multiple of 4, the composition runs (values checked in nn-fused-ops.test.ts).
  const x6 = tf.randomNormal([1, 2, 2, 6]);
  const g6 = tf.ones([6]);
  const y6 = groupNormalize(x6 as tf.Tensor4D, g6 as tf.Tensor1D, g6 as tf.Tensor1D, { groups: 3 });
  assert.deepEqual(y6.shape, [1, 2, 2, 6]);
  tf.dispose([x, g, b, x6, g6, y6]);
});
