import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  tf, initBackend, nearestCodewordLookup, vectorQuantize, conv2dBackpropFilterOps, conv2dBackpropInputOps,
} from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';

// Reference: tfjs' own cpu kernels (an independent implementation); candidate: wasm + the kernels lib/nn adds.

before(async () => {
  await initBackend('wasm');
});

function randn(rng: Rng, n: number): Float32Array {
  return rng.fillNormal(new Float32Array(n)) as Float32Array;
}

async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(name);
  const before = tf.memory().numTensors;
  const out = fn();
  assert.equal(tf.memory().numTensors, before, `tensor leak on ${name}`);
  return out;
}

function assertClose(a: Float32Array, b: Float32Array, rel: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  let maxAbs = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  assert.ok(maxAbs > 0, `${what}: reference is all zero`);
  assert.ok(diff <= rel * maxAbs, `${what}: max |diff| ${diff} > ${rel} × ${maxAbs}`);
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  n: number; h: number; w: number; ci: number; co: number; k: number; s: number | [number, number]; pad: Pad;
}

// Every kernel size (1, 3, 4, 5), stride (1, 2) and padding the models use, on odd and non-square sizes; then
// asymmetric strides and explicit padding; then the models' own layer shapes at batch 2 (lib/papers/vscc/model.ts:
// 3×3 stride 1/2 at 32² with 8–32 channels; lib/papers/codebook/model.ts: 4×4 stride-2 convs and transposed convs).
const grid: ConvCase[] = [];
for (const k of [1, 3, 4, 5]) {
  for (const s of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      grid.push({ n: 1 + ((k + s) % 3), h: 7 + s, w: 6 + k, ci: 1 + (k % 3), co: 2 + s, k, s, pad });
    }
  }
}
const cases: ConvCase[] = [
  ...grid,
  { n: 2, h: 9, w: 8, ci: 3, co: 4, k: 3, s: [1, 2], pad: 'same' },
  { n: 2, h: 8, w: 9, ci: 2, co: 3, k: 4, s: [2, 1], pad: 'valid' },
  { n: 2, h: 7, w: 6, ci: 3, co: 2, k: 3, s: 2, pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { n: 1, h: 6, w: 7, ci: 2, co: 3, k: 3, s: 1, pad: [[0, 0], [0, 2], [1, 1], [0, 0]] },
  { n: 2, h: 32, w: 32, ci: 8, co: 8, k: 3, s: 1, pad: 'same' },
  { n: 2, h: 32, w: 32, ci: 8, co: 8, k: 3, s: 2, pad: 'same' },
  { n: 2, h: 4, w: 4, ci: 32, co: 32, k: 3, s: 1, pad: 'same' },
  { n: 2, h: 32, w: 32, ci: 3, co: 24, k: 4, s: 2, pad: 'same' },
  { n: 2, h: 16, w: 16, ci: 24, co: 48, k: 4, s: 2, pad: 'same' },
  { n: 2, h: 8, w: 8, ci: 48, co: 16, k: 1, s: 1, pad: 'same' },
];
const label = (c: ConvCase): string => JSON.stringify(c);

/** The wasm backend's count of live data buffers (the kernels' scratch must all be freed). */
function wasmDataIds(): number {
  return (tf.findBackend('wasm') as unknown as { numDataIds(): number }).numDataIds();
}

test('conv2d gradients on wasm match cpu (kernels 1/3/4/5, strides 1/2, same/valid/explicit padding)', async () => {
  for (const c of cases) {
    const rng = new Rng(c.h * 100 + c.k * 10 + c.n);
    const xv = randn(rng, c.n * c.h * c.w * c.ci);
    const wv = randn(rng, c.k * c.k * c.ci * c.co);
    const run = () => tf.tidy(() => {
      const x = tf.tensor4d(xv, [c.n, c.h, c.w, c.ci]);
      const w = tf.tensor4d(wv, [c.k, c.k, c.ci, c.co]);
      const y = tf.conv2d(x, w, c.s, c.pad);
      const r = tf.tensor(randn(new Rng(7), y.size), y.shape);
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), r));
      const [gx, gw] = tf.grads(f)([x, w]);
      return [gx.dataSync().slice(), gw.dataSync().slice()] as Float32Array[];
    });
    const ref = await onBackend('cpu', run);
    await tf.setBackend('wasm');
    const ids = wasmDataIds();
    const got = await onBackend('wasm', run);
    assert.equal(wasmDataIds(), ids, `wasm buffers leaked ${label(c)}`);
    assertClose(got[0], ref[0], 1e-4, `dx ${label(c)}`);
    assertClose(got[1], ref[1], 1e-4, `dW ${label(c)}`);
  }
});

