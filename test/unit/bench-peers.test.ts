/**
 * The paper-model benchmark's set-up (bench/paper-models.ts, bench/peers/, bench/step-profile.ts), without timing
 * anything: the configurations are the ones issue 15 names; each model's training step runs, moves the
 * parameters and leaves nothing NaN; the PyTorch mirror has exactly as many parameters as the tfjs model (the
 * mirror, written independently from torch layers, is the reference count; skipped without python3-torch); and
 * the kernel profiler counts calls it can be checked against (two Adds per step are two Adds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, initBackend } from '../../lib/nn/index.js';
import { latentsPerImage } from '../../lib/papers/codebook/config.js';
import {
  PAPER_MODELS, buildBenchModel, codebookBenchConfig, e2ecAuthorsBenchConfig, e2ecTable1BenchConfig, paramCount,
  vsccBenchConfig,
} from '../../bench/paper-models.js';
import { PythonPeer, peerScript } from '../../bench/python-peer.js';
import { profileSteps } from '../../bench/step-profile.js';
import { parseNnArgs } from '../../bench/nn.js';

test('bench configurations: the full-profile models issue 15 times', () => {
  const v = vsccBenchConfig();
  assert.deepEqual([v.imageSize, v.batchSize, v.method], [32, 16, 'vscc']);
  const t = e2ecTable1BenchConfig();
  assert.deepEqual([t.hidden, t.contentHidden, t.samples, t.batchSize], [[256, 256], [256, 256], 4, 128]);
  const a = e2ecAuthorsBenchConfig();
  assert.deepEqual([a.hidden, a.contentHidden, a.samples, a.baseline, a.batchSize, a.lr],
    [[1024, 512], [512, 512], 1, 'aux', 128, 1e-4]);
  const c = codebookBenchConfig();
  assert.deepEqual([c.scheme, c.K, c.D, latentsPerImage(c), c.batchSize], ['proposed', 64, 16, 64, 32]);
});

test('each paper model: one training step runs, updates the parameters, nothing NaN, no tensor leak', async () => {
  await initBackend();
  for (const m of PAPER_MODELS) {
    const bm = buildBenchModel(m);
    try {
      const before = Object.fromEntries(Object.entries(bm.params).map(([k, v]) => [k, v.dataSync().slice()]));
      const loss = bm.step();
      assert.ok(Number.isFinite(loss), `${m}: loss ${loss}`);
      const unmoved: string[] = [];
      for (const [k, v] of Object.entries(bm.params)) {
        const now = v.dataSync();
        assert.ok(now.every(Number.isFinite), `${m}: ${k} has a non-finite entry after one step`);
        if (now.every((x, i) => x === before[k][i])) unmoved.push(k);
      }
      // Every parameter enters the loss, so Adam's first step (lr·sign(g) in effect) moves each tensor.
      assert.deepEqual(unmoved, [], `${m}: tensors the step did not update`);
      const n = tf.memory().numTensors;
      assert.ok(Number.isFinite(bm.step()), `${m}: second step`);
      assert.equal(tf.memory().numTensors, n, `${m}: a step left tensors behind`);
    } finally {
      bm.dispose();
    }
  }
});

const peer = peerScript();

test('PyTorch mirrors: same parameter count as the tfjs model, one finite step',
  { skip: 'missing' in peer ? `no torch peer: ${peer.missing}` : false }, async () => {
    if (!('script' in peer)) return;
    await initBackend();
    const { peer: p } = await PythonPeer.start(peer.script);
    try {
      for (const m of PAPER_MODELS) {
        const bm = buildBenchModel(m);
        try {
          const t = await p.build(m, bm.spec);
          const ours = paramCount(bm.params);
          assert.equal(t.params, ours, `${m}: torch ${t.params} vs tfjs ${ours} parameters`);
          // Stronger than the bench's check: tensor by tensor (as sizes; the layouts differ, NHWC vs NCHW).
          const sizes = Object.values(bm.params).map((v) => v.size).sort((x, y) => x - y);
          assert.deepEqual(t.sizes, sizes, `${m}: tensor sizes`);
          const s = await p.steps(m, 1);
          assert.ok(s.loss !== null && Number.isFinite(s.loss), `${m}: torch loss ${s.loss}`);
          await p.free(m);
        } finally {
          bm.dispose();
        }
      }
    } finally {
      await p.close();
    }
  });

test('profileSteps: counts kernel calls, nests custom ops, restores the engine', async () => {
  await initBackend();
  const a = tf.tensor1d([1, 2, 3]);
  type GradFn = Parameters<typeof tf.customGrad>[0];
  const sq = tf.customGrad(((x: tf.Tensor) => ({ value: tf.square(x), gradFunc: (dy: tf.Tensor) => dy })) as GradFn);
  const prof = profileSteps(() => tf.tidy(() => sq(tf.add(tf.add(a, 1), 2)).dataSync()), 4);
  const byName = new Map(prof.kernels.map((k) => [k.name, k]));
  assert.equal(byName.get('Add')?.calls, 2);
  assert.equal(byName.get('Square')?.calls, 1);
  assert.equal(byName.get('Square')?.nestedCalls, 1, 'Square runs inside the custom op');
  assert.equal(prof.topLevelCalls, 3, 'two Adds and the custom op; Square is nested');
  const selfSum = prof.kernels.reduce((s, k) => s + k.selfMs, 0);
  assert.ok(Math.abs(selfSum - prof.kernelMs) < 1e-6 + 1e-9 * prof.kernelMs, `self ${selfSum} vs ${prof.kernelMs} ms`);
  assert.ok(prof.outsideMs >= 0 && prof.kernelMs <= prof.stepMs);
  assert.ok(!Object.prototype.hasOwnProperty.call(tf.engine(), 'runKernelFunc'), 'engine restored');
  assert.throws(() => profileSteps(() => 0, 0), RangeError);
  a.dispose();
});

test('parseNnArgs: defaults, options, and errors naming the argument', () => {
  assert.deepEqual(parseNnArgs([]).models, [...PAPER_MODELS]);
  const o = parseNnArgs(['--models', 'vscc,codebook', '--rounds', '3', '--round-ms', '200']);
  assert.deepEqual([o.models, o.rounds, o.roundMs, o.profile], [['vscc', 'codebook'], 3, 200, null]);
  assert.equal(parseNnArgs(['--profile-step', 'e2ec-authors']).profile, 'e2ec-authors');
  const rangeError = (re: RegExp) => (e: Error) => e instanceof RangeError && re.test(e.message);
  assert.throws(() => parseNnArgs(['--models', 'resnet']), rangeError(/model must be one of/));
  assert.throws(() => parseNnArgs(['--rounds', '0']), rangeError(/--rounds/));
  assert.throws(() => parseNnArgs(['--fast']), rangeError(/unknown argument/));
});
