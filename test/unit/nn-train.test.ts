import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  tf, initBackend, describeBackend, configHash, canonicalJson, saveWeights, loadWeights, loadWeightsInto,
  loadLayersModel, Adam, train, loadWasmBackend, initDense, denseLayer, disposeParams, cliProgressBar, type Params,
} from '../../lib/nn/index.js';
import { Rng } from '../../lib/core/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nn-train-'));

test('initBackend: TFJS_BACKEND honoured, unknown value rejected, alias detected', async () => {
  const saved = process.env.TFJS_BACKEND;
  try {
    process.env.TFJS_BACKEND = 'gpu-please';
    await assert.rejects(() => initBackend(), (e: Error) => e instanceof RangeError && /TFJS_BACKEND/.test(e.message));
    await assert.rejects(() => initBackend('webgl' as 'cpu'), RangeError);
    process.env.TFJS_BACKEND = 'cpu';
    const c = await initBackend();
    assert.equal(c.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    delete process.env.TFJS_BACKEND;
    const auto = await initBackend();
    const native = auto.tried.filter((t) => t.name.startsWith('@tensorflow/tfjs-node'));
    assert.ok(native.length >= 1, JSON.stringify(auto.tried));
    if (native.some((t) => t.ok)) {
      assert.equal(auto.name, 'tensorflow');
    } else {
      // This project's tfjs-node is an npm alias of plain tfjs: it must be recognised and wasm chosen.
      assert.equal(auto.name, 'wasm');
      for (const t of native) assert.match(t.reason, /alias|not installed|registered no native/);
      assert.match(describeBackend(), /^tfjs 4\.22\.0, backend wasm \(tfjs-node-gpu: [^;]+; tfjs-node: [^)]+\)$/);
    }
  } finally {
    if (saved === undefined) delete process.env.TFJS_BACKEND;
    else process.env.TFJS_BACKEND = saved;
    await tf.setBackend('cpu');
  }
});

test('configHash: canonical JSON, key order irrelevant, non-finite rejected', () => {
  assert.equal(canonicalJson({ b: [1, 2, { d: 'x', c: null }], a: 0.5 }), '{"a":0.5,"b":[1,2,{"c":null,"d":"x"}]}');
  const expected = createHash('sha256').update('{"a":0.5,"b":[1,2,{"c":null,"d":"x"}]}').digest('hex');
  assert.equal(configHash({ a: 0.5, b: [1, 2, { c: null, d: 'x' }] }), expected);
  assert.notEqual(configHash({ a: 1 }), configHash({ a: 2 }));
  assert.throws(() => configHash({ a: NaN }), RangeError);
  assert.throws(() => configHash({ f: () => 1 }), TypeError);
});

test('saveWeights/loadWeights: exact round trip, corruption detected', async () => {
  await tf.setBackend('cpu');
  const dir = tmp();
  const a = tf.tensor2d([[1.5, -2], [3e-8, 4e7]]);
  const b = tf.tensor1d([7, 8, 9], 'int32');
  await saveWeights(join(dir, 'w.json'), { a, b }, { note: 'x' });
  const { tensors, meta } = loadWeights(join(dir, 'w.json'));
  assert.deepEqual(meta, { note: 'x' });
  assert.deepEqual(Array.from(tensors.a.dataSync()), Array.from(new Float32Array([1.5, -2, 3e-8, 4e7])));
  assert.deepEqual(tensors.a.shape, [2, 2]);
  assert.equal(tensors.b.dtype, 'int32');
  assert.deepEqual(Array.from(tensors.b.dataSync()), [7, 8, 9]);
  const v = { a: tf.variable(tf.zeros([2, 2])), b: tf.variable(tf.zeros([3], 'int32')) };
  loadWeightsInto(join(dir, 'w.json'), v);
  assert.deepEqual(Array.from(v.a.dataSync()), Array.from(a.dataSync()));
  const bytes = readFileSync(join(dir, 'w.bin'));
  bytes[0] ^= 1;
  writeFileSync(join(dir, 'w.bin'), bytes);
  assert.throws(() => loadWeights(join(dir, 'w.json')), /does not match/);
  assert.deepEqual(readdirSync(dir).sort(), ['w.bin', 'w.json']); // no temp files left behind
  tf.dispose([a, b, v.a, v.b, ...Object.values(tensors)]);
  rmSync(dir, { recursive: true });
});