test('conv2dTranspose forward and gradients on wasm match cpu (same, valid, explicit padding)', async () => {
  for (const c of cases) {
    const rng = new Rng(c.w * 31 + c.co);
    // conv2dTranspose(x, W, outShape) is the input gradient of conv2d(·, W) at outShape: x has conv2d's output shape.
    const outShape: [number, number, number, number] = [c.n, c.h, c.w, c.ci];
    const fwd = await onBackend('cpu', () => tf.tidy(() =>
      tf.conv2d(tf.zeros(outShape) as tf.Tensor4D, tf.zeros([c.k, c.k, c.ci, c.co]) as tf.Tensor4D, c.s, c.pad).shape));
    const xv = randn(rng, fwd.reduce((a, b) => a * b));
    const wv = randn(rng, c.k * c.k * c.ci * c.co);
    const run = () => tf.tidy(() => {
      const x = tf.tensor4d(xv, fwd);
      const w = tf.tensor4d(wv, [c.k, c.k, c.ci, c.co]);
      const r = tf.tensor(randn(new Rng(9), outShape.reduce((a, b) => a * b)), outShape);
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, outShape, c.s, c.pad), r));
      const [gx, gw] = tf.grads(f)([x, w]);
      const y = tf.conv2dTranspose(x, w, outShape, c.s, c.pad);
      return [gx.dataSync().slice(), gw.dataSync().slice(), y.dataSync().slice()] as Float32Array[];
    });
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    assertClose(got[0], ref[0], 1e-4, `transpose dx ${label(c)}`);
    assertClose(got[1], ref[1], 1e-4, `transpose dW ${label(c)}`);
    assertClose(got[2], ref[2], 1e-4, `transpose forward ${label(c)}`);
  }
});

test('conv gradient kernels on wasm: portable tf-ops forms agree with the cpu kernels too', async () => {
  for (const c of cases.filter((_, i) => i % 3 === 0)) {
    const rng = new Rng(c.k * 7 + c.h);
    const xv = randn(rng, c.n * c.h * c.w * c.ci);
    const wv = randn(rng, c.k * c.k * c.ci * c.co);
    const strides = c.s;
    const run = (ops: boolean) => tf.tidy(() => {
      const x = tf.tensor4d(xv, [c.n, c.h, c.w, c.ci]);
      const w = tf.tensor4d(wv, [c.k, c.k, c.ci, c.co]);
      const y = tf.conv2d(x, w, c.s, c.pad);
      const dy = tf.tensor4d(randn(new Rng(3), y.size), y.shape as [number, number, number, number]);
      type Shape4 = [number, number, number, number];
      const fa = { strides, pad: c.pad, dataFormat: 'NHWC' as const, filterShape: w.shape as Shape4 };
      const ia = { strides, pad: c.pad, dataFormat: 'NHWC' as const, inputShape: x.shape as Shape4 };
      const gw = ops ? conv2dBackpropFilterOps(x, dy, fa)
        : tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...fa }) as tf.Tensor;
      const gx = ops ? conv2dBackpropInputOps(dy, w, ia)
        : tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...ia }) as tf.Tensor;
      return [gx.dataSync().slice(), gw.dataSync().slice()] as Float32Array[];
    });
    const ref = await onBackend('cpu', () => run(false));
    const got = await onBackend('wasm', () => run(true));
    assertClose(got[0], ref[0], 1e-4, `ops dx ${label(c)}`);
    assertClose(got[1], ref[1], 1e-4, `ops dW ${label(c)}`);
  }
});

test('conv gradient kernels reject NCHW and non-float32 inputs by name', async () => {
  await tf.setBackend('wasm');
  const dy = tf.zeros([1, 2, 2, 1]);
  const w = tf.zeros([1, 1, 1, 1]);
  const nchw = { strides: 1, pad: 'valid', dataFormat: 'NCHW', inputShape: [1, 2, 2, 1] };
  assert.throws(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, nchw),
    (e: Error) => e instanceof RangeError && /dataFormat must be NHWC/.test(e.message));
  const xi = tf.zeros([1, 2, 2, 1], 'int32');
  const nhwc = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 1, 1, 1] };
  assert.throws(() => tf.engine().runKernel('Conv2DBackpropFilter', { x: xi, dy }, nhwc),
    (e: Error) => e instanceof TypeError && /float32/.test(e.message));
  tf.dispose([dy, w, xi]);
});

interface MatMulCase { a: number[]; b: number[]; tA: boolean; tB: boolean }

