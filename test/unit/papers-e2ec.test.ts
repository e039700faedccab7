/**
 * E2EC model pieces against independent truth: counting, the channel's reach, the score-function gradient
 * against the exact gradient, the MI estimator against its closed-form limit and tf's autodiff, the paper's
 * published intervals, and argument checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Rng } from '../../lib/core/index.js';
import { tf, reinforceSurrogate } from '../../lib/nn/index.js';
import {
  lengthClassInformation,
  e2ecConfig, d2jsccConfig, rdboConfig, sampleCode, truncate, bscValid, selector, semanticMetrics, embeddingGeometry,
  mixtureMi, mixtureMiJs, lengthEntropyBits, layerNorm, initLayerNorm, runTrial, planTrials, TEST_DIGITS, differenceSummary, differenceBullets,
  splitDigits, testHalf, chooseCheckpoint, curveExtrapolation, curveFitRows, budgetRows, budgetLabels, rdboPosition, rdboPositionBullets, learningCurveRows,
  type BaselineTrialResult, type E2ecTrialResult, type CurvePoint, type TrialResult, type AnyConfig,
} from '../../lib/papers/e2ec/index.js';

test('a length pmf concentrated on index l sends l + 1 bits; truncation keeps exactly those bits', () => {
  const n = 6;
  const pi = new Float32Array(3 * n);
  [0, 2, 5].forEach((l, b) => { pi[b * n + l] = 1; });
  const bits = new Float32Array(3 * n).fill(1); // every content bit is 1
  const code = sampleCode(pi, bits, 3, n, new Rng(1));
  assert.deepEqual(Array.from(code.lengths), [1, 3, 6]);
  const t = truncate(code.content, code.lengths, n);
  assert.deepEqual(Array.from(t), [1, -1, -1, -1, -1, -1, 1, 1, 1, -1, -1, -1, 1, 1, 1, 1, 1, 1]);
  // sum of valid positions = total bits sent = Σ (l + 1)
  assert.equal(Array.from(t).filter((v) => v >= 0).length, 1 + 3 + 6);
});

test('sampled lengths follow the categorical pmf (mean of l + 1 within 4 standard errors)', () => {
  const n = 4;
  const probs = [0.1, 0.2, 0.3, 0.4];
  const rows = 20000;
  const pi = new Float32Array(rows * n);
  for (let b = 0; b < rows; b++) pi.set(probs, b * n);
  const code = sampleCode(pi, new Float32Array(rows * n).fill(0.5), rows, n, new Rng(7));
  const mean = code.lengths.reduce((s, v) => s + v, 0) / rows;
  const exact = probs.reduce((s, p, l) => s + p * (l + 1), 0); // 3.0
  const sd = Math.sqrt(probs.reduce((s, p, l) => s + p * (l + 1 - exact) ** 2, 0));
  assert.ok(Math.abs(mean - exact) < (4 * sd) / Math.sqrt(rows), `mean ${mean} vs ${exact}`);
});

test('the BSC flips only transmitted bits, at rate ε (binomial 4σ bound)', () => {
  const n = 10;
  const rows = 4000;
  const lengths = new Int32Array(rows).fill(3);
  const code = truncate(new Uint8Array(rows * n), lengths, n); // 3 zeros then −1
  const eps = 0.2;
  const rx = bscValid(code, eps, new Rng(3));
  let flips = 0;
  for (let b = 0; b < rows; b++) {
    for (let i = 0; i < n; i++) {
      const v = rx[b * n + i];
      if (i >= 3) assert.equal(v, -1, 'truncated positions stay −1');
      else if (v === 1) flips++;
    }
  }
  const m = rows * 3;
  assert.ok(Math.abs(flips / m - eps) < 4 * Math.sqrt((eps * (1 - eps)) / m), `flip rate ${flips / m}`);
  assert.deepEqual(Array.from(bscValid(code, 0, new Rng(1))), Array.from(code), 'ε = 0 is the identity');
});

test('the decoder input sums exactly the received bits\' embeddings', () => {
  const n = 3;
  const d = 2;
  const emb = [1, 2, 10, 20, 100, 200, 1000, 2000, 5, 6, 50, 60]; // rows v1^0, v1^1, v2^0, v2^1, v3^0, v3^1
  const rx = Int8Array.from([1, 0, -1]);
  const p = { emb: tf.variable(tf.tensor2d(emb, [2 * n, d])) } as Record<string, tf.Variable>;
  const a = tf.tensor2d(selector(rx, n), [1, 2 * n]);
  const xhat = tf.matMul(a, p.emb).dataSync();
  assert.deepEqual(Array.from(xhat), [10 + 100, 20 + 200]); // v1^(1) + v2^(0); position 3 not sent
  tf.dispose([a, p.emb]);
});

test('the score-function surrogate\'s gradient matches the exact gradient of E[cost] (categorical, 3 actions)', () => {
  const theta = tf.variable(tf.tensor1d([0.3, -0.2, 0.5]));
  const cost = [2, -1, 0.5];
  const n = 3;
  const rows = 40000;
  const g = tf.tidy(() => {
    const f = () => {
      const logits = tf.mul(tf.ones([rows, 1]), tf.expandDims(theta, 0));
      const logPi = tf.logSoftmax(logits);
      const pi = tf.exp(logPi).dataSync();
      const code = sampleCode(pi, new Float32Array(rows * n), rows, n, new Rng(11));
      const oh = tf.oneHot(tf.tensor1d(Array.from(code.lengths, (v) => v - 1), 'int32'), n);
      const c = tf.tensor1d(Array.from(code.lengths, (v) => cost[v - 1]));
      return reinforceSurrogate(tf.sum(tf.mul(logPi, oh), 1), c, 0);
    };
    return tf.grad(() => f())(theta);
  });
  const est = g.dataSync();
  const th = theta.dataSync();
  const z = Array.from(th).reduce((s, v) => s + Math.exp(v), 0);
  const pi = Array.from(th, (v) => Math.exp(v) / z);
  const ec = pi.reduce((s, p, a) => s + p * cost[a], 0);
  const exact = pi.map((p, a) => p * (cost[a] - ec)); // ∂E[c]/∂θ_a = π_a (c_a − E[c])
  exact.forEach((e, a) => assert.ok(Math.abs(est[a] - e) < 0.03, `action ${a}: ${est[a]} vs exact ${e}`));
  tf.dispose([theta, g]);
});

test('the MI estimator tends to d·log B for well separated, sharp Gaussians, and its gradient matches autodiff', () => {
  const bsz = 8;
  const d = 3;
  const mu = Float32Array.from({ length: bsz * d }, (_, i) => 10 * (i % bsz) + i);
  const sigma = new Float32Array(bsz * d).fill(1e-3);
  const r = mixtureMiJs(mu, mu, sigma, bsz, d);
  assert.ok(Math.abs(r.value - d * Math.log(bsz)) < 1e-6, `${r.value} vs ${d * Math.log(bsz)}`);

  const rng = new Rng(5);
  const zv = Float32Array.from({ length: bsz * d }, () => rng.normal());
  const mv = Float32Array.from({ length: bsz * d }, () => rng.normal());
  const sv = Float32Array.from({ length: bsz * d }, () => 0.5 + rng.uniform());
  const [z, m, s] = [zv, mv, sv].map((v) => tf.tensor2d(v, [bsz, d]));
  const reference = (zz: tf.Tensor, mm: tf.Tensor, ss: tf.Tensor) => {
    const u = tf.div(tf.sub(tf.expandDims(zz, 1), tf.expandDims(mm, 0)), tf.expandDims(ss, 0));
    const logN = tf.sub(tf.mul(tf.square(u), -0.5), tf.add(tf.log(tf.expandDims(ss, 0)), 0.5 * Math.log(2 * Math.PI)));
    const own = tf.sub(tf.mul(tf.square(tf.div(tf.sub(zz, mm), ss)), -0.5), tf.add(tf.log(ss), 0.5 * Math.log(2 * Math.PI)));
    return tf.mean(tf.sum(tf.sub(own, tf.sub(tf.logSumExp(logN, 1), Math.log(bsz))), 1));
  };
  const ours = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => mixtureMi(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D))([z, m, s]);
  const ref = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => reference(a, b, c) as tf.Scalar)([z, m, s]);
  assert.ok(Math.abs(mixtureMi(z as tf.Tensor2D, m as tf.Tensor2D, s as tf.Tensor2D).dataSync()[0] - reference(z, m, s).dataSync()[0]) < 1e-4);
  ours.forEach((g, i) => {
    const a = g.dataSync();
    const b = ref[i].dataSync();
    for (let j = 0; j < a.length; j++) assert.ok(Math.abs(a[j] - b[j]) < 1e-4, `input ${i}[${j}]: ${a[j]} vs ${b[j]}`);
  });
});

test('LayerNorm rows have mean 0 and variance 1/(1 + eps/var) (eps = 1e-5)', () => {
  const p = {} as Record<string, tf.Variable>;
  initLayerNorm(p, 'ln', 4);
  const y = layerNorm(p, 'ln', tf.tensor2d([[1, 2, 3, 4], [0, 0, 0, 8]])).arraySync() as number[][];
  for (const [row, v] of [[y[0], 1.25], [y[1], 12]] as const) {
    const mean = row.reduce((s, x) => s + x, 0) / 4;
    const varr = row.reduce((s, x) => s + (x - mean) ** 2, 0) / 4;
    assert.ok(Math.abs(mean) < 1e-6);
    assert.ok(Math.abs(varr - v / (v + 1e-5)) < 1e-5, `${varr}`);
  }
});

test('the 95 % interval reproduces the paper\'s ± at n = 10,000 (97.97 ± 0.28, 92.64 ± 0.51, 95.56 ± 0.40)', () => {
  for (const [acc, pm] of [[0.9797, 0.28], [0.9264, 0.51], [0.9556, 0.40]]) {
    const k = Math.round(acc * 10000);
    const m = semanticMetrics(new Array(10000).fill(1), 0, Array.from({ length: 10000 }, (_, i) => (i < k ? 1 : 0)));
    assert.equal(Number((100 * m.accuracyHalfWidth).toFixed(2)), pm);
  }
  // rate ± is 1.96·s/√n of the sent lengths: lengths {1, 3} alternate → s = 1.0003
  const m = semanticMetrics(Array.from({ length: 10000 }, (_, i) => (i % 2 ? 3 : 1)), 0, Array.from({ length: 10000 }, (_, i) => (i === 0 ? 1 : 0)));
  assert.ok(Math.abs(m.rateBits - 2) < 1e-12);
  assert.ok(Math.abs(m.rateHalfWidth - 1.96 * Math.sqrt(10000 / 9999) / 100) < 1e-9);
});

test('H(L) of a length histogram: 0 for one length, log2 m for m equal counts, the binary entropy for two; bad counts throw', () => {
  // Closed forms of the plug-in entropy: a point mass, a uniform pmf over m lengths, h(1/4) for counts 1 : 3.
  assert.equal(lengthEntropyBits([0, 0, 10_000, 0]), 0);
  assert.ok(Math.abs(lengthEntropyBits(new Array(16).fill(625)) - 4) < 1e-12);
  assert.ok(Math.abs(lengthEntropyBits([0, 25, 0, 0, 75]) - (-(0.25 * Math.log2(0.25)) - 0.75 * Math.log2(0.75))) < 1e-12);
  assert.throws(() => lengthEntropyBits([]), /histogram must be a non-empty array/);
  assert.throws(() => lengthEntropyBits([0, 0]), /at least one count/);
  assert.throws(() => lengthEntropyBits([1, 0.5]), /histogram\[1\] must be a non-negative integer count/);
  assert.throws(() => lengthEntropyBits([3, -1]), /histogram\[1\]/);
});

test('embedding geometry: distances and the max cross inner product', () => {
  const g = embeddingGeometry([1, 0, 0, 1, 2, 2, -1, 3], 2, 2); // v1^0=(1,0) v1^1=(0,1) v2^0=(2,2) v2^1=(-1,3)
  assert.deepEqual(g.distance.map((x) => Number(x.toFixed(6))), [Number(Math.SQRT2.toFixed(6)), Number(Math.sqrt(10).toFixed(6))]);
  assert.equal(g.maxCrossInner, 4);
});

test('I(L; Y) of the sent length and the class: log2 10 when the length names the class, ~0 when independent', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => i % 10);
  // Length = class + 3: the length carries the whole class, H(Y) = log2 10 for balanced classes.
  assert.ok(Math.abs(lengthClassInformation(labels.map((y) => y + 3), labels, 64) - Math.log2(10)) < 1e-12);
  // Two classes per length: exactly one bit of the class is lost, I = log2 10 − 1.
  assert.ok(Math.abs(lengthClassInformation(labels.map((y) => 1 + (y >> 1)), labels, 8) - (Math.log2(10) - 1)) < 1e-12);
  // Lengths drawn independently of the class: the plug-in estimate is only its small-sample bias (< 0.3 bits here).
  const rng = new Rng(3);
  const iid = lengthClassInformation(labels.map(() => 1 + rng.int(8)), labels, 8);
  assert.ok(iid >= 0 && iid < 0.3, `independent lengths gave ${iid} bits`);
  assert.throws(() => lengthClassInformation([1, 2], [0], 8), /equal size/);
});

test('bad configurations throw RangeErrors naming the argument', () => {
  assert.throws(() => e2ecConfig({ maxLength: 0 }), (e: Error) => e instanceof RangeError && /maxLength/.test(e.message));
  assert.throws(() => e2ecConfig({ maxLength: 2.5 }), (e: Error) => e instanceof RangeError && /maxLength/.test(e.message));
  assert.throws(() => e2ecConfig({ eps: 0.6 }), (e: Error) => e instanceof RangeError && /eps/.test(e.message));
  assert.throws(() => e2ecConfig({ eps: -0.1 }), (e: Error) => e instanceof RangeError && /eps/.test(e.message));
  assert.throws(() => e2ecConfig({ lambda: -1e-3 }), (e: Error) => e instanceof RangeError && /lambda/.test(e.message));
  assert.throws(() => e2ecConfig({ baseline: 'aux', grounding: false }), (e: Error) => e instanceof RangeError && /grounding/.test(e.message));
  assert.throws(() => e2ecConfig({ baseline: 'leaveOneOut', samples: 1 }), (e: Error) => e instanceof RangeError && /samples/.test(e.message));
  assert.throws(() => d2jsccConfig({ d: 7 }), (e: Error) => e instanceof RangeError && /\bd\b/.test(e.message));
  assert.throws(() => rdboConfig({ beta: -1 }), (e: Error) => e instanceof RangeError && /beta/.test(e.message));
  assert.doesNotThrow(() => e2ecConfig({ eps: 0.5, lambda: 0, maxLength: 1 }));
});

test('d2-JSCC sends exactly d bits per digit; a tiny E2EC run trains, counts l + 1 and one bit less for the authors; every model is scored on all 10,000 test digits, per digit', async () => {
  process.env.SEMCOM_CACHE = mkdtempSync(join(tmpdir(), 'e2ec-test-'));
  const tiny = { steps: 3, batchSize: 16, trainCount: 200, testCount: 100, logEvery: 1, hidden: [16, 16] as [number, number] };
  const r = (await runTrial(d2jsccConfig({ ...tiny, d: 12 }))) as BaselineTrialResult;
  assert.equal(r.eval.rateBits, 12);
  assert.equal(r.eval.rateHalfWidth, 0);
  assert.equal(r.eval.n, TEST_DIGITS);
  assert.equal(r.eval.correct.length, TEST_DIGITS);
  assert.ok(r.eval.bits.every((b) => b === 12));
  assert.equal(r.eval.correct.reduce((s, c) => s + c, 0) / TEST_DIGITS, r.eval.accuracy);
  // RDBO: the per-digit MI terms average to the reported rate; 10,000 = 156 batches of 64 + a last batch ending at the last digit.
  const q = (await runTrial(rdboConfig({ ...tiny, d: 4 }))) as BaselineTrialResult;
  assert.equal(q.eval.bits.length, TEST_DIGITS);
  assert.ok(Math.abs(q.eval.bits.reduce((s, c) => s + c, 0) / TEST_DIGITS - q.eval.rateBits) < 1e-9);
  assert.ok(q.eval.bits.every((b) => b <= (4 * Math.log(64)) / Math.LN2 + 1e-9), 'each digit\'s term is capped at d·log2 B');
  const e = await runTrial(e2ecConfig({ ...tiny, maxLength: 8, embedDim: 8, contentHidden: [16, 16] }));
  assert.equal(e.kind, 'e2ec');
  if (e.kind !== 'e2ec') return;
  const hist = e.eval.lengthHistogram;
  assert.equal(hist.reduce((s, c) => s + c, 0), TEST_DIGITS);
  assert.ok(Math.abs(e.eval.rateBits - hist.reduce((s, c, i) => s + c * (i + 1), 0) / TEST_DIGITS) < 1e-9);
  assert.ok(Math.abs(e.eval.rateBits - e.eval.bits.reduce((s, c) => s + c, 0) / TEST_DIGITS) < 1e-9);
  assert.ok(Math.abs(e.eval.rateBitsAuthors - (e.eval.rateBits - 1)) < 1e-12);
  assert.equal(e.importance.length, 2, 'two 4-bit blocks at N = 8');
  // Per-digit drops sum to the blocks' accuracy drops (early = block 1, late = block 2).
  assert.ok(Math.abs(e.drops.early.reduce((s, c) => s + c, 0) / TEST_DIGITS - e.importance[0].accuracyDrop) < 1e-9);
  assert.ok(Math.abs(e.drops.late.reduce((s, c) => s + c, 0) / TEST_DIGITS - e.importance[1].accuracyDrop) < 1e-9);
  assert.ok(e.eval.accuracyLo <= e.eval.accuracy && e.eval.accuracy <= e.eval.accuracyHi);
  assert.equal(e.history.length, 3);
});

test('experiment plan: the λ sweep takes its own fine-tune; the trunk study retrains only the ε it names, which must be in the grid', () => {
  const base = {
    e2ec: { steps: 100, fineTuneSteps: 40 }, baselines: {}, epsilons: [0.2, 0.1, 0.01], lengths: [8, 64], lambdas: [1e-6, 1e-3],
    ds: [8], betas: [0.01], sweepSteps: 50, ablationSteps: 20,
  };
  const all = planTrials(base);
  assert.deepEqual(all.trunk.map((t) => t.eps), [0.2, 0.1, 0.01]);
  assert.ok(all.lambdas.every((l) => l.config.fineTuneSteps === 40 && l.config.steps === 50));
  const cut = planTrials({ ...base, trunkEpsilons: [0.2, 0.01], sweepFineTuneSteps: 10 });
  assert.deepEqual(cut.trunk.map((t) => t.eps), [0.2, 0.01]);
  assert.ok(cut.trunk.every((t) => t.config.sharedTrunk !== cut.main.sharedTrunk));
  assert.ok(cut.lambdas.every((l) => l.config.fineTuneSteps === 10));
  assert.throws(() => planTrials({ ...base, trunkEpsilons: [0.3] }), (e: Error) => e instanceof RangeError && /trunkEpsilons\[0\]/.test(e.message));
});

test('the "what differs" summary is computed from the results: spans, the paper\'s rates, collapsed λ', () => {
  const planned = planTrials({
    e2ec: { steps: 10 }, baselines: {}, epsilons: [0.2, 0.1, 0.05], lengths: [8, 16, 64], lambdas: [1e-6, 3e-3],
    ds: [8], betas: [0.01], sweepSteps: 5, ablationSteps: 5, trunkEpsilons: [0.2, 0.05],
  });
  const results: TrialResult[] = [];
  // Per-digit scores with exactly `accuracy` right on each half of the split (Table I is read on the test half).
  const { test: testIdx, validation } = splitDigits(10000);
  const put = (config: AnyConfig, rateBits: number, accuracy: number, lengthClassBits: number) => {
    const correct = new Array<number>(10000).fill(0);
    for (const half of [testIdx, validation]) half.slice(0, Math.round(accuracy * half.length)).forEach((i) => { correct[i] = 1; });
    const bits = new Array<number>(10000).fill(rateBits);
    results.push({ kind: 'e2ec', config, eval: { n: 10000, rateBits, accuracy, lengthClassBits, correct, bits, lengthHistogram: new Array<number>(64).fill(0), ce: 0.1 } } as unknown as TrialResult);
  };
  const [e02, e01, e005, n8, n16, n64] = planned.table1;
  put(e02.config, 60, 0.97, 0.02); put(e01.config, 50, 0.975, 0.03); put(e005.config, 45, 0.98, 0.01);
  put(n8.config, 5, 0.84, 1.6); put(n16.config, 12, 0.96, 1.4); put(n64.config, 50, 0.975, 0.03);
  put(planned.lambdas[0].config, 55, 0.97, 0.03); put(planned.lambdas[1].config, 4.5, 0.5, 0.2);
  put(planned.trunk[0].config, 38, 0.97, 2.5); put(planned.trunk[1].config, 42, 0.98, 0.7);
  const d = differenceSummary(results, planned);
  assert.deepEqual(d.otherLayoutLengthBits, [0.7, 2.5]);
  assert.equal(d.mainLength, 64);
  assert.equal(d.mainLayoutLengthBits, 0.03);
  assert.ok(Math.abs(d.lengthBitsBias - (63 * 9) / (2 * 10000 * Math.LN2)) < 1e-12); // ≈ 0.041 bits
  assert.deepEqual(d.shortCodeLengthBits, [1.4, 1.6]);
  // Paper: 57.79 at ε = 0.2, 48.22 at 0.1; ε = 0.05 is not in the paper and is skipped.
  assert.ok(Math.abs(d.rateExcessEpsilonBlock![0] - (50 - 48.22)) < 1e-9 && Math.abs(d.rateExcessEpsilonBlock![1] - (60 - 57.79)) < 1e-9);
  assert.deepEqual(d.smallestN, { n: 8, ours: 84, paper: 92.64 });
  assert.deepEqual(d.collapsed, [{ lambda: 3e-3, rateBits: 4.5, accuracy: 0.5 }]);
  const text = differenceBullets(d, false).join('\n');
  assert.match(text, /0\.70–2\.50 bits/);
  assert.match(text, /\+1\.8 to \+2\.2 bits/);
  assert.match(text, /paper 92\.64 %, −8\.6 pp/);
  assert.match(text, /λ = 0\.003: 4\.5 bits, 50\.0 %/);
  assert.doesNotMatch(text, /NaN/);
  assert.throws(() => differenceSummary(results.slice(1), planned), /no result for config/);
});

test('the checkpoint choice minimises the validation objective (ties: the earlier step); an empty curve throws', () => {
  const pt = (step: number, objective: number) => ({ step, epoch: step / 10, objective, ce: objective, accuracy: 0.9, rateBits: 10, lengthEntropyBits: 1, n: 5 }) as CurvePoint;
  assert.equal(chooseCheckpoint([pt(10, 0.5), pt(20, 0.3), pt(30, 0.3), pt(40, 0.4)]).step, 20);
  assert.throws(() => chooseCheckpoint([]), (e: Error) => e instanceof RangeError && /curve/.test(e.message));
});

test('a tiny E2EC run with evalEvery: curve from step 0, chosen point = argmin, one snapshot kept, identical when reloaded from the cache', async () => {
  process.env.SEMCOM_CACHE = mkdtempSync(join(tmpdir(), 'e2ec-curve-'));
  const cfg = e2ecConfig({ steps: 4, batchSize: 16, trainCount: 200, testCount: 100, logEvery: 1, hidden: [16, 16], contentHidden: [16, 16], maxLength: 8, embedDim: 8, evalEvery: 2, lr: 1e-2 });
  const a = (await runTrial(cfg)) as E2ecTrialResult;
  assert.deepEqual(a.curve.map((c) => c.step), [0, 2, 4]);
  assert.ok(a.curve.every((c) => c.n === splitDigits(TEST_DIGITS).validation.length));
  assert.deepEqual(a.curve.map((c) => c.epoch), [0, (2 * 16) / 200, (4 * 16) / 200]);
  for (const c of a.curve) assert.ok(Math.abs(c.objective - (c.ce + cfg.lambda * c.rateBits)) < 1e-12);
  const best = a.curve.filter((c) => c.step > 0).reduce((m, c) => (c.objective < m.objective ? c : m));
  assert.deepEqual(a.chosen, best);
  const snaps: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d, { withFileTypes: true })) { if (f.isDirectory()) walk(join(d, f.name)); else if (/^snap-\d+\.f32$/.test(f.name)) snaps.push(f.name); } };
  walk(process.env.SEMCOM_CACHE);
  assert.deepEqual(snaps, [`snap-${best.step}.f32`]);
  const b = (await runTrial(cfg)) as E2ecTrialResult;
  assert.equal(b.train.fromCache, true);
  assert.deepEqual(b.curve, a.curve);
  assert.deepEqual(b.eval.correct, a.eval.correct, 'the reloaded model (chosen snapshot) scores the same digits the same');
  assert.deepEqual(b.eval.bits, a.eval.bits);
});

test('Table I on the test half: testHalf keeps exactly the split\'s test digits; learning curve, extrapolation, budgets and the RDBO position from results', () => {
  const n = 10000;
  const { test: t } = splitDigits(n);
  const bits = Array.from({ length: n }, (_, i) => 1 + (i % 8));
  const correct = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const h = testHalf({ n, bits, correct, ce: 0.2, lengthHistogram: new Array<number>(8).fill(0) } as unknown as E2ecTrialResult['eval']);
  assert.equal(h.n, t.length);
  assert.ok(Math.abs(h.rateBits - t.reduce((s, i) => s + bits[i], 0) / t.length) < 1e-12);
  assert.equal(h.accuracy, t.reduce((s, i) => s + correct[i], 0) / t.length);
  assert.equal(h.lengthHistogram.reduce((s, c) => s + c, 0), t.length);

  const planned = planTrials({
    e2ec: { steps: 30, evalEvery: 10, hidden: [64, 32], contentHidden: [32, 32], samples: 1, baseline: 'aux', lr: 1e-4 },
    sweepE2ec: { hidden: [16, 16], contentHidden: [16, 16], samples: 4, baseline: 'leaveOneOut', lr: 1e-3 },
    baselines: { steps: 120, hidden: [16, 16] }, epsilons: [0.1], lengths: [8, 64], lambdas: [1e-6, 1e-3], ds: [8], betas: [0.1, 0.001],
    sweepSteps: 20, sweepFineTuneSteps: 10, ablationSteps: 5, trunkEpsilons: [],
  });
  // The sweep models take sweepE2ec and never a curve; Table I keeps its architecture and evalEvery.
  assert.ok(planned.lambdas.every((l) => l.config.hidden[0] === 16 && l.config.samples === 4 && l.config.evalEvery === undefined));
  assert.ok(planned.ablation.every((a) => a.config.hidden[0] === 16 && a.config.samples === 1 && a.config.evalEvery === undefined));
  assert.equal(planned.main.hidden[0], 64);
  assert.equal(planned.main.evalEvery, 10);
  assert.equal(JSON.stringify(planned.sweepMain), JSON.stringify(planned.lambdas[0].config));
  const budgets = budgetRows(planned);
  const row = (m: string) => budgets.find((b) => b.models.startsWith(m))!;
  assert.equal(row('Table I').count, 2, 'ε = 0.1 and N = 64 are one model');
  assert.ok(Math.abs(row('Table I').epochs - (30 * 128) / 60000) < 1e-12);
  assert.ok(Math.abs(row('λ sweep').epochs - (30 * 128) / 60000) < 1e-12);
  assert.ok(Math.abs(row('d2-JSCC').epochs - (120 * 64) / 60000) < 1e-12);
  // The labels carry the same epochs, and a plan whose baselines get fewer epochs than E2EC is refused.
  const labels = budgetLabels(planned);
  assert.ok(Math.abs(labels.epochs.sweep - (30 * 128) / 60000) < 1e-12 && Math.abs(labels.epochs.baselines - (120 * 64) / 60000) < 1e-12);
  assert.match(labels.table1, /^30 steps × 128 \(0\.1 epochs; paper 100\) at lr 0\.0001, trunks 784→64→32, content 32\/32, K = 1$/);
  assert.match(labels.sweep, /^20 \+ 10 steps × 128 .* at lr 0\.001 then 0\.0001, trunks 784→16→16, K = 4$/);
  const starved = planTrials({
    e2ec: { steps: 30, hidden: [64, 32], contentHidden: [32, 32], samples: 1, baseline: 'aux', lr: 1e-4 },
    baselines: { steps: 10, hidden: [16, 16] }, epsilons: [0.1], lengths: [64], lambdas: [1e-6], ds: [8], betas: [0.1],
    sweepSteps: 20, ablationSteps: 5, trunkEpsilons: [],
  });
  assert.throws(() => budgetLabels(starved), (e: Error) => e instanceof RangeError && /baselineSteps/.test(e.message));

  // A learning curve made from a known saturating law: the fit returns its value at 100 epochs.
  const law = (e: number) => 0.99 - 0.2 * e ** -0.8;
  const mkCurve = (): CurvePoint[] => [0, 1, 2, 3, 4, 5].map((e) => ({ step: 10 * e, epoch: e, accuracy: e === 0 ? 0.1 : law(e), rateBits: 40 + e, ce: 0.1, lengthEntropyBits: 3, objective: e === 0 ? 9 : 1 - law(e), n: 5000 }));
  const results: TrialResult[] = [];
  for (const c of [planned.table1[0].config, planned.table1[1].config]) {
    const curve = mkCurve();
    results.push({ kind: 'e2ec', config: c, curve, chosen: curve[5] } as unknown as TrialResult);
  }
  const rows = learningCurveRows(results, planned);
  assert.equal(rows.length, 12, 'two distinct models × six points');
  assert.equal(rows.filter((r) => r.chosen).length, 2);
  const ex = curveExtrapolation(results, planned, { target: 100, lastK: 3 });
  assert.equal(ex.length, 2);
  assert.ok(Math.abs(ex[0].acc_fit_target! - 100 * law(100)) < 1e-3, `${ex[0].acc_fit_target} vs ${100 * law(100)}`);
  // rate 40 + epoch: its continuation (140 bits) exceeds the N + 1 bits a code can carry, so it is clipped and said.
  const maxRate = planned.table1[0].config.maxLength + 1;
  assert.ok(Math.abs(ex[0].rate_slope - 1) < 1e-12 && ex[0].rate_linear_target === Math.min(140, maxRate));
  if (maxRate < 140) assert.match(ex[0].note, new RegExp(`linear rate clipped to ${maxRate} bits`));
  assert.equal(ex[0].rate_fit_target, null, 'a straight line fits a − b·x^(−c) only with an asymptote far above N + 1: no estimate');
  assert.match(ex[0].note, /rate fit's asymptote .* no estimate/);
  assert.ok(!/accuracy fit/.test(ex[0].note), 'the accuracy law (asymptote 99 %) is kept');
  assert.ok(ex[0].acc_linear_target <= 100);
  assert.throws(() => curveExtrapolation(results, planned, { lastK: 1 }), (e: Error) => e instanceof RangeError && /lastK/.test(e.message));
  const fit = curveFitRows(results, planned, { target: 100, points: 5 });
  assert.equal(fit.filter((r) => r.series.startsWith('measured')).length, 5);
  const fitted = fit.filter((r) => r.series.startsWith('saturating'));
  assert.equal(fitted.length, 5);
  assert.ok(Math.abs(fitted[4].epoch - 100) < 1e-9 && Math.abs(fitted[4].accuracy! - 100 * law(100)) < 1e-3);
  assert.deepEqual(fit.filter((r) => r.series.startsWith('paper')).map((r) => [r.epoch, r.accuracy, r.rate_bits]), [[100, 97.97, 48.22]]);
  assert.throws(() => curveFitRows(results, planned, { points: 1 }), (e: Error) => e instanceof RangeError && /points/.test(e.message));

  // RDBO at 10 and 40 bits (80 %, 90 %): at 20 bits the log-rate interpolation gives 80 + 10·log(2)/log(4) = 85 %.
  const ev = (rateBits: number, accuracy: number) => ({ rateBits, accuracy });
  results.push({ kind: 'rdbo', config: planned.rdbo[0], eval: ev(10, 0.8) } as unknown as TrialResult);
  results.push({ kind: 'rdbo', config: planned.rdbo[1], eval: ev(40, 0.9) } as unknown as TrialResult);
  results.push({ kind: 'e2ec', config: planned.lambdas[0].config, eval: ev(20, 0.9) } as unknown as TrialResult);
  results.push({ kind: 'e2ec', config: planned.lambdas[1].config, eval: ev(5, 0.5) } as unknown as TrialResult);
  const pos = rdboPosition(results, planned);
  assert.ok(Math.abs(pos[0].rdbo_accuracy_at_rate! - 0.85) < 1e-12 && Math.abs(pos[0].gap_pp! - 5) < 1e-9);
  assert.equal(pos[1].rdbo_accuracy_at_rate, null);
  const text = rdboPositionBullets(pos).join('\n');
  assert.match(text, /\+5\.00 pp/);
  assert.match(text, /1 of 2 E2EC points lie above/);
});