test('saveWeights on a tf.LayersModel: reloaded model predicts identically', async () => {
  await tf.setBackend('cpu');
  const dir = tmp();
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 2 })] });
  const x = tf.tensor2d([[0.1, -0.2, 0.3], [1, 2, 3]]);
  const y1 = (model.predict(x) as tf.Tensor).dataSync();
  await saveWeights(join(dir, 'm.json'), model);
  const m2 = await loadLayersModel(join(dir, 'm.json'));
  const y2 = (m2.predict(x) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(y2), Array.from(y1));
  model.dispose();
  m2.dispose();
  x.dispose();
  rmSync(dir, { recursive: true });
});

const BACKENDS = ['cpu', 'wasm'] as const;

const torchTitle = (backend: string, warmup: number) =>
  `Adam on ${backend} matches a float64 transcription of torch.optim.Adam (coupled weight decay, warm-up ${warmup})`;

for (const backend of BACKENDS) for (const warmupSteps of [0, 4]) test(torchTitle(backend, warmupSteps), async () => {
  if (backend === 'wasm') loadWasmBackend();
  await tf.setBackend(backend);
  const lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
  const x0 = [1.0, -2.0, 0.5];
  const p: Params = { x: tf.variable(tf.tensor1d(x0)) };
  const opt = new Adam(p, { lr, weightDecay: wd, warmupSteps });
  // loss = Σ c_i x_i² → grad 2 c_i x_i
  const c = [1, 3, 0.5];
  const x = x0.slice(), m = [0, 0, 0], v = [0, 0, 0];
  for (let t = 1; t <= 6; t++) {
    const g = tf.tidy(() => tf.grad((q: tf.Tensor) => tf.sum(tf.mul(tf.tensor1d(c), tf.square(q))))(p.x));
    opt.apply({ x: g });
    g.dispose();
    for (let i = 0; i < 3; i++) {
      const gi = 2 * c[i] * x[i] + wd * x[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
      const lrT = warmupSteps > 0 ? lr * Math.min(1, t / warmupSteps) : lr;
      x[i] -= (lrT / (1 - b1 ** t)) * (m[i] / denom);
    }
  }
  const got = p.x.dataSync();
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - x[i]) < 1e-5, `x[${i}] ${got[i]} vs ${x[i]}`);
  assert.equal(opt.step, 6);
  opt.dispose();
  disposeParams(p);
});

/** Bits of a float32 tensor (so −0 ≠ +0 and every NaN payload counts). */
const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

// Reference: Adam.applyOps, the op-by-op update (tf kernels); candidate: Adam.apply, the fused wasm pass.
test('Adam on wasm: the fused update is bit-identical to the op-by-op one (moments, params, 8 steps)', async () => {
  loadWasmBackend();
  await tf.setBackend('wasm');
  const rng = new Rng(11);
  // Sizes around the 4-lane SIMD width (tails of 1–3), a conv filter, and one large enough to exercise the loop.
  const shapes = [[1], [3], [4], [5], [2, 3], [3, 3, 4, 8], [1027]];
  const randn = (n: number, scale = 1) => Float32Array.from(rng.fillNormal(new Float32Array(n)), (x) => x * scale);
  const settings = [{ lr: 0.01 }, { lr: 0.003, weightDecay: 0.05, warmupSteps: 3, beta1: 0.8, beta2: 0.99, eps: 1e-6 }];
  for (const opts of settings) {
    const before = tf.memory().numTensors;
    const init = shapes.map((s) => randn(s.reduce((a, b) => a * b, 1)));
    const make = (): Params =>
      tf.tidy(() => Object.fromEntries(shapes.map((s, i) => [`p${i}`, tf.variable(tf.tensor(init[i], s))])));
    const ref = make();
    const got = make();
    const oRef = new Adam(ref, opts);
    const oGot = new Adam(got, opts);
    for (let t = 1; t <= 8; t++) {
      // Gradients over 8 orders of magnitude, some exactly zero, and one parameter without a gradient at step 2.
      const grads: Record<string, tf.Tensor> = {};
      shapes.forEach((s, i) => {
        const n = s.reduce((a, b) => a * b, 1);
        const g = randn(n).map((x, j) => (j % 7 === 3 ? 0 : x * 10 ** (8 * rng.uniform() - 4)));
        if (!(t === 2 && i === 4)) grads[`p${i}`] = tf.tensor(g, s);
      });
      oRef.applyOps(grads);
      oGot.apply(grads);
      tf.dispose(Object.values(grads));
      for (const k of Object.keys(ref)) {
        assert.deepEqual(bits(got[k]), bits(ref[k]), `param ${k} after step ${t} (${JSON.stringify(opts)})`);
        assert.deepEqual(bits(oGot.getState().m[k]), bits(oRef.getState().m[k]), `m of ${k} after step ${t}`);
        assert.deepEqual(bits(oGot.getState().v[k]), bits(oRef.getState().v[k]), `v of ${k} after step ${t}`);
      }
      const initBits = new Uint32Array(init[6].buffer);
      assert.ok(bits(got.p6).some((b, j) => b !== initBits[j]), 'the parameters moved');
    }
    assert.equal(oGot.step, 8);
    [oRef, oGot].forEach((o) => o.dispose());
    [ref, got].forEach(disposeParams);
    assert.equal(tf.memory().numTensors, before, 'no tensor leak');
  }
  await tf.setBackend('cpu');
});

