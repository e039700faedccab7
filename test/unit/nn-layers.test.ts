import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  tf, initBackend, type Params, addParam, disposeParams, initDense, denseLayer, initConv2d, conv2dLayer,
  initConvTranspose2d, convTranspose2dLayer, upsampleConvLayer, initGroupNorm, groupNorm, initResBlock, resBlock,
  initAttention, attentionBlock, swish, reparameterize, gumbelSoftmax, straightThrough, reinforceSurrogate,
  hardOneHotStraightThrough, matMul,
} from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';

// Truth: central finite differences of the forward pass (cpu backend), independent of every hand-written gradient.

before(async () => {
  await initBackend('cpu');
});

function randn(rng: Rng, shape: number[], std = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillNormal(new Float32Array(n), 0, std) as Float32Array, shape);
}

/** Compares tf.grads of loss() w.r.t. every variable in p with central differences on `probes` coordinates each. */
function checkGradients(p: Params, loss: () => tf.Scalar, what: string, probes = 6, h = 1e-2, rel = 1e-2): void {
  const names = Object.keys(p);
  const vars = names.map((k) => p[k]);
  const { grads } = tf.variableGrads(loss, vars);
  const rng = new Rng(names.length * 7 + 1);
  const evalLoss = () => tf.tidy(() => loss().dataSync()[0]);
  for (const k of names) {
    const v = p[k];
    const g = grads[v.name].dataSync();
    const base = v.dataSync().slice();
    let worst = 0;
    let scale = 0;
    for (let t = 0; t < Math.min(probes, base.length); t++) {
      const i = rng.int(base.length);
      const at = (d: number) => {
        const x = base.slice();
        x[i] += d;
        v.assign(tf.tensor(x, v.shape));
        return evalLoss();
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g[i]));
      scale = Math.max(scale, Math.abs(fd), Math.abs(g[i]));
      v.assign(tf.tensor(base, v.shape));
    }
    assert.ok(worst <= rel * scale + 1e-4, `${what}: ${k} max |fd − grad| ${worst.toExponential(2)}, scale ${scale.toExponential(2)}`);
  }
  tf.dispose(Object.values(grads));
}

/** Params for the inputs themselves, so input gradients are checked the same way. */
function inputParam(p: Params, name: string, t: tf.Tensor): tf.Variable {
  return addParam(p, name, t);
}

function projLoss(y: tf.Tensor, seed: number): tf.Scalar {
  // A random projection makes every output coordinate matter (a plain sum hides e.g. GroupNorm's mean terms).
  return tf.sum(tf.mul(y, randn(new Rng(seed), y.shape))) as tf.Scalar;
}

test('GroupNorm forward equals a direct computation', () => {
  const rng = new Rng(1);
  const p: Params = {};
  initGroupNorm(p, 'gn', 4);
  p['gn.gamma'].assign(tf.tensor1d([1, 2, -1, 0.5]));
  p['gn.beta'].assign(tf.tensor1d([0, 1, 0, -1]));
  const x = randn(rng, [2, 3, 2, 4]);
  const y = groupNorm(p, 'gn', x as tf.Tensor4D, 2).dataSync();
  const xv = x.dataSync();
  const g = [1, 2, -1, 0.5], bta = [0, 1, 0, -1];
  for (let n = 0; n < 2; n++) {
    for (let grp = 0; grp < 2; grp++) {
      const idx: number[] = [];
      for (let s = 0; s < 6; s++) for (let c = grp * 2; c < grp * 2 + 2; c++) idx.push(n * 24 + s * 4 + c);
      const mean = idx.reduce((a, i) => a + xv[i], 0) / idx.length;
      const vr = idx.reduce((a, i) => a + (xv[i] - mean) ** 2, 0) / idx.length;
      for (const i of idx) {
        const c = i % 4;
        assert.ok(Math.abs(y[i] - (g[c] * (xv[i] - mean) / Math.sqrt(vr + 1e-5) + bta[c])) < 1e-5);
      }
    }
  }
  disposeParams(p);
  x.dispose();
});

test('gradients: GroupNorm, Swish, dense, matMul (explicit-transpose backward)', () => {
  const rng = new Rng(2);
  const p: Params = {};
  initGroupNorm(p, 'gn', 6);
  p['gn.gamma'].assign(randn(rng, [6]));
  p['gn.beta'].assign(randn(rng, [6]));
  inputParam(p, 'x', randn(rng, [2, 3, 3, 6]));
  checkGradients(p, () => projLoss(swish(groupNorm(p, 'gn', p.x as tf.Tensor4D, 3)), 10), 'GroupNorm+Swish');
  disposeParams(p);

  initDense(p, 'd', { inDim: 5, outDim: 3, rng });
  inputParam(p, 'x', randn(rng, [4, 2, 5]));
  checkGradients(p, () => projLoss(denseLayer(p, 'd', p.x), 11), 'dense (rank 3 input)');
  disposeParams(p);

  inputParam(p, 'a', randn(rng, [2, 3, 4]));
  inputParam(p, 'b', randn(rng, [2, 4, 5]));
  checkGradients(p, () => projLoss(matMul(p.a as tf.Tensor3D, p.b as tf.Tensor3D), 12), 'batched matMul');
  disposeParams(p);
});

