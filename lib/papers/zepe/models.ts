/**
 * The two networks of the hybrid experiment, both small MLPs trained with lib/nn's train() (checkpointed,
 * resumable, loaded from cache by config hash and code version):
 * - a conditional VAE whose decoder, fed a random latent and the class z, is the semantic link's generator;
 * - an MNIST classifier, trained separately, that judges the reconstructions (accuracy, and the features of its
 *   penultimate layer for a Fréchet distance).
 */
import { createHash } from 'node:crypto';
import { Rng, assertInteger, assertOneOf, assertPositive, cacheDir, sqrtPsd } from '../../core/index.js';
import { DATASET_SUBSET_SEED, loadDatasetImages, loadMnist, loadPhotoPatches } from '../../data/index.js';
import {
  tf, initBackend, backendChoice, describeBackend, initDense, denseLayer, randomNormal, reparameterize, train,
  checkpointIdentity, type Params, type TrainProgress,
} from '../../nn/index.js';

/** MNIST (Fig. 3(a)); 32×32 photo patches (our stand-in for Fig. 3(b)); Flickr8k at 32×32 (the paper's Fig. 3(b), paper profile). */
export type HybridDataset = 'mnist' | 'photos' | 'flickr8k';
export const HYBRID_DATASETS: readonly HybridDataset[] = ['mnist', 'photos', 'flickr8k'];

/** Side of the 'photos' patches and of the 'flickr8k' images (n = 32·32·3 = 3072; the paper gives no size: ours). */
export const PHOTO_PATCH = 32;

/** Images as the models see them: N×n rows in [0, 1] with an integer class per row. */
export interface ImageRows {
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly n: number;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly classes: number;
}

/**
 * Loads a split. MNIST: the digit is the class. Photos: no labels exist (the paper's Flickr8k panel has none
 * either), so every patch gets class 0 and the "conditional" VAE is an unconditional one.
 */
export function loadHybridData(dataset: HybridDataset, split: 'train' | 'test'): ImageRows {
  assertOneOf('dataset', dataset, HYBRID_DATASETS);
  if (dataset === 'flickr8k') throw new RangeError("dataset 'flickr8k' is read from disk asynchronously: use loadHybridRows");
  if (dataset === 'mnist') {
    const m = loadMnist(split);
    return { x: m.x, y: m.y, n: m.n, width: 28, height: 28, channels: 1, classes: 10 };
  }
  const p = loadPhotoPatches({ split, patchSize: PHOTO_PATCH });
  return { x: p.x, y: new Uint8Array(p.n), n: p.n, width: p.width, height: p.height, channels: 3, classes: 1 };
}

/**
 * loadHybridData for every dataset: Flickr8k's split (whole images, shorter side scaled to PHOTO_PATCH and centre
 * cropped; read from SEMCOM_DATA_DIR) has no labels, so every image gets class 0 as the photo patches do.
 */
export async function loadHybridRows(dataset: HybridDataset, split: 'train' | 'test'): Promise<ImageRows> {
  assertOneOf('dataset', dataset, HYBRID_DATASETS);
  if (dataset !== 'flickr8k') return loadHybridData(dataset, split);
  const s = await loadDatasetImages({ dataset, split, size: PHOTO_PATCH, seed: DATASET_SUBSET_SEED });
  return { x: s.x, y: new Uint8Array(s.n), n: s.n, width: s.size, height: s.size, channels: 3, classes: 1 };
}

export function dimOf(d: Pick<ImageRows, 'width' | 'height' | 'channels'>): number {
  return d.width * d.height * d.channels;
}

/** Picks a backend once (wasm here) unless the caller already did. */
export async function ensureBackend(): Promise<string> {
  if (backendChoice() === null) await initBackend();
  return describeBackend();
}

function oneHot(z: ArrayLike<number>, classes: number): tf.Tensor2D {
  const out = new Float32Array(z.length * classes);
  for (let i = 0; i < z.length; i++) {
    if (!Number.isInteger(z[i]) || z[i] < 0 || z[i] >= classes) throw new RangeError(`z[${i}] must be a class in 0..${classes - 1}, got ${z[i]}`);
    out[i * classes + z[i]] = 1;
  }
  return tf.tensor2d(out, [z.length, classes]);
}