test('Adam on wasm: the fused update leaves no stale kernel caches and never writes a shared buffer', async () => {
  loadWasmBackend();
  await tf.setBackend('wasm');
  const rng = new Rng(12);
  const randn = (shape: number[]) =>
    tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))) as Float32Array, shape);
  const p: Params = { w: tf.variable(randn([3, 3, 2, 4])), d: tf.variable(randn([6, 5])) };
  const x = randn([1, 5, 5, 2]) as tf.Tensor4D;
  const a = randn([2, 6]) as tf.Tensor2D;
  const opt = new Adam(p, { lr: 0.1 });
  const grads = { w: randn([3, 3, 2, 4]), d: randn([6, 5]) };
  for (let t = 0; t < 3; t++) {
    // The conv and matmul below cache their packed weights by tensor id: a weight written in place would keep
    // computing with the old values. Reference: the same op on a fresh tensor of the variable's current values.
    const conv = tf.conv2d(x, p.w as tf.Variable<tf.Rank.R4>, 1, 'same');
    const convRef = tf.conv2d(x, tf.tensor4d(p.w.dataSync(), [3, 3, 2, 4]), 1, 'same');
    const mm = tf.matMul(a, p.d as tf.Variable<tf.Rank.R2>);
    const mmRef = tf.matMul(a, tf.tensor2d(p.d.dataSync(), [6, 5]));
    assert.deepEqual(bits(conv), bits(convRef), `conv with the updated filter, step ${t}`);
    assert.deepEqual(bits(mm), bits(mmRef), `matmul with the updated weight, step ${t}`);
    // Copies that share the buffers (tf.clone shares data on wasm) keep the values they had.
    const snapshots = [p.w, opt.getState().m.w, opt.getState().v.d].map((s) => [tf.clone(s), bits(s)] as const);
    opt.apply(grads);
    for (const [clone, was] of snapshots) assert.deepEqual(bits(clone), was, 'a clone taken before apply is unchanged');
    assert.notDeepEqual(bits(p.w), snapshots[0][1], 'the parameter itself moved');
    tf.dispose([conv, convRef, mm, mmRef, ...snapshots.map(([c]) => c)]);
  }
  // A gradient whose data lives on another backend: the op-by-op update for that variable (same result).
  await tf.setBackend('cpu');
  const gCpu = tf.tensor(grads.d.dataSync(), [6, 5]);
  await tf.setBackend('wasm');
  const twin: Params = { d: tf.variable(tf.tensor(p.d.dataSync(), [6, 5])) };
  const twinOpt = new Adam(twin, { lr: 0.1 });
  const ref = new Adam({ d: p.d }, { lr: 0.1 });
  const pd = bits(p.d);
  twinOpt.apply({ d: gCpu });
  ref.applyOps({ d: grads.d });
  assert.deepEqual(bits(twin.d), bits(p.d), 'fallback update equals the op-by-op one');
  assert.notDeepEqual(bits(p.d), pd);
  [twinOpt, ref].forEach((o) => o.dispose());
  disposeParams(twin);
  gCpu.dispose();
  const bad = randn([3, 3, 2, 5]);
  assert.throws(() => opt.apply({ w: bad }), /grads\["w"\] must be a float32 tensor of shape \[3,3,2,4\]/);
  bad.dispose();
  assert.throws(() => opt.apply({ nope: randn([1]) }), /unknown parameter "nope"/);
  opt.dispose();
  disposeParams(p);
  tf.dispose([x, a, ...Object.values(grads)]);
  await tf.setBackend('cpu');
});

/** A small regression problem whose batches and init come from the Rng. */
function setup(seed: number): { params: Params; rng: Rng; lossFn: (c: { step: number; rng: Rng }) => tf.Scalar } {
  const rng = new Rng(seed);
  const params: Params = {};
  initDense(params, 'l1', { inDim: 4, outDim: 8, rng });
  initDense(params, 'l2', { inDim: 8, outDim: 1, rng });
  const lossFn = ({ rng: r }: { step: number; rng: Rng }) => {
    const xs = new Float32Array(16 * 4);
    const ys = new Float32Array(16);
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 4; j++) xs[i * 4 + j] = r.normal();
      ys[i] = Math.sin(xs[i * 4]) + 0.5 * xs[i * 4 + 1] * xs[i * 4 + 2];
    }
    const h = tf.tanh(denseLayer(params, 'l1', tf.tensor2d(xs, [16, 4])));
    return tf.mean(tf.square(tf.sub(tf.reshape(denseLayer(params, 'l2', h), [16]), tf.tensor1d(ys)))) as tf.Scalar;
  };
  return { params, rng, lossFn };
}