test('gradients: strided down-sampling conv, transposed-conv and nearest+conv up-sampling', () => {
  const rng = new Rng(3);
  const p: Params = {};
  initConv2d(p, 'down', { k: 3, cin: 2, cout: 3, rng });
  initConvTranspose2d(p, 'up', { k: 4, cin: 3, cout: 2, rng });
  initConv2d(p, 'up2', { k: 3, cin: 3, cout: 2, rng });
  inputParam(p, 'x', randn(rng, [2, 6, 6, 2]));
  const x4 = () => p.x as tf.Tensor4D;
  checkGradients(p, () => {
    const d = conv2dLayer(p, 'down', x4(), 2);
    assert.deepEqual(d.shape, [2, 3, 3, 3]);
    const u = convTranspose2dLayer(p, 'up', tf.tanh(d) as tf.Tensor4D);
    const u2 = upsampleConvLayer(p, 'up2', d);
    assert.deepEqual(u.shape, [2, 6, 6, 2]);
    return tf.add(projLoss(u, 13), projLoss(u2, 14)) as tf.Scalar;
  }, 'down/up convs');
  disposeParams(p);
});

test('gradients: ResBlock (cin≠cout, 1×1 skip) and self-attention block', () => {
  const rng = new Rng(4);
  const p: Params = {};
  initResBlock(p, 'rb', { cin: 4, cout: 6, rng });
  initAttention(p, 'at', { channels: 6, rng });
  inputParam(p, 'x', randn(rng, [1, 4, 4, 4]));
  checkGradients(p, () => projLoss(attentionBlock(p, 'at', resBlock(p, 'rb', p.x as tf.Tensor4D, 2), 3), 15), 'ResBlock+attention', 4);
  disposeParams(p);
});

test('a conv net (ResBlock, strided down, attention, transposed + nearest up) has the same gradients on wasm as on cpu', async () => {
  const rng = new Rng(5);
  const shapes: Record<string, number[]> = {};
  const init: Params = {};
  initResBlock(init, 'rb', { cin: 4, cout: 6, rng });
  initConv2d(init, 'down', { k: 3, cin: 6, cout: 6, rng });
  initAttention(init, 'at', { channels: 6, rng });
  initConvTranspose2d(init, 'up', { k: 4, cin: 6, cout: 4, rng });
  initConv2d(init, 'up2', { k: 3, cin: 6, cout: 4, rng });
  const values = Object.fromEntries(Object.entries(init).map(([k, v]) => { shapes[k] = v.shape; return [k, v.dataSync().slice()]; }));
  disposeParams(init);
  const xv = randn(rng, [2, 6, 6, 4]).dataSync().slice();
  const grads = async (backend: string) => {
    await tf.setBackend(backend);
    const p: Params = {};
    for (const k of Object.keys(values)) addParam(p, k, tf.tensor(values[k], shapes[k]));
    const net = () => {
      const h = attentionBlock(p, 'at', conv2dLayer(p, 'down', resBlock(p, 'rb', tf.tensor4d(xv, [2, 6, 6, 4]), 2), 2), 3);
      return tf.add(projLoss(convTranspose2dLayer(p, 'up', h), 16), projLoss(upsampleConvLayer(p, 'up2', h), 17)) as tf.Scalar;
    };
    const { grads: g } = tf.variableGrads(net, Object.values(p));
    const out = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, g[v.name].dataSync().slice()]));
    tf.dispose(Object.values(g));
    disposeParams(p);
    return out;
  };
  await initBackend('wasm');
  const ref = await grads('cpu');
  const got = await grads('wasm');
  for (const k of Object.keys(ref)) {
    const scale = Math.max(...Array.from(ref[k], Math.abs));
    const diff = Math.max(...Array.from(ref[k], (r, i) => Math.abs(r - got[k][i])));
    // + 1e-6: at.k.b has an exactly-zero true gradient (softmax ignores a per-query constant), only rounding noise.
    assert.ok(diff <= 1e-4 * scale + 1e-6, `${k}: ${diff} vs scale ${scale}`);
  }
  await tf.setBackend('cpu');
});

