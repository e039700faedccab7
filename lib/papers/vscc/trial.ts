/**
 * One model, trained (or loaded from its checkpoint, cached by config hash and code version under
 * cacheDir('models', 'vscc')) and
 * tested: the function runSweep's workers call. Data: the photo set's patches at `imageSize` (train and held-out
 * patches come from disjoint photos, as the paper's train and test classes are disjoint); the held-out photos are
 * split by photo into validation and test photos (heldOutSplit). With `dataset` set (the paper profile), the
 * dataset's own train, validation and test splits at imageSize × imageSize instead (loadDatasetImages; Mini-ImageNet's
 * splits have disjoint classes, as the paper's train and test images).
 */
import { Rng, assertInteger, cacheDir } from '../../core/index.js';
import { DATASET_SUBSET_SEED, loadDatasetImages, loadPhotoPatches, type DatasetName } from '../../data/index.js';
import { tf, codeKeyedHash, describeBackend, initBackend, train, type Params } from '../../nn/index.js';
import { archOf, bandwidthRatio, validateEval, validateModel, type EvalSpec, type ModelConfig, type TestMethod, type WarmStart } from './config.js';
import { evaluateModel, exampleDecodes, knowledgeBase, log10Histogram, type CurvePoint, type Images } from './evaluate.js';
import { initCodec, pretrainLoss, trainingLoss } from './model.js';

export interface TrialConfig {
  readonly model: ModelConfig;
  readonly eval: EvalSpec;
}

export interface TrainInfo {
  readonly steps: number;
  readonly epochs: number;
  readonly seconds: number;
  readonly msPerStep: number;
  readonly fromCache: boolean;
  readonly backend: string;
  /** Training loss, mean over consecutive windows of steps/50 steps. */
  readonly lossCurve: { step: number; loss: number }[];
  /** The shared warm start this model began from (its cost is paid once for all models). */
  readonly warmStart: { steps: number; seconds: number; epochs: number } | null;
}

export interface VarianceInfo {
  /** Mean of σ1² over the knowledge-base images and latent elements, and min/max of σ_KB² over elements. */
  readonly mean: number;
  readonly kbMin: number;
  readonly kbMax: number;
  /** σ_KB² per latent element (L values). */
  readonly kb: number[];
  /** Histogram of log10 σ1² over (image, latent element) pairs of the knowledge-base images. */
  readonly histogram: { lo: number; width: number; counts: number[] };
}

export interface TrialResult {
  readonly config: TrialConfig;
  readonly train: TrainInfo;
  /** k/n for the mean only, and with the variance sent too. */
  readonly bandwidth: { readonly mean: number; readonly withVariance: number };
  readonly variance: VarianceInfo | null;
  /** Curves on the test split (spec.testSnrsDb). */
  readonly curves: Partial<Record<TestMethod, CurvePoint[]>>;
  /** Curves on the validation split (spec.validationSnrsDb); empty when spec.validationCount is 0. */
  readonly validation: Partial<Record<TestMethod, CurvePoint[]>>;
  readonly evalSeconds: number;
  readonly testImages: number;
  readonly validationImages: number;
  /** Held-out photos on each side of the split. */
  readonly testPhotos: number;
  readonly validationPhotos: number;
  /** eval.examples test images (8-bit, H·W·3 each) and their decodes by the first test at `testSnrDb`. */
  readonly examples: { readonly testSnrDb: number; readonly test: TestMethod; readonly originals: number[][]; readonly decoded: number[][] } | null;
}

const to8bit = (x: ArrayLike<number>): number[] => Array.from(x, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));

/** `count` indices evenly spaced over 0 … n − 1 (so every photo of a split contributes). */
export function spreadIndices(n: number, count: number): number[] {
  assertInteger('count', count, 0);
  if (count > n) throw new RangeError(`count must be at most the ${n} available images, got ${count}`);
  return Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
}