/** Draws a batch (with replacement) from `rng`: rows of x and their labels. */
function drawBatch(data: ImageRows, size: number, rng: Rng): { x: Float32Array; y: Uint8Array } {
  const d = dimOf(data);
  const x = new Float32Array(size * d);
  const y = new Uint8Array(size);
  for (let b = 0; b < size; b++) {
    const i = rng.int(data.n);
    x.set(data.x.subarray(i * d, (i + 1) * d), b * d);
    y[b] = data.y[i];
  }
  return { x, y };
}

function dataDigest(data: ImageRows): string {
  return createHash('sha256').update(new Uint8Array(data.x.buffer, data.x.byteOffset, data.x.byteLength)).update(data.y).digest('hex').slice(0, 16);
}

export type Likelihood = 'bernoulli' | 'gaussian';
/**
 * Latent distribution of the generator: 'standard' N(0, I); 'aggregate' a per-class diagonal Gaussian fitted to the
 * encoder's aggregate posterior; 'aggregate-full' the same with a full covariance Cov(μ) + diag(E σ²) per class.
 */
export type LatentPrior = 'standard' | 'aggregate' | 'aggregate-full';
export const LATENT_PRIORS: readonly LatentPrior[] = ['standard', 'aggregate', 'aggregate-full'];

export interface CvaeOptions {
  readonly dataset: HybridDataset;
  readonly latentDim: number;
  readonly hidden: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  /**
   * 'bernoulli' (default for MNIST): −log p(x|u,z) = Σ BCE(x, sigmoid(logits)), as usual for [0,1] digits.
   * 'gaussian' (default for photos): Σ (x − sigmoid(logits))² / (2σ²) with fixed σ = `sigma` (default 0.1).
   */
  readonly likelihood?: Likelihood;
  readonly sigma?: number;
  /**
   * Latent distribution generate() draws from. 'standard': the VAE prior N(0, I). 'aggregate': a diagonal Gaussian
   * fitted per class to the encoder's aggregate posterior on training rows (mean of μ, variance = var(μ) + E σ²),
   * "ex-post density estimation" (Ghosh et al. 2020). Default 'aggregate': our short-trained MLP VAEs leave holes
   * between N(0, I) and their posteriors (measured, full MNIST profile: our classifier recognises 68 % of N(0, I)
   * samples as the sent class, 88 % of aggregate samples; photo prior samples decode to near-black patches).
   */
  readonly prior?: LatentPrior;
  /**
   * Continue training this model (same dataset and sizes) for `steps` more steps: its parameters are the start
   * (Adam's moments start afresh) and its run hash is part of the new run's identity, so every stage of a learning
   * curve is a cached run of its own.
   */
  readonly continueFrom?: ConditionalVae;
  /** Checkpoint root (default cacheDir('models', 'zepe-cvae')); the run lives in <root>/<config hash>. */
  readonly cacheDir?: string;
  readonly onProgress?: (p: TrainProgress) => void;
  /** Training rows instead of the dataset's train split (tests, or the split less its validation rows); hashed into the config. */
  readonly data?: ImageRows;
}

export interface TrainSummary {
  /** Steps of this run. */
  readonly steps: number;
  /** Steps since initialisation, counting the runs continued from (= steps for a fresh run). */
  readonly totalSteps?: number;
  readonly stepsDone: number;
  readonly fromCache: boolean;
  readonly finalLoss: number;
  readonly lossHistory: number[];
  readonly elapsedMs: number;
  readonly hash: string;
  readonly backend: string;
}

export interface ConditionalVae {
  readonly params: Params;
  readonly dataset: HybridDataset;
  readonly n: number;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly classes: number;
  readonly latentDim: number;
  readonly hidden: number;
  readonly likelihood: Likelihood;
  readonly prior: LatentPrior;
  /** Per class: mean and standard deviation of the aggregate posterior (used when prior = 'aggregate'). */
  readonly aggregate: ReadonlyMap<number, AggregateFit>;
  readonly training: TrainSummary;
}

/** Per-class fit of the encoder's aggregate posterior. */
export interface AggregateFit {
  readonly mean: Float32Array;
  /** √(var(μ_j) + E σ_j²) per latent dimension ('aggregate'). */
  readonly std: Float32Array;
  /** Row-major L×L symmetric square root of Cov(μ) + diag(E σ²) ('aggregate-full'). */
  readonly root: Float64Array;
  /** Training rows of the class behind the fit. */
  readonly count: number;
}