test('reparameterisation: value μ + σε, gradients by finite differences', () => {
  const rng = new Rng(6);
  const p: Params = {};
  inputParam(p, 'mu', randn(rng, [3, 2]));
  inputParam(p, 'lv', randn(rng, [3, 2], 0.5));
  const eps = randn(rng, [3, 2]);
  const z = reparameterize(p.mu, p.lv, eps).dataSync();
  const mu = p.mu.dataSync(), lv = p.lv.dataSync(), e = eps.dataSync();
  z.forEach((v, i) => assert.ok(Math.abs(v - (mu[i] + Math.exp(lv[i] / 2) * e[i])) < 1e-5));
  checkGradients(p, () => projLoss(tf.square(reparameterize(p.mu, p.lv, eps)), 17), 'reparameterize');
  disposeParams(p);
  eps.dispose();
});

test('Gumbel-softmax: soft gradient by finite differences; hard = one-hot forward with the soft gradient', () => {
  const p: Params = {};
  inputParam(p, 'logits', randn(new Rng(7), [5, 4]));
  const seed = new Rng(70).getState();
  // Same noise on every evaluation: re-seed the Rng from a fixed state.
  const soft = () => gumbelSoftmax(p.logits, { tau: 0.7, rng: Rng.fromState(seed) });
  checkGradients(p, () => projLoss(soft(), 18), 'gumbel soft');
  const hard = gumbelSoftmax(p.logits, { tau: 0.7, rng: Rng.fromState(seed), hard: true });
  const s = soft();
  const hv = hard.dataSync(), sv = s.dataSync();
  for (let r = 0; r < 5; r++) {
    const row = Array.from(sv.slice(r * 4, r * 4 + 4));
    const am = row.indexOf(Math.max(...row));
    assert.deepEqual(Array.from(hv.slice(r * 4, r * 4 + 4)), [0, 1, 2, 3].map((j) => (j === am ? 1 : 0)));
  }
  const gh = tf.grad((l: tf.Tensor) => projLoss(gumbelSoftmax(l, { tau: 0.7, rng: Rng.fromState(seed), hard: true }),
    19))(p.logits).dataSync();
  const gs = tf.grad((l: tf.Tensor) => projLoss(gumbelSoftmax(l, { tau: 0.7, rng: Rng.fromState(seed), hard: false }),
    19))(p.logits).dataSync();
  gh.forEach((v, i) => assert.ok(Math.abs(v - gs[i]) < 1e-6));
  assert.ok(gs.some((v) => Math.abs(v) > 1e-3), 'gradient is not trivially zero');
  disposeParams(p);
});

test('straight-through: forward value exact, gradient passed to the "through" input only', () => {
  const x = tf.tensor1d([-1.3, 0.2, 2.7]);
  const q = straightThrough(tf.round(x), x);
  assert.deepEqual(Array.from(q.dataSync()), [-1, 0, 3]);
  const [gv, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(straightThrough(a, b), tf.tensor1d([1, 2, 3]))))([tf.round(x), x]);
  assert.deepEqual(Array.from(gv.dataSync()), [0, 0, 0]);
  assert.deepEqual(Array.from(gt.dataSync()), [1, 2, 3]);
  const g1 = tf.grad((s: tf.Tensor) => tf.sum(tf.mul(hardOneHotStraightThrough(s), tf.tensor2d([[1, 2, 3]]))))(tf.tensor2d([[0.1, 0.5, 0.4]]));
  assert.deepEqual(Array.from(g1.dataSync()), [1, 2, 3]);
});

test('REINFORCE surrogate with a baseline: Monte-Carlo gradient ≈ exact ∇E[cost] of a categorical', () => {
  const theta = tf.tensor1d([0.3, -0.5, 1.0, 0.0]);
  const cost = [2.0, -1.0, 0.5, 3.0];
  // Exact: ∇_θ Σ_a softmax(θ)_a c_a, by autodiff of the closed-form expectation.
  const exact = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.tensor1d(cost))))(theta).dataSync();
  const probs = tf.softmax(theta).dataSync();
  const rng = new Rng(8);
  const n = 20000;
  const actions = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform(), a = 0;
    while (a < 3 && u >= probs[a]) { u -= probs[a]; a++; }
    actions[i] = a;
  }
  const baseline = cost.reduce((s, c, a) => s + c * probs[a], 0);
  const est = tf.grad((t: tf.Tensor) => {
    const logp = tf.gather(tf.logSoftmax(t), tf.tensor1d(actions, 'int32'));
    return reinforceSurrogate(logp, tf.gather(tf.tensor1d(cost), tf.tensor1d(actions, 'int32')), baseline);
  })(theta).dataSync();
  // Std of the estimator ≲ max|c−b|/√n ≈ 0.02; allow 4σ.
  exact.forEach((g, i) => assert.ok(Math.abs(est[i] - g) < 0.06, `θ${i}: ${est[i]} vs ${g}`));
  assert.ok(Math.max(...Array.from(exact, Math.abs)) > 0.2, 'the exact gradient is non-trivial');
});