// On wasm this covers the fused Adam's moments through checkpoint save (getState) and restore (setState).
const resumeTitle = (backend: string) =>
  `train on ${backend}: interrupted at step k and resumed from disk = uninterrupted run (bit-exact); ` +
  'finished run is cached';

for (const backend of BACKENDS) test(resumeTitle(backend), async () => {
  if (backend === 'wasm') loadWasmBackend();
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const config = { task: 'toy', seed: 1 };
  const opt = { lr: 1e-2, weightDecay: 1e-4 };

  const dirA = tmp();
  const a = setup(1);
  const ra = await train({ ...a, steps: 30, optimizer: opt, config, checkpointDir: dirA, checkpointEvery: 7 });
  assert.equal(ra.completed, true);
  assert.ok(ra.lossHistory[29] < ra.lossHistory[0], 'loss decreases');
  const wa = Object.fromEntries(Object.entries(a.params).map(([k, v]) => [k, Array.from(v.dataSync())]));

  const dirB = tmp();
  const b1 = setup(1);
  const rb1 = await train({ ...b1, steps: 30, optimizer: opt, config, checkpointDir: dirB, checkpointEvery: 7, stopAtStep: 17 });
  assert.equal(rb1.completed, false);
  assert.equal(rb1.stepsDone, 17);
  disposeParams(b1.params); // "kill": nothing survives in memory
  const b2 = setup(999); // a different init and Rng: everything must come from the checkpoint
  const progress: number[] = [];
  const rb2 = await train({ ...b2, steps: 30, optimizer: opt, config, checkpointDir: dirB, checkpointEvery: 7, onProgress: (p) => progress.push(p.step) });
  assert.equal(rb2.resumedFrom, 17);
  assert.equal(progress[0], 18);
  assert.deepEqual(rb2.lossHistory, ra.lossHistory);
  for (const [k, v] of Object.entries(b2.params)) assert.deepEqual(Array.from(v.dataSync()), wa[k], `param ${k}`);

  // Same config again: loaded, not retrained.
  const c = setup(5);
  let calls = 0;
  const rc = await train({ ...c, lossFn: (x) => { calls++; return c.lossFn(x); }, steps: 30, optimizer: opt, config, checkpointDir: dirB });
  assert.equal(rc.fromCache, true);
  assert.equal(calls, 0);
  for (const [k, v] of Object.entries(c.params)) assert.deepEqual(Array.from(v.dataSync()), wa[k]);
  // Another config in the same folder is refused rather than mixed up.
  await assert.rejects(() => train({ ...c, steps: 30, optimizer: opt, config: { other: 1 }, checkpointDir: dirB }), RangeError);
  assert.deepEqual(readdirSync(dirB).sort(), ['adam-30.bin', 'adam-30.json', 'checkpoint.json', 'params-30.bin', 'params-30.json']);

  [a, b2, c].forEach((s) => disposeParams(s.params));
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
  rmSync(dirA, { recursive: true });
  rmSync(dirB, { recursive: true });
});

test('train: a diverging loss is reported, not recorded as NaN', async () => {
  await tf.setBackend('cpu');
  const p: Params = { x: tf.variable(tf.scalar(1)) };
  await assert.rejects(() => train({ params: p, steps: 3, rng: new Rng(1), lossFn: () => tf.div(p.x, 0).mul(0) as tf.Scalar }), /loss is NaN at step 1/);
  disposeParams(p);
});

test('cliProgressBar draws on a TTY only', () => {
  const written: string[] = [];
  const fake = (isTTY: boolean) => ({ isTTY, write: (s: string) => { written.push(s); return true; } }) as unknown as NodeJS.WriteStream;
  cliProgressBar(fake(false))({ step: 1, total: 4, loss: 0.5, elapsedMs: 100 });
  assert.equal(written.length, 0);
  const bar = cliProgressBar(fake(true), 4);
  bar({ step: 1, total: 4, loss: 0.5, elapsedMs: 100 });
  assert.equal(written[0], '\r[#...] 1/4 loss 0.5000 eta 0s');
  bar({ step: 4, total: 4, loss: 0.25, elapsedMs: 400 });
  assert.equal(written.at(-1), '\n');
});