// Every transpose combination of: one product (either operand larger: both sides of the swap rule), batched products
// above and below the loop thresholds, b shared by a batch, numpy-broadcast batch dimensions, an empty inner dimension.
const matMulCases: MatMulCase[] = [];
for (const tA of [false, true]) {
  for (const tB of [false, true]) {
    const shapes: [number[], number[]][] = [
      [[7, 5], [5, 33]], [[40, 6], [6, 3]], [[1, 9], [9, 1]],
      [[4, 3, 5], [4, 5, 2]], [[3, 20, 24], [3, 24, 30]], [[6, 9, 70], [6, 70, 9]],
      [[2, 3, 6, 4], [4, 5]], [[6, 4], [3, 4, 5]], [[3, 0], [0, 4]],
    ];
    for (const [a, b] of shapes) {
      const ta = tA ? [...a.slice(0, -2), a[a.length - 1], a[a.length - 2]] : a;
      const tb = tB ? [...b.slice(0, -2), b[b.length - 1], b[b.length - 2]] : b;
      matMulCases.push({ a: ta, b: tb, tA, tB });
    }
  }
}

test('BatchMatMul on wasm matches cpu: values and gradients, all transposes, batches, broadcasts', async () => {
  for (const c of matMulCases) {
    const rng = new Rng(c.a.length * 10 + c.b.reduce((x, y) => x + y, 0));
    const av = randn(rng, c.a.reduce((x, y) => x * y, 1));
    const bv = randn(rng, c.b.reduce((x, y) => x * y, 1));
    // tfjs' matMul gradient does not sum over broadcast batch dimensions (on any backend): values only there.
    const broadcast = JSON.stringify(c.a.slice(0, -2)) !== JSON.stringify(c.b.slice(0, -2));
    const run = (): Float32Array[] => tf.tidy(() => {
      const a = tf.tensor(av, c.a);
      const b = tf.tensor(bv, c.b);
      const y = tf.matMul(a, b, c.tA, c.tB);
      const out = [Float32Array.from(y.shape), y.dataSync().slice() as Float32Array];
      if (!broadcast) {
        const r = tf.tensor(randn(new Rng(4), y.size), y.shape);
        const grads = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, c.tA, c.tB), r)))([a, b]);
        out.push(...grads.map((g) => g.dataSync().slice() as Float32Array));
      }
      return out;
    });
    const ref = await onBackend('cpu', run);
    await tf.setBackend('wasm');
    const ids = wasmDataIds();
    const got = await onBackend('wasm', run);
    const what = JSON.stringify(c);
    assert.equal(wasmDataIds(), ids, `wasm buffers leaked ${what}`);
    assert.deepEqual(Array.from(got[0]), Array.from(ref[0]), `shape ${what}`);
    assert.equal(got.length, ref.length);
    if (c.a[c.a.length - (c.tA ? 2 : 1)] === 0) {
      assert.ok(got[1].every((v) => v === 0), `empty inner dimension gives zeros ${what}`);
      continue;
    }
    ['value', 'da', 'db'].slice(0, got.length - 1)
      .forEach((name, i) => assertClose(got[i + 1], ref[i + 1], 1e-5, `${name} ${what}`));
  }
});

test('BatchMatMul on wasm broadcasts size-1 batch dimensions both ways (plain-JS reference)', async () => {
  const rng = new Rng(21);
  const [m, k, n] = [3, 4, 2];
  const av = randn(rng, 2 * 1 * m * k);
  const bv = randn(rng, 1 * 3 * k * n);
  const got = await onBackend('wasm', () => tf.tidy(() => {
    const y = tf.matMul(tf.tensor(av, [2, 1, m, k]), tf.tensor(bv, [1, 3, k, n]));
    assert.deepEqual(y.shape, [2, 3, m, n]);
    return y.dataSync().slice() as Float32Array;
  }));
  const ref = new Float32Array(2 * 3 * m * n);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) {
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < n; c++) {
          let acc = 0;
          for (let t = 0; t < k; t++) acc += av[(i * m + r) * k + t] * bv[(j * k + t) * n + c];
          ref[((i * 3 + j) * m + r) * n + c] = acc;
        }
      }
    }
  }
  assertClose(got, ref, 1e-5, 'broadcast [2,1,3,4]·[1,3,4,2]');
});

test('gather gradient (UnsortedSegmentSum) on wasm matches cpu, repeated and unused indices', async () => {
  const rng = new Rng(3);
  const table = randn(rng, 10 * 4);
  const idx = new Int32Array([1, 1, 3, 9, 1, 0, 3, 3, 3, 7, 7, 2]); // rows 4,5,6,8 unused
  for (const shape of [[12], [3, 4]]) {
    const run = () => tf.tidy(() => {
      const e = tf.tensor2d(table, [10, 4]);
      const i = tf.tensor(idx, shape, 'int32');
      const r = tf.tensor(randn(new Rng(5), 12 * 4), [...shape, 4]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, i), r)))(e);
      return g.dataSync().slice() as Float32Array;
    });
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    assertClose(got, ref, 1e-5, `gather grad, indices shape ${shape}`);
    assert.deepEqual(Array.from(ref.slice(16, 28)), new Array(12).fill(0)); // rows 4,5,6 get no gradient
  }
});