/** The cVAE's initial parameters (n pixels, `classes` one-hot inputs): what trainConditionalVae starts from with new Rng(seed). */
export function initCvaeParams(n: number, classes: number, latent: number, hidden: number, rng: Rng): Params {
  const p: Params = {};
  initDense(p, 'enc.h', { inDim: n + classes, outDim: hidden, rng });
  initDense(p, 'enc.mu', { inDim: hidden, outDim: latent, rng });
  initDense(p, 'enc.lv', { inDim: hidden, outDim: latent, rng });
  initDense(p, 'dec.h1', { inDim: latent + classes, outDim: hidden, rng });
  initDense(p, 'dec.h2', { inDim: hidden, outDim: hidden, rng });
  initDense(p, 'dec.out', { inDim: hidden, outDim: n, rng });
  return p;
}

/** Decoder logits for latent u [B, L] and class one-hots c [B, C]. */
function decodeLogits(p: Params, u: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
  const h1 = tf.relu(denseLayer(p, 'dec.h1', tf.concat([u, c], 1)));
  const h2 = tf.relu(denseLayer(p, 'dec.h2', h1));
  return denseLayer(p, 'dec.out', h2) as tf.Tensor2D;
}

/**
 * Trains (or loads from cache) an MLP conditional VAE: encoder [x, onehot(z)] → hidden → (μ, log σ²); decoder
 * [u, onehot(z)] → hidden → hidden → sigmoid image. Loss per image: −log p(x|u,z) + KL(q(u|x,z) ‖ N(0, I)), nats.
 */
export async function trainConditionalVae(o: CvaeOptions): Promise<ConditionalVae> {
  assertOneOf('dataset', o.dataset, HYBRID_DATASETS);
  assertInteger('latentDim', o.latentDim, 1);
  assertInteger('hidden', o.hidden, 1);
  assertInteger('steps', o.steps, 1);
  assertInteger('batchSize', o.batchSize, 1);
  assertPositive('lr', o.lr);
  assertInteger('seed', o.seed);
  const likelihood = o.likelihood ?? (o.dataset === 'mnist' ? 'bernoulli' : 'gaussian');
  assertOneOf('likelihood', likelihood, ['bernoulli', 'gaussian'] as const);
  const sigma = o.sigma ?? 0.1;
  assertPositive('sigma', sigma);
  const backend = await ensureBackend();
  const data = o.data ?? await loadHybridRows(o.dataset, 'train');
  const n = dimOf(data);
  const from = o.continueFrom;
  if (from && (from.n !== n || from.classes !== data.classes || from.latentDim !== o.latentDim || from.hidden !== o.hidden || from.likelihood !== likelihood)) {
    throw new RangeError('continueFrom must be a model of the same data size, classes, latentDim, hidden and likelihood');
  }
  const config = {
    kind: 'zepe-cvae', version: 1, dataset: o.dataset, latentDim: o.latentDim, hidden: o.hidden, batchSize: o.batchSize,
    seed: o.seed, likelihood, sigma: likelihood === 'gaussian' ? sigma : null, n, classes: data.classes,
    data: o.data ? dataDigest(o.data) : 'default', ...(from ? { continueFrom: from.training.hash } : {}),
  };
  const rng = new Rng(o.seed + (from?.training.totalSteps ?? 0));
  const params = initCvaeParams(n, data.classes, o.latentDim, o.hidden, rng);
  if (from) for (const [k, v] of Object.entries(params)) v.assign(from.params[k]);
  const optimizer = { lr: o.lr };
  const hash = checkpointIdentity({ config, steps: o.steps, optimizer, codeModule: import.meta.url }).hash;
  const lossFn = ({ rng: r }: { rng: Rng }): tf.Scalar => {
    const b = drawBatch(data, o.batchSize, r);
    const x = tf.tensor2d(b.x, [o.batchSize, n]);
    const c = oneHot(b.y, data.classes);
    const h = tf.relu(denseLayer(params, 'enc.h', tf.concat([x, c], 1)));
    const mu = denseLayer(params, 'enc.mu', h) as tf.Tensor2D;
    const lv = tf.clipByValue(denseLayer(params, 'enc.lv', h), -12, 8) as tf.Tensor2D;
    const u = reparameterize(mu, lv, randomNormal([o.batchSize, o.latentDim], { rng: r }));
    const logits = decodeLogits(params, u, c);
    const nll = likelihood === 'bernoulli'
      ? tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)), 1)
      : tf.div(tf.sum(tf.square(tf.sub(x, tf.sigmoid(logits))), 1), 2 * sigma * sigma);
    const kl = tf.mul(0.5, tf.sum(tf.sub(tf.sub(tf.add(tf.square(mu), tf.exp(lv)), lv), 1), 1));
    return tf.mean(tf.add(nll, kl)) as tf.Scalar;
  };
  const prior = o.prior ?? 'aggregate';
  assertOneOf('prior', prior, LATENT_PRIORS);
  const res = await train({
    params, steps: o.steps, lossFn, rng, optimizer, config, onProgress: o.onProgress, codeModule: import.meta.url,
    progressEvery: Math.max(1, Math.floor(o.steps / 50)),
    checkpointDir: `${o.cacheDir ?? cacheDir('models', 'zepe-cvae')}/${hash.slice(0, 16)}`,
  });
  return {
    params, dataset: o.dataset, n, width: data.width, height: data.height, channels: data.channels, classes: data.classes,
    latentDim: o.latentDim, hidden: o.hidden, likelihood, prior, aggregate: aggregatePosterior(params, data, o.latentDim),
    training: { ...summary(res, o.steps, backend), totalSteps: (from?.training.totalSteps ?? 0) + o.steps },
  };
}

