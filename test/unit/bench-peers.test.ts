/**
 * The paper-model benchmark's set-up (bench/paper-models.ts, bench/peers/, bench/step-profile.ts), without timing
 * anything: the configurations are the ones issue 15 names; each model's training step runs, moves the
 * parameters and leaves nothing NaN; the PyTorch mirror has exactly as many parameters as the tfjs model (the
 * mirror, written independently from torch layers, is the reference count; skipped without python3-torch); and
 * the kernel profiler counts calls it can be checked against (two Adds per step are two Adds). The kernel-ceiling
 * section (bench/kernel-ceiling.ts): FLOPs and shapes against hand counts, each tfjs kernel against plain loops, and
 * the torch peer's products against tfjs' through the output checksum (skipped without python3-torch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, initBackend } from '../../lib/nn/index.js';
import { latentsPerImage } from '../../lib/papers/codebook/config.js';
import {
  PAPER_MODELS, buildBenchModel, codebookBenchConfig, e2ecAuthorsBenchConfig, e2ecSweepBenchConfig, paramCount,
  vsccBenchConfig,
} from '../../bench/paper-models.js';
import { PythonPeer, peerScript } from '../../bench/python-peer.js';
import { profileSteps } from '../../bench/step-profile.js';
import { parseNnArgs } from '../../bench/nn.js';
import {
  CEILING_CASES, caseFlops, caseShapes, checksumsAgree, convCases, denseCases, operandValues, outputChecksum,
  shapeLabel, tfjsKernel, type CeilingCase, type ConvCase, type MatMulCase,
} from '../../bench/kernel-ceiling.js';

test('bench configurations: the full-profile models issue 15 times', () => {
  const v = vsccBenchConfig();
  assert.deepEqual([v.imageSize, v.batchSize, v.method], [32, 16, 'vscc']);
  const t = e2ecSweepBenchConfig();
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

// ---- kernel ceiling (bench/kernel-ceiling.ts) ----

test('kernel ceiling: the cases issue 15 names, FLOPs and shapes counted by hand', () => {
  const ids = CEILING_CASES.map((c) => c.id);
  assert.equal(ids.length, 15);
  assert.equal(new Set(ids).size, 15, 'ids are unique');
  // E2EC 784×256 at batch 128: 2·128·784·256 for each of the three GEMMs.
  const d = denseCases('e2ec', 128, 784, 256);
  assert.deepEqual(d.map(caseFlops), [51_380_224, 51_380_224, 51_380_224]);
  assert.deepEqual(d.map((c) => caseShapes(c)), [
    { operands: [[128, 784], [784, 256]], output: [128, 256] },
    { operands: [[128, 256], [784, 256]], output: [128, 784] }, // dY·Wᵀ, W stored [in, out]
    { operands: [[128, 784], [128, 256]], output: [784, 256] }, // Xᵀ·dY, X stored [batch, in]
  ]);
  assert.equal(caseFlops(denseCases('e2ec', 128, 1024, 512)[0]), 134_217_728);
  // VSCC 3×3 conv, 16×32×32, 8 → 8: 2·16·32·32·8·9·8.
  const conv = CEILING_CASES.filter((c) => c.kind === 'conv');
  assert.deepEqual(conv.map(caseFlops), [18_874_368, 18_874_368, 18_874_368]);
  assert.deepEqual(caseShapes(conv[2]).output, [3, 3, 8, 8]);
  assert.equal(shapeLabel(d[1]), '128×256 · 784×256ᵀ → 128×784');
  assert.throws(() => denseCases('x', 0, 3, 3), /batch must be an integer >= 1/);
  assert.throws(() => convCases('x', { batch: 1, size: 4, inChannels: 1, outChannels: 1, kernel: 2 }), /kernel must be odd/);
});

/** Plain loops, row-major tfjs layouts: the reference the kernels are checked against. */
function naiveMatMul(c: MatMulCase, a: Float32Array, b: Float32Array): Float64Array {
  const out = new Float64Array(c.m * c.n);
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let s = 0;
      for (let p = 0; p < c.k; p++) {
        s += (c.transposeA ? a[p * c.m + i] : a[i * c.k + p]) * (c.transposeB ? b[j * c.k + p] : b[p * c.n + j]);
      }
      out[i * c.n + j] = s;
    }
  }
  return out;
}