test('unsortedSegmentSum on wasm matches cpu (ids out of range dropped)', async () => {
  const run = () => tf.tidy(() => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    return tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 5], 'int32'), 3).dataSync().slice() as Float32Array;
  });
  const ref = await onBackend('cpu', run);
  const got = await onBackend('wasm', run);
  assert.deepEqual(Array.from(got), Array.from(ref));
  assert.deepEqual(Array.from(ref), [3, 4, 0, 0, 6, 8]);
});

test('nearestCodewordLookup: values, indices and codebook gradient = onehotᵀ·dy, on cpu and wasm', async () => {
  const rng = new Rng(11);
  const n = 9, d = 3, k = 5;
  const zv = randn(rng, n * d);
  const cbv = randn(rng, k * d);
  const dyv = randn(rng, n * d);
  // Direct computation in plain JS.
  const idxRef: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1, bd = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (zv[i * d + t] - cbv[j * d + t]) ** 2;
      if (s < bd) { bd = s; best = j; }
    }
    idxRef.push(best);
  }
  const gRef = new Float32Array(k * d);
  idxRef.forEach((j, i) => { for (let t = 0; t < d; t++) gRef[j * d + t] += dyv[i * d + t]; });
  for (const b of ['cpu', 'wasm'] as const) {
    const [q, idx, gz, gcb] = await onBackend(b, () => tf.tidy(() => {
      const z = tf.tensor2d(zv, [n, d]);
      const cb = tf.tensor2d(cbv, [k, d]);
      const dy = tf.tensor2d(dyv, [n, d]);
      const out = nearestCodewordLookup(z, cb);
      const f = (a: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(nearestCodewordLookup(a as tf.Tensor2D, c as tf.Tensor2D).quantized, dy));
      const [g1, g2] = tf.grads(f)([z, cb]);
      return [out.quantized, out.indices, g1, g2].map((t) => t.dataSync().slice());
    }));
    assert.deepEqual(Array.from(idx), idxRef, b);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) assert.equal(q[i * d + t], cbv[idxRef[i] * d + t]);
    assert.ok(Array.from(gz).every((v) => v === 0), 'gradient w.r.t. z is zero');
    assertClose(gcb as Float32Array, gRef, 1e-5, `codebook grad ${b}`);
  }
});

test('vectorQuantize: straight-through to z, codebook and commitment gradients match their closed forms', async () => {
  await tf.setBackend('cpu');
  const rng = new Rng(12);
  const zv = randn(rng, 2 * 3 * 2), cbv = randn(rng, 4 * 2), rv = randn(rng, 2 * 3 * 2);
  const z = tf.tensor3d(zv, [2, 3, 2]);
  const cb = tf.tensor2d(cbv, [4, 2]);
  const r = tf.tensor3d(rv, [2, 3, 2]);
  const vq = vectorQuantize(z, cb);
  assert.deepEqual(vq.indices.shape, [2, 3]);
  const idx = vq.indices.dataSync();
  const q = Array.from(zv, (_, i) => cbv[idx[Math.floor(i / 2)] * 2 + (i % 2)]);
  // L = Σ r·zq + codebookLoss + 0.25·commitmentLoss, n = 12 elements:
  // ∂L/∂z = r + 0.25·2(z − q)/n ; ∂L/∂cb[k] = Σ_{i: idx=k} 2(q − z)/n.
  const [gz, gcb] = tf.grads((a: tf.Tensor, c: tf.Tensor) => {
    const o = vectorQuantize(a, c as tf.Tensor2D);
    return tf.addN([tf.sum(tf.mul(o.zq, r)), o.codebookLoss, tf.mul(o.commitmentLoss, 0.25)]) as tf.Scalar;
  })([z, cb]);
  const gzv = gz.dataSync(), gcbv = gcb.dataSync();
  const gcbRef = new Float32Array(8);
  for (let i = 0; i < 12; i++) {
    assert.ok(Math.abs(gzv[i] - (rv[i] + (0.5 * (zv[i] - q[i])) / 12)) < 1e-6, `dz[${i}]`);
    gcbRef[idx[Math.floor(i / 2)] * 2 + (i % 2)] += (2 * (q[i] - zv[i])) / 12;
  }
  gcbRef.forEach((g, i) => assert.ok(Math.abs(gcbv[i] - g) < 1e-6, `dcb[${i}]`));
  assert.deepEqual(Array.from(vq.zq.dataSync()), Array.from(new Float32Array(q)));
  tf.dispose([z, cb, r, gz, gcb, vq.zq, vq.indices, vq.codebookLoss, vq.commitmentLoss]);
});