/** Per-class diagonal Gaussian of the aggregate posterior over (at most 10,000 evenly spaced) training rows. */
function aggregatePosterior(p: Params, data: ImageRows, latent: number): Map<number, AggregateFit> {
  const n = dimOf(data);
  const stride = Math.max(1, Math.floor(data.n / 10000));
  const idx = Array.from({ length: Math.ceil(data.n / stride) }, (_, k) => k * stride);
  const sums = new Map<number, { m: Float64Array; m2: Float64Array; outer: Float64Array; v: Float64Array; count: number }>();
  for (let s = 0; s < idx.length; s += 1000) {
    const rows = idx.slice(s, s + 1000);
    const x = new Float32Array(rows.length * n);
    rows.forEach((r, k) => x.set(data.x.subarray(r * n, (r + 1) * n), k * n));
    const y = rows.map((r) => data.y[r]);
    const [mu, lv] = tf.tidy(() => {
      const h = tf.relu(denseLayer(p, 'enc.h', tf.concat([tf.tensor2d(x, [rows.length, n]), oneHot(y, data.classes)], 1)));
      return [denseLayer(p, 'enc.mu', h), tf.clipByValue(denseLayer(p, 'enc.lv', h), -12, 8)];
    });
    const m = mu.dataSync(), l = lv.dataSync();
    tf.dispose([mu, lv]);
    y.forEach((c, k) => {
      const acc = sums.get(c) ?? { m: new Float64Array(latent), m2: new Float64Array(latent), outer: new Float64Array(latent * latent), v: new Float64Array(latent), count: 0 };
      for (let j = 0; j < latent; j++) {
        const mj = m[k * latent + j];
        acc.m[j] += mj;
        acc.m2[j] += mj * mj;
        acc.v[j] += Math.exp(l[k * latent + j]);
        for (let i = 0; i <= j; i++) acc.outer[j * latent + i] += mj * m[k * latent + i];
      }
      acc.count++;
      sums.set(c, acc);
    });
  }
  const out = new Map<number, AggregateFit>();
  for (const [c, a] of sums) {
    const mean = Float32Array.from(a.m, (v) => v / a.count);
    const std = Float32Array.from(a.m2, (v, j) => Math.sqrt(Math.max(v / a.count - mean[j] ** 2, 0) + a.v[j] / a.count));
    const cov = new Float64Array(latent * latent);
    for (let j = 0; j < latent; j++) {
      for (let i = 0; i <= j; i++) {
        // Cov(μ) in float64 from the sums (the means are O(1), so the cancellation is harmless), plus E σ² on the diagonal.
        const cij = a.outer[j * latent + i] / a.count - (a.m[j] / a.count) * (a.m[i] / a.count) + (i === j ? a.v[j] / a.count : 0);
        cov[j * latent + i] = cij;
        cov[i * latent + j] = cij;
      }
    }
    out.set(c, { mean, std, root: Float64Array.from(sqrtPsd({ data: cov, n: latent }).data), count: a.count });
  }
  return out;
}

