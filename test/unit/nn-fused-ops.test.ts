import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tf, initBackend, loadWasmBackend, stopGradient, gatherRows, gramMatrix, matMul, swish, groupNormalize, layerNormalize,
  repeatEachRow,
} from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';

// Ops of lib/nn rewritten for speed, each against the plain tfjs composition it replaces (values and gradients).

const BACKENDS = ['cpu', 'wasm'] as const;

async function use(backend: 'cpu' | 'wasm'): Promise<void> {
  if (backend === 'wasm') loadWasmBackend();
  else await initBackend('cpu');
  await tf.setBackend(backend);
}

function randn(rng: Rng, shape: number[], std = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillNormal(new Float32Array(n), 0, std) as Float32Array, shape);
}

/** Bits of a float32 tensor (so −0 ≠ +0). */
const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** The zero-gradient custom op stopGradient used to be: identity forward, zeros back into its input's subgraph. */
function zeroGradientIdentity<T extends tf.Tensor>(x: T): T {
  const f = tf.customGrad(((a: tf.Tensor) => ({ value: tf.clone(a), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as
    unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as T;
}

/** Kernel names (sorted) run by fn, as tf.profile records them. */
async function kernelsOf(fn: () => tf.Tensor | tf.Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => tf.tidy(fn));
  tf.dispose(info.result as tf.Tensor | tf.Tensor[]);
  return info.kernels.map((k) => k.name).sort();
}

for (const backend of BACKENDS) test(`stopGradient on ${backend}: values, other gradients kept, no backward`, async () => {
  await use(backend);
  const before = tf.memory().numTensors;
  const rng = new Rng(21);
  const a = randn(rng, [5, 7]);
  const b = randn(rng, [5, 7]);
  // f(a, b) = Σ a²·sg(exp(b)·a) + mean(sg(min(a, 1)))·Σ b: the stopped branches depend on a and b.
  const f = (sg: (t: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.add(
    tf.sum(tf.mul(tf.square(x), sg(tf.mul(tf.exp(y), x)))),
    tf.mul(tf.mean(sg(tf.min(x, 1))), tf.sum(y)),
  ) as tf.Scalar;
  // Reference: the stopped values as constants (tensors made from their values: no path back at all).
  const constant = (t: tf.Tensor) => tf.tensor(t.dataSync(), t.shape);

  const value = tf.tidy(() => bits(stopGradient(tf.mul(a, 3))));
  assert.deepEqual(value, tf.tidy(() => bits(tf.mul(a, 3))), 'forward value');

  const grads = (sg: (t: tf.Tensor) => tf.Tensor) => tf.tidy(() => tf.grads(f(sg))([a, b]).map(bits));
  const want = grads(constant);
  assert.deepEqual(grads(stopGradient), want, 'gradients equal those with the stopped values as constants');
  assert.deepEqual(grads(zeroGradientIdentity), want, 'and those of the old zero-gradient op');

  // Backward kernels = kernels of the gradient computation minus those of the forward pass.
  const backward = async (sg: (t: tf.Tensor) => tf.Tensor) => {
    const all = await kernelsOf(() => tf.grads(f(sg))([a, b]));
    const fwd = await kernelsOf(() => f(sg)(a, b));
    for (const k of fwd) all.splice(all.indexOf(k), 1);
    return all;
  };
  const pruned = await backward(stopGradient);
  assert.deepEqual(pruned, await backward(constant), 'the same backward kernels as with constants');
  const old = await backward(zeroGradientIdentity);
  assert.ok(old.length > pruned.length, `the zero-gradient op ran more kernels (${old.length} vs ${pruned.length})`);
  // tf.min's gradient is an Equal mask (the 9 ms kernel of the codebook step): gone with the real detach.
  assert.ok(old.includes('Equal'), 'the old op ran Equal');
  assert.ok(!pruned.includes('Equal'), 'stopGradient runs no Equal');

  // A variable reached only through stopGradient gets no gradient (tf.stop_gradient's rule), others theirs.
  const [v, w] = tf.tidy(() => [tf.variable(randn(rng, [3])), tf.variable(randn(rng, [3]))]);
  const { value: vl, grads: vg } = tf.variableGrads(() => tf.sum(tf.mul(stopGradient(v), w)) as tf.Scalar, [v, w]);
  assert.deepEqual(Object.keys(vg), [w.name]);
  assert.deepEqual(bits(vg[w.name]), bits(v));

  // The result owns a reference: it survives its input's disposal; disposing both frees everything.
  const x = randn(rng, [4]);
  const xb = bits(x);
  const y = stopGradient(x);
  x.dispose();
  assert.deepEqual(bits(y), xb);
  y.dispose();
  assert.throws(() => stopGradient(x), TypeError);
  tf.dispose([a, b, v, w, vl, vg[w.name]]);
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
});

/** max |a − b| ≤ rel · max |b| (b the reference), with a non-zero reference. */
function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  assert.ok(scale > 0, `${what}: reference is all zero`);
  assert.ok(diff <= rel * scale, `${what}: max |diff| ${diff.toExponential(2)} > ${rel} × ${scale.toExponential(2)}`);
}

for (const backend of BACKENDS) test(`gatherRows on ${backend} = tf.gather bit for bit; bad indices`, async () => {
  await use(backend);
  const rng = new Rng(22);
  const table = randn(rng, [64, 9]) as tf.Tensor2D;
  const ints = tf.tensor2d(Int32Array.from({ length: 12 }, (_, i) => i * 7 - 40), [4, 3], 'int32');
  const ids = Array.from({ length: 300 }, () => rng.int(64));
  const idT = tf.tensor1d(ids, 'int32');
  for (const [t, ix] of [[table, ids], [table, idT], [ints, [3, 0, 3, 2]]] as const) {
    const got = gatherRows(t, ix);
    const want = tf.gather(t, ix instanceof tf.Tensor ? ix : tf.tensor1d(Array.from(ix), 'int32'));
    assert.equal(got.dtype, t.dtype);
    assert.deepEqual(got.shape, want.shape);
    assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()));
    tf.dispose([got, want]);
  }
  assert.throws(() => gatherRows(table, [0, 64]), /indices\[1\] must be an integer in 0\.\.63, got 64/);
  assert.throws(() => gatherRows(table, [1.5]), RangeError);
  const cube = tf.zeros([2, 2, 2]);
  assert.throws(() => gatherRows(cube as tf.Tensor2D, [0]), /rank 2/);
  tf.dispose([table, ints, idT, cube]);
});

for (const backend of BACKENDS) test(`gramMatrix on ${backend} = the matMul(fᵀ, f) composition`, async () => {
  await use(backend);
  const before = tf.memory().numTensors;
  const rng = new Rng(23);
  for (const [b, n, c] of [[3, 50, 9], [2, 7, 4], [1, 1, 1]]) {
    const f = randn(rng, [b, n, c]) as tf.Tensor3D;
    const r = randn(rng, [b, c, c]); // a non-symmetric upstream gradient exercises dG + dGᵀ
    const reference = (x: tf.Tensor) => matMul(tf.transpose(x, [0, 2, 1]) as tf.Tensor3D, x as tf.Tensor3D);
    const run = (g: (x: tf.Tensor) => tf.Tensor) => tf.tidy(() => {
      const value = g(f).dataSync().slice();
      const [grad] = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(g(x), r)))([f]);
      return { value, grad: grad.dataSync().slice() };
    });
    const got = run((x) => gramMatrix(x as tf.Tensor3D));
    const want = run(reference);
    assert.deepEqual(Array.from(got.value), Array.from(want.value), `value [${b}, ${n}, ${c}]`);
    assertClose(got.grad, want.grad, 1e-6, `gradient [${b}, ${n}, ${c}]`);
    tf.dispose([f, r]);
  }
  const flat = tf.zeros([2, 2]);
  assert.throws(() => gramMatrix(flat as tf.Tensor3D), /f must be \[B, n, c\]/);
  flat.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
});