/** The rows `indices` of x (n × size × size × 3), as Images. */
export function pickRows(x: Float32Array, indices: readonly number[], size: number): Images {
  const d = size * size * 3;
  const out = new Float32Array(indices.length * d);
  indices.forEach((src, i) => out.set(x.subarray(src * d, (src + 1) * d), i * d));
  return { x: out, n: indices.length, size };
}

/** `count` rows evenly spaced over a split (so every photo contributes), as Images. */
export function spreadSubset(x: Float32Array, n: number, size: number, count: number): Images {
  return pickRows(x, spreadIndices(n, count), size);
}

function loadSplit(split: 'train' | 'test', size: number, count: number): Images {
  const set = loadPhotoPatches({ split, patchSize: size });
  return spreadSubset(set.x, set.n, size, Math.min(count, set.n));
}

/** The training images of a model: `trainCount` patches of the photo set, or of `dataset`'s train split. */
export async function loadTrainImages(o: { imageSize: number; trainCount: number; dataset?: DatasetName }): Promise<Images> {
  if (o.dataset === undefined) return loadSplit('train', o.imageSize, o.trainCount);
  return loadDatasetImages({ dataset: o.dataset, split: 'train', size: o.imageSize, count: o.trainCount, seed: DATASET_SUBSET_SEED });
}

/** Every VALIDATION_PHOTO_STRIDE-th held-out photo (the 2nd, 5th, 8th, …) is a validation photo; the rest are test photos. */
export const VALIDATION_PHOTO_STRIDE = 3;

/**
 * Splits the held-out photos (the photo set's test split) BY PHOTO: photo k (in manifest order) goes to validation
 * when k mod VALIDATION_PHOTO_STRIDE = 1, else to test. Returns the patch indices of each side, in order, and the
 * photo ids. With the 32×32 set's 19 held-out photos: 6 validation photos (512 patches), 13 test photos (1069).
 */
export function heldOutSplit(photoIds: readonly string[]): { validation: number[]; test: number[]; validationPhotos: string[]; testPhotos: string[] } {
  const order: string[] = [];
  for (const id of photoIds) if (order[order.length - 1] !== id) {
    if (order.includes(id)) throw new RangeError(`photoIds must list each photo's patches together; ${id} appears twice`);
    order.push(id);
  }
  const isVal = new Set(order.filter((_, k) => k % VALIDATION_PHOTO_STRIDE === 1));
  const validation: number[] = [];
  const test: number[] = [];
  photoIds.forEach((id, i) => (isVal.has(id) ? validation : test).push(i));
  return { validation, test, validationPhotos: order.filter((id) => isVal.has(id)), testPhotos: order.filter((id) => !isVal.has(id)) };
}

/** The evaluation images: `testCount` patches spread over the test photos, `validationCount` over the validation photos. */
export interface HeldOut {
  readonly test: Images;
  readonly validation: Images | null;
  readonly testPhotos: number;
  readonly validationPhotos: number;
}

/** loadHeldOut for the photo set, or `dataset`'s test and validation splits (one "photo" per image). */
export async function loadEvalImages(size: number, testCount: number, validationCount: number, dataset?: DatasetName): Promise<HeldOut> {
  if (dataset === undefined) return loadHeldOut(size, testCount, validationCount);
  const load = (split: 'test' | 'validation', count: number) => loadDatasetImages({ dataset, split, size, count, seed: DATASET_SUBSET_SEED });
  const test = await load('test', testCount);
  const validation = validationCount > 0 ? await load('validation', validationCount) : null;
  return { test, validation, testPhotos: test.n, validationPhotos: validation?.n ?? 0 };
}

export function loadHeldOut(size: number, testCount: number, validationCount: number): HeldOut {
  const set = loadPhotoPatches({ split: 'test', patchSize: size });
  const sp = heldOutSplit(set.photoIds);
  const pick = (idx: number[], count: number, name: string): Images => {
    if (count > idx.length) throw new RangeError(`${name} must be at most the ${idx.length} patches of the ${name === 'testCount' ? 'test' : 'validation'} photos, got ${count}`);
    return pickRows(set.x, spreadIndices(idx.length, count).map((k) => idx[k]), size);
  };
  return {
    test: pick(sp.test, testCount, 'testCount'),
    validation: validationCount > 0 ? pick(sp.validation, validationCount, 'validationCount') : null,
    testPhotos: sp.testPhotos.length, validationPhotos: sp.validationPhotos.length,
  };
}