function summary(res: Awaited<ReturnType<typeof train>>, steps: number, backend: string): TrainSummary {
  return {
    steps, stepsDone: res.stepsDone, fromCache: res.fromCache, finalLoss: res.lossHistory[res.lossHistory.length - 1] ?? NaN,
    lossHistory: res.lossHistory, elapsedMs: res.elapsedMs, hash: res.hash, backend,
  };
}

/**
 * x̂ ~ generator(z): the decoder's mean image sigmoid(dec(u, z)) for a fresh latent u per row, u ~ N(0, I) or the
 * class's aggregate-posterior Gaussian (see CvaeOptions.prior)
 * (the mean, not a Bernoulli/Gaussian pixel sample: pixel noise would only add MSE). Returns z.length × n.
 */
export function generate(model: ConditionalVae, z: ArrayLike<number>, rng: Rng, prior: LatentPrior = model.prior): Float32Array {
  if (!(rng instanceof Rng)) throw new TypeError('rng must be a lib/core Rng');
  assertOneOf('prior', prior, LATENT_PRIORS);
  const L = model.latentDim;
  const out = new Float32Array(z.length * model.n);
  const chunk = 512;
  for (let s = 0; s < z.length; s += chunk) {
    const m = Math.min(chunk, z.length - s);
    const zs = Array.from({ length: m }, (_, i) => z[s + i]);
    const u = rng.fillNormal(new Float32Array(m * L)) as Float32Array;
    if (prior !== 'standard') {
      const e = new Float64Array(L);
      zs.forEach((c, i) => {
        const g = model.aggregate.get(c);
        if (!g) throw new RangeError(`z[${s + i}] = ${c}: no aggregate posterior for that class`);
        for (let j = 0; j < L; j++) e[j] = u[i * L + j];
        for (let j = 0; j < L; j++) {
          let v = g.mean[j];
          if (prior === 'aggregate') v += g.std[j] * e[j];
          else for (let k = 0; k < L; k++) v += g.root[j * L + k] * e[k];
          u[i * L + j] = v;
        }
      });
    }
    const img = tf.tidy(() => tf.sigmoid(decodeLogits(model.params, tf.tensor2d(u, [m, L]), oneHot(zs, model.classes))));
    out.set(img.dataSync() as Float32Array, s * model.n);
    img.dispose();
  }
  return out;
}

/** The encoder's mean μ(x, z) of N×n images x with classes z: N × latentDim (the semantic link's analogue latent). */
export function encodeMean(model: ConditionalVae, x: ArrayLike<number>, z: ArrayLike<number>): Float32Array {
  if (x.length !== z.length * model.n) throw new RangeError(`x.length (${x.length}) must be z.length (${z.length}) × n (${model.n})`);
  const L = model.latentDim;
  const out = new Float32Array(z.length * L);
  for (let s = 0; s < z.length; s += 512) {
    const m = Math.min(512, z.length - s);
    const rows = Float32Array.from({ length: m * model.n }, (_, i) => x[s * model.n + i]);
    const zs = Array.from({ length: m }, (_, i) => z[s + i]);
    const mu = tf.tidy(() => denseLayer(model.params, 'enc.mu', tf.relu(denseLayer(model.params, 'enc.h', tf.concat([tf.tensor2d(rows, [m, model.n]), oneHot(zs, model.classes)], 1)))));
    out.set(mu.dataSync() as Float32Array, s * L);
    mu.dispose();
  }
  return out;
}

/** The decoder's mean image sigmoid(dec(u, z)) for given latents u (N × latentDim) and classes z: N × n. */
export function decodeLatent(model: ConditionalVae, u: ArrayLike<number>, z: ArrayLike<number>): Float32Array {
  const L = model.latentDim;
  if (u.length !== z.length * L) throw new RangeError(`u.length (${u.length}) must be z.length (${z.length}) × latentDim (${L})`);
  const out = new Float32Array(z.length * model.n);
  for (let s = 0; s < z.length; s += 512) {
    const m = Math.min(512, z.length - s);
    const us = Float32Array.from({ length: m * L }, (_, i) => u[s * L + i]);
    const zs = Array.from({ length: m }, (_, i) => z[s + i]);
    const img = tf.tidy(() => tf.sigmoid(decodeLogits(model.params, tf.tensor2d(us, [m, L]), oneHot(zs, model.classes))));
    out.set(img.dataSync() as Float32Array, s * model.n);
    img.dispose();
  }
  return out;
}