/**
 * Value (bits, or to valueRel when given) and gradients (to rel) of `got` against `want`, both of the same inputs,
 * under a random projection.
 */
function compareOps(
  got: (...xs: tf.Tensor[]) => tf.Tensor, want: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[], rel: number, what: string, valueRel?: number,
): void {
  const shape = tf.tidy(() => want(...inputs).shape);
  const r = randn(new Rng(inputs.length * 31 + inputs[0].size), shape);
  const run = (f: (...xs: tf.Tensor[]) => tf.Tensor) => tf.tidy(() => {
    const y = f(...inputs);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
    return { value: bits(y), floats: y.dataSync().slice(), grads: grads.map((g) => g.dataSync().slice()) };
  });
  const a = run(got);
  const b = run(want);
  r.dispose();
  if (valueRel === undefined) assert.deepEqual(a.value, b.value, `${what}: forward value`);
  else assertClose(a.floats, b.floats, valueRel, `${what}: forward value`);
  a.grads.forEach((g, i) => assertClose(g, b.grads[i], rel, `${what}: gradient of input ${i}`));
}

/**
 * Forward-value tolerance of groupNormalize: bit-equal on cpu (the same tf ops); on wasm the SIMD kernels of
 * lib/nn/kernels/wasm-norm.ts sum in another order, so float rounding only (see nn-fused-norm.test.ts).
 */