function drawBatch(set: Images, size: number, rng: Rng): tf.Tensor4D {
  const d = set.size * set.size * 3;
  const b = new Float32Array(size * d);
  for (let i = 0; i < size; i++) {
    const j = rng.int(set.n);
    b.set(set.x.subarray(j * d, (j + 1) * d), i * d);
  }
  return tf.tensor4d(b, [size, set.size, set.size, 3]);
}

function lossCurveOf(history: readonly number[], steps: number): { step: number; loss: number }[] {
  const w = Math.max(1, Math.floor(steps / 50));
  const out: { step: number; loss: number }[] = [];
  for (let s = 0; s < history.length; s += w) {
    const win = history.slice(s, s + w);
    out.push({ step: s + win.length, loss: win.reduce((a, b) => a + b, 0) / win.length });
  }
  return out;
}

/** The identity of a shared warm start: architecture, data, batch size and the warm-start settings. */
export function warmStartKey(cfg: ModelConfig, data?: Images): unknown {
  if (!cfg.warmStart) throw new RangeError('cfg.warmStart is null');
  return { kind: 'vscc-warm-start', arch: archOf(cfg), warm: cfg.warmStart, trainCount: cfg.trainCount, batchSize: cfg.batchSize, data: data ? 'custom' : cfg.dataset ?? 'photos' };
}

/**
 * Pre-trains the shared codec into `params` (AE loss, SNR drawn per step from warmStart.snrsDb), or loads it from
 * cacheDir('models', 'vscc-warm', <hash>). Run it once before the models that share it (runPretrain does).
 */
export async function warmStartInto(params: Params, cfg: ModelConfig, trainSet: Images, custom: boolean): Promise<{ seconds: number; fromCache: boolean }> {
  const w = cfg.warmStart as WarmStart;
  const key = warmStartKey(cfg, custom ? trainSet : undefined);
  const res = await train({
    params, steps: w.steps, rng: new Rng(w.seed), config: key, optimizer: { lr: w.lr, warmupSteps: w.warmupSteps },
    checkpointDir: custom
      ? undefined
      : cacheDir('models', 'vscc-warm', codeKeyedHash(key, import.meta.url).slice(0, 24)),
    codeModule: import.meta.url,
    lossFn: ({ rng: r }) => pretrainLoss(params, cfg, drawBatch(trainSet, cfg.batchSize, r), w.snrsDb[r.int(w.snrsDb.length)], r),
  });
  return { seconds: res.elapsedMs / 1000, fromCache: res.fromCache };
}

/** Trains (or loads) the model of cfg, from its warm start if it has one; `data` overrides the photo set (tests). */
export async function trainModel(cfg: ModelConfig, data?: Images): Promise<{ params: Params; info: TrainInfo; trainSet: Images }> {
  validateModel(cfg);
  const trainSet = data ?? await loadTrainImages(cfg);
  const rng = new Rng(cfg.seed);
  const params = initCodec(cfg, rng);
  const warm = cfg.warmStart ? await warmStartInto(params, cfg, trainSet, data !== undefined) : null;
  const id = { cfg, data: data ? 'custom' : 'photos' };
  const res = await train({
    params, steps: cfg.steps, rng, config: id, optimizer: { lr: cfg.lr, warmupSteps: cfg.lrWarmupSteps },
    checkpointDir: data ? undefined : cacheDir('models', 'vscc', codeKeyedHash(id, import.meta.url).slice(0, 24)),
    codeModule: import.meta.url,
    lossFn: ({ rng: r }) => trainingLoss(params, cfg, drawBatch(trainSet, cfg.batchSize, r), r).loss,
  });
  const info: TrainInfo = {
    steps: cfg.steps, epochs: (cfg.steps * cfg.batchSize) / trainSet.n, seconds: res.elapsedMs / 1000,
    msPerStep: res.elapsedMs / Math.max(1, res.stepsDone), fromCache: res.fromCache, backend: describeBackend(),
    lossCurve: lossCurveOf(res.lossHistory, cfg.steps),
    warmStart: warm && cfg.warmStart ? { steps: cfg.warmStart.steps, seconds: warm.seconds, epochs: (cfg.warmStart.steps * cfg.batchSize) / trainSet.n } : null,
  };
  return { params, info, trainSet };
}