export interface ClassifierOptions {
  readonly hidden?: readonly [number, number];
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  readonly cacheDir?: string;
  readonly onProgress?: (p: TrainProgress) => void;
  /** Training rows instead of MNIST train (tests). */
  readonly data?: ImageRows;
}

export interface Classifier {
  readonly params: Params;
  readonly n: number;
  readonly classes: number;
  readonly featureDim: number;
  readonly training: TrainSummary;
}

function classifierForward(p: Params, x: tf.Tensor2D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const h1 = tf.relu(denseLayer(p, 'cls.h1', x));
  const features = tf.relu(denseLayer(p, 'cls.h2', h1)) as tf.Tensor2D;
  return { features, logits: denseLayer(p, 'cls.out', features) as tf.Tensor2D };
}

/** The classifier's initial parameters n → h1 → h2 → classes: what trainClassifier starts from with new Rng(seed). */
export function initClassifierParams(n: number, hidden: readonly [number, number], classes: number, rng: Rng): Params {
  const p: Params = {};
  initDense(p, 'cls.h1', { inDim: n, outDim: hidden[0], rng });
  initDense(p, 'cls.h2', { inDim: hidden[0], outDim: hidden[1], rng });
  initDense(p, 'cls.out', { inDim: hidden[1], outDim: classes, rng });
  return p;
}

/** An MNIST MLP classifier 784 → h1 → h2 → 10 (ReLU, softmax cross-entropy), trained apart from the cVAE. */
export async function trainClassifier(o: ClassifierOptions): Promise<Classifier> {
  const [h1, h2] = o.hidden ?? [256, 128];
  assertInteger('hidden[0]', h1, 1);
  assertInteger('hidden[1]', h2, 1);
  assertInteger('steps', o.steps, 1);
  assertInteger('batchSize', o.batchSize, 1);
  assertPositive('lr', o.lr);
  assertInteger('seed', o.seed);
  const backend = await ensureBackend();
  const data = o.data ?? loadHybridData('mnist', 'train');
  const n = dimOf(data);
  const config = { kind: 'zepe-classifier', version: 1, hidden: [h1, h2], batchSize: o.batchSize, seed: o.seed, n, classes: data.classes, data: o.data ? dataDigest(o.data) : 'mnist-train' };
  const rng = new Rng(o.seed);
  const params = initClassifierParams(n, [h1, h2], data.classes, rng);
  const optimizer = { lr: o.lr };
  const hash = checkpointIdentity({ config, steps: o.steps, optimizer, codeModule: import.meta.url }).hash;
  const lossFn = ({ rng: r }: { rng: Rng }): tf.Scalar => {
    const b = drawBatch(data, o.batchSize, r);
    const { logits } = classifierForward(params, tf.tensor2d(b.x, [o.batchSize, n]));
    return tf.losses.softmaxCrossEntropy(oneHot(b.y, data.classes), logits) as tf.Scalar;
  };
  const res = await train({
    params, steps: o.steps, lossFn, rng, optimizer, config, onProgress: o.onProgress, codeModule: import.meta.url,
    progressEvery: Math.max(1, Math.floor(o.steps / 50)),
    checkpointDir: `${o.cacheDir ?? cacheDir('models', 'zepe-classifier')}/${hash.slice(0, 16)}`,
  });
  return { params, n, classes: data.classes, featureDim: h2, training: summary(res, o.steps, backend) };
}

/** Predicted classes and penultimate-layer features (N × featureDim) of N×n images. */
export function classify(model: Classifier, x: ArrayLike<number>): { labels: Uint8Array; features: Float32Array } {
  if (x.length % model.n !== 0) throw new RangeError(`x.length (${x.length}) must be a multiple of n = ${model.n}`);
  const N = x.length / model.n;
  const labels = new Uint8Array(N);
  const features = new Float32Array(N * model.featureDim);
  const chunk = 1000;
  for (let s = 0; s < N; s += chunk) {
    const m = Math.min(chunk, N - s);
    const rows = Float32Array.from({ length: m * model.n }, (_, i) => x[s * model.n + i]);
    const [lab, feat] = tf.tidy(() => {
      const { features: f, logits } = classifierForward(model.params, tf.tensor2d(rows, [m, model.n]));
      return [tf.argMax(logits, 1), f];
    });
    labels.set(lab.dataSync() as Int32Array, s);
    features.set(feat.dataSync() as Float32Array, s * model.featureDim);
    lab.dispose();
    feat.dispose();
  }
  return { labels, features };
}