const FUSED_NORM_VALUE_REL = { cpu: undefined, wasm: 1e-6 } as const;

/** The plain tfjs composition groupNormalize replaces (as lib/nn's groupNorm was). */
function groupNormComposition(
  x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, groups: number, eps: number, act: boolean,
): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const xg = tf.reshape(x, [n, h, w, groups, c / groups]);
  const { mean, variance } = tf.moments(xg, [1, 2, 4], true);
  const xn = tf.reshape(tf.div(tf.sub(xg, mean), tf.sqrt(tf.add(variance, eps))), [n, h, w, c]);
  const y = tf.add(tf.mul(xn, gamma), beta);
  return act ? tf.mul(y, tf.sigmoid(y)) : y;
}

for (const backend of BACKENDS) test(`swish, groupNormalize (± Swish) on ${backend} = tfjs compositions`, async () => {
  await use(backend);
  const before = tf.memory().numTensors;
  const rng = new Rng(24);
  const x = randn(rng, [3, 17], 4);
  compareOps((a) => swish(a), (a) => tf.mul(a, tf.sigmoid(a)), [x], 1e-6, 'swish');
  const cases = [[[2, 5, 3, 8], 2, 1e-5], [[3, 4, 4, 6], 6, 1e-3], [[1, 2, 2, 4], 1, 1e-5]] as const;
  for (const [shape, groups, eps] of cases) {
    // Channels with different offsets and scales, so the normalisation matters.
    const c = shape[3];
    const xs = tf.tidy(() => tf.add(tf.mul(randn(rng, [...shape]), randn(rng, [c], 2)), randn(rng, [c], 3)));
    const gamma = randn(rng, [shape[3]]);
    const beta = randn(rng, [shape[3]]);
    for (const act of [false, true]) {
      compareOps(
        (a, g, b) => groupNormalize(a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, { groups, eps, swish: act }),
        (a, g, b) => groupNormComposition(a, g, b, groups, eps, act),
        [xs, gamma, beta], 1e-5, `groupNormalize [${shape}] groups ${groups} swish ${act}`,
        FUSED_NORM_VALUE_REL[backend]);
    }
    tf.dispose([xs, gamma, beta]);
  }
  const x4 = tf.zeros([1, 2, 2, 6]);
  const g6 = tf.ones([6]);
  const gn = (b: tf.Tensor, groups: number) =>
    groupNormalize(x4 as tf.Tensor4D, g6 as tf.Tensor1D, b as tf.Tensor1D, { groups });
  assert.throws(() => gn(g6, 4), /dividing the channel count 6/);
  const b5 = tf.ones([5]);
  assert.throws(() => gn(b5, 2), /gamma and beta must be \[6\]/);
  tf.dispose([x, x4, g6, b5]);
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
});

for (const backend of BACKENDS) test(`layerNormalize on ${backend} = the tf.moments composition`, async () => {
  await use(backend);
  const before = tf.memory().numTensors;
  const rng = new Rng(25);
  for (const shape of [[6, 10], [2, 3, 5], [4, 16]]) {
    const c = shape[shape.length - 1];
    const x = tf.tidy(() => tf.add(randn(rng, shape, 3), 2));
    const gamma = randn(rng, [c]);
    const beta = randn(rng, [c]);
    const composition = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    };
    compareOps((a, g, b) => layerNormalize(a, g as tf.Tensor1D, b as tf.Tensor1D), composition, [x, gamma, beta], 1e-5,
      `layerNormalize [${shape}]`);
    tf.dispose([x, gamma, beta]);
  }
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
});

for (const backend of BACKENDS) test(`repeatEachRow on ${backend} equals the 0/1 repeat-matrix product`, async () => {
  await use(backend);
  const before = tf.memory().numTensors;
  const rng = new Rng(26);
  for (const [r, n, k] of [[5, 7, 4], [3, 2, 2], [4, 3, 1]]) {
    const t = randn(rng, [r, n]);
    const rep = new Float32Array(r * k * r);
    for (let i = 0; i < r * k; i++) rep[i * r + Math.floor(i / k)] = 1;
    const m = tf.tensor2d(rep, [r * k, r]);
    const what = `repeatEachRow ${r}×${n}, k ${k}`;
    compareOps((a) => repeatEachRow(a as tf.Tensor2D, k), (a) => matMul(m, a as tf.Tensor2D), [t], 1e-6, what);
    tf.dispose([t, m]);
  }
  const t = tf.zeros([2, 2]);
  assert.throws(() => repeatEachRow(t as tf.Tensor2D, 0), /k must be an integer >= 1/);
  t.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
});