/** runSweep entry point of the shared warm start: trains (or loads) it and reports its cost. */
export async function runPretrain(cfg: ModelConfig): Promise<{ steps: number; seconds: number; fromCache: boolean; msPerStep: number }> {
  await initBackend();
  validateModel(cfg);
  if (!cfg.warmStart) throw new RangeError('runPretrain needs a config with warmStart');
  const trainSet = await loadTrainImages(cfg);
  const params = initCodec(cfg, new Rng(cfg.seed));
  const r = await warmStartInto(params, cfg, trainSet, false);
  tf.dispose(Object.values(params));
  return { steps: cfg.warmStart.steps, seconds: r.seconds, fromCache: r.fromCache, msPerStep: (1000 * r.seconds) / cfg.warmStart.steps };
}

/** runSweep entry point: trains (or loads) one model and runs its tests. */
export async function runTrial(c: TrialConfig): Promise<TrialResult> {
  await initBackend();
  validateModel(c.model);
  validateEval(c.eval, c.model.method);
  const m = c.model;
  const { params, info, trainSet } = await trainModel(m);
  const t0 = Date.now();
  let variance: VarianceInfo | null = null;
  let kb: Float64Array | null = null;
  if (m.method !== 'ae') {
    const kbSet = spreadSubset(trainSet.x, trainSet.n, m.imageSize, Math.min(c.eval.kbCount, trainSet.n));
    const k = knowledgeBase(params, m, m.method, kbSet);
    kb = k.kb;
    let sum = 0;
    for (const v of k.var1) sum += v;
    variance = { mean: sum / k.var1.length, kbMin: Math.min(...kb), kbMax: Math.max(...kb), kb: Array.from(kb), histogram: log10Histogram(k.var1) };
  }
  const held = await loadEvalImages(m.imageSize, c.eval.testCount, c.eval.validationCount, m.dataset);
  const test = held.test;
  const curves = evaluateModel(params, m, m.method, test, c.eval, kb);
  const validation = held.validation ? evaluateModel(params, m, m.method, held.validation, c.eval, kb, c.eval.validationSnrsDb) : {};
  let examples: TrialResult['examples'] = null;
  const count = c.eval.examples ?? 0;
  if (count > 0) {
    const snr = c.eval.testSnrsDb.reduce((b, s) => (Math.abs(s - m.trainSnrDb) < Math.abs(b - m.trainSnrDb) ? s : b));
    const few: Images = { x: test.x.subarray(0, count * m.imageSize * m.imageSize * 3), n: count, size: m.imageSize };
    const dec = exampleDecodes(params, m, m.method, few, c.eval.tests[0], snr, c.eval.seed, kb);
    const d = m.imageSize * m.imageSize * 3;
    examples = {
      testSnrDb: snr, test: c.eval.tests[0],
      originals: Array.from({ length: count }, (_, i) => to8bit(few.x.subarray(i * d, (i + 1) * d))), decoded: dec.map(to8bit),
    };
  }
  tf.dispose(Object.values(params));
  return {
    config: c, train: info, bandwidth: { mean: bandwidthRatio(m, 'fixed'), withVariance: bandwidthRatio(m, 'transmitted') },
    variance, curves, validation, evalSeconds: (Date.now() - t0) / 1000, testImages: test.n, validationImages: held.validation?.n ?? 0,
    testPhotos: held.testPhotos, validationPhotos: held.validationPhotos, examples,
  };
}