function naiveConv(c: ConvCase, p: Float32Array, q: Float32Array): Float64Array {
  const { batch: B, size: S, inChannels: Ci, outChannels: Co, kernel: K } = c;
  const h = K >> 1;
  const xi = (n: number, i: number, j: number, ch: number) => ((n * S + i) * S + j) * Ci + ch;
  const yi = (n: number, i: number, j: number, o: number) => ((n * S + i) * S + j) * Co + o;
  const wi = (di: number, dj: number, ch: number, o: number) => ((di * K + dj) * Ci + ch) * Co + o;
  const out = new Float64Array(c.pass === 'filter-grad' ? K * K * Ci * Co : c.pass === 'forward' ? B * S * S * Co : B * S * S * Ci);
  for (let n = 0; n < B; n++) for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) {
    for (let di = 0; di < K; di++) for (let dj = 0; dj < K; dj++) {
      const r = i + di - h;
      const s = j + dj - h;
      if (r < 0 || r >= S || s < 0 || s >= S) continue;
      for (let ch = 0; ch < Ci; ch++) for (let o = 0; o < Co; o++) {
        // y[n,i,j,o] += x[n,r,s,ch]·w[di,dj,ch,o]
        if (c.pass === 'forward') out[yi(n, i, j, o)] += p[xi(n, r, s, ch)] * q[wi(di, dj, ch, o)];
        else if (c.pass === 'input-grad') out[xi(n, r, s, ch)] += p[yi(n, i, j, o)] * q[wi(di, dj, ch, o)];
        else out[wi(di, dj, ch, o)] += p[xi(n, r, s, ch)] * q[yi(n, i, j, o)];
      }
    }
  }
  return out;
}

test('kernel ceiling: each tfjs kernel computes the product it claims (plain loops on small shapes)', async () => {
  await initBackend();
  const cases: CeilingCase[] = [
    ...denseCases('t', 3, 5, 4),
    ...convCases('t', { batch: 2, size: 5, inChannels: 2, outChannels: 3, kernel: 3 }),
  ];
  for (const c of cases) {
    const { operands, output } = caseShapes(c);
    const [p, q] = operands.map((s, j) => operandValues(s.reduce((x, y) => x * y, 1), j));
    const want = c.kind === 'matmul' ? naiveMatMul(c, p, q) : naiveConv(c, p, q);
    const k = tfjsKernel(c);
    try {
      const n = tf.memory().numTensors;
      const got = k.check();
      assert.deepEqual(got.shape, output, `${c.id}: shape`);
      const ref = outputChecksum(want);
      assert.ok(Math.abs(got.sum - ref.sum) <= 1e-5 * ref.scale, `${c.id}: checksum ${got.sum} vs ${ref.sum}`);
      k.run();
      assert.equal(tf.memory().numTensors, n, `${c.id}: a call left a tensor behind`);
    } finally {
      k.dispose();
    }
  }
});

test('kernel ceiling: the checksum tells a transposed product from the right one', () => {
  const [c] = denseCases('t', 6, 6, 6);
  const [a, b] = caseShapes(c).operands.map((s, j) => operandValues(s[0] * s[1], j));
  const right = outputChecksum(naiveMatMul(c, a, b));
  const wrong = outputChecksum(naiveMatMul({ ...c, transposeB: true }, a, b));
  assert.ok(checksumsAgree(right, right));
  assert.ok(!checksumsAgree(right, wrong), `${right.sum} vs ${wrong.sum} (scale ${right.scale})`);
  // outputChecksum by hand: weights (i mod 7) − 3 = −3, −2, −1, 0, 1, 2, 3, −3.
  assert.deepEqual(outputChecksum([1, 1, 1, 1, 1, 1, 1, 2]), { sum: -6, scale: Math.sqrt(9 + 4 + 1 + 0 + 1 + 4 + 9 + 36) });
});

test('kernel ceiling: the torch peer computes the same products at the full shapes',
  { skip: 'missing' in peer ? `no torch peer: ${peer.missing}` : false }, async () => {
    if (!('script' in peer)) return;
    await initBackend();
    const { peer: p } = await PythonPeer.start(peer.script);
    try {
      for (const c of CEILING_CASES) {
        const k = tfjsKernel(c);
        try {
          const mine = k.check();
          const theirs = await p.kernelBuild(c);
          assert.deepEqual(theirs.shape, mine.shape, `${c.id}: shape`);
          assert.ok(checksumsAgree(mine, theirs), `${c.id}: checksums tfjs ${mine.sum}, torch ${theirs.sum} (scale ${mine.scale})`);
          const r = await p.kernelRun(c.id, 2);
          assert.equal(r.ms.length, 2);
          await p.kernelFree(c.id);
        } finally {
          k.dispose();
        }
      }
    } finally {
      await p.close();
    }
  });

test('parseNnArgs: the kernel-ceiling options', () => {
  const d = parseNnArgs([]);
  assert.deepEqual([d.ceiling, d.ceilingRoundMs], [true, 300]);
  const only = parseNnArgs(['--ceiling-only', '--ceiling-round-ms', '100']);
  assert.deepEqual([only.models, only.ceiling, only.ceilingRoundMs], [[], true, 100]);
  assert.equal(parseNnArgs(['--no-ceiling']).ceiling, false);
  assert.throws(() => parseNnArgs(['--no-ceiling', '--ceiling-only']), /exclude each other/);
  assert.throws(() => parseNnArgs(['--ceiling-round-ms', '0']), /--ceiling-round-ms/);
});
