/**
 * ZEPE §V-B / Fig. 3: the hybrid semantic–classical link, measured. The semantic link sends the class z and the
 * receiver generates x̂ ~ generator(z); the classical link sends Ax (d numbers); the receiver forms
 * x̃ = AᵀA x + (I − AᵀA) x̂. A is fitted on TRAIN residuals x − x̂, everything is evaluated on TEST images
 * (docs/papers/zepe.md#fig-3-hybrid). The paper only shows pictures; here we report distortion (MSE, PSNR, SSIM)
 * and perception-side numbers, each with a 95 % interval over the test images:
 * - MNIST: accuracy (exact binomial interval) of a separately trained MLP classifier on x̃, the sent class as truth;
 *   a Fréchet distance between Gaussian fits of that classifier's penultimate features, x̃ vs held-out real test
 *   digits (a Fréchet distance in the features of our MNIST classifier — not FID; normal bootstrap interval over the
 *   test digits, lib/metrics/frechet.ts);
 *   a per-pixel-statistics distance.
 * - Photos (no labels, no classifier): PSNR/SSIM and the per-pixel-statistics distance only.
 * The 'original' row (real test images vs the disjoint real reference) is the floor of both distances.
 * Per-image scores (squared error, SSIM, correct/incorrect, classifier features) are kept in `items` for the
 * claims' paired intervals (lib/papers/zepe/claims.ts).
 */
import { Rng, assertInteger, assertOneOf } from '../../core/index.js';
import {
  bootstrapMean, exactBinomialInterval, frechetBootstrap, frechetReference, frechetToReference, pixelStatsDistance, ssimBatch,
  type FrechetReference,
} from '../../metrics/index.js';
import type { TrainProgress } from '../../nn/index.js';
import { fitScalarQuantizer, scalarQuantize } from '../../codecs/index.js';
import { combine, fitResidualBases, projectionFor, PROJECTION_MODES, type ProjectionMode, type ResidualBases } from './projection.js';
import {
  classify, decodeLatent, dimOf, encodeMean, ensureBackend, generate, loadHybridRows, trainClassifier, trainConditionalVae, HYBRID_DATASETS, LATENT_PRIORS,
  type Classifier, type ConditionalVae, type HybridDataset, type ImageRows, type LatentPrior, type Likelihood, type TrainSummary,
} from './models.js';

export type HybridProfile = 'quick' | 'full';

export interface HybridExperimentOptions {
  readonly dataset: HybridDataset;
  /** Classical-link dimensions d (0 = generator only, n = lossless). */
  readonly ds: readonly number[];
  /** Test images evaluated. */
  readonly nTest: number;
  /** Further test images, disjoint from those, as the "real" reference for distribution distances. */
  readonly nRef: number;
  /** Training images whose residuals fit A. */
  readonly nFit: number;
  readonly seed: number;
  readonly modes?: readonly ProjectionMode[];
  readonly cvae: {
    readonly latentDim: number; readonly hidden: number; readonly steps: number; readonly batchSize: number; readonly lr: number;
    readonly likelihood?: Likelihood; readonly sigma?: number; readonly prior?: LatentPrior;
  };
  /** MNIST only. */
  readonly classifier?: { readonly hidden?: readonly [number, number]; readonly steps: number; readonly batchSize: number; readonly lr: number };
  /** Test images shown in the grid, and the d values of its x̃ columns (mode: gridMode, default 'per-class'). */
  readonly gridCount?: number;
  readonly gridDs?: readonly number[];
  readonly gridMode?: ProjectionMode;
  /**
   * MNIST: choose the generator on validation digits held out of the MNIST train split (neither network trains on
   * them). The cVAE is trained in stages ending at `curveSteps` (ascending, the last = cvae.steps; each stage continues
   * the previous one: continueFrom); at every stage and prior the generated digits are compared with `nValRef` other
   * validation digits (feature Fréchet distance, classifier accuracy), which gives the learning curve, and the
   * (stage, prior) of the smallest Fréchet distance is the generator used on the test digits.
   */
  readonly validation?: { readonly nVal: number; readonly nValRef: number; readonly curveSteps: readonly number[]; readonly priors: readonly LatentPrior[] };
  /**
   * Photos: the semantic link sends the encoder's mean latent, uniformly scalar-quantised with this many bits per
   * coordinate (lib/codecs fitScalarQuantizer on the A-fit training rows, ±3 sd), and the receiver decodes it to x̂.
   * Without it the receiver samples the generator with nothing received.
   */
  readonly semanticBits?: number;
  /** Clip x̃ to [0, 1] before every metric (default true): a receiver displays valid pixels; clipping never adds MSE. */
  readonly clip?: boolean;
  /** Bootstrap resamples for the interval of each row's feature Fréchet distance (default 50; evaluation only). */
  readonly frechetResamples?: number;
  readonly cacheDir?: string;
  readonly onProgress?: (stage: string, p?: TrainProgress) => void;
}

/** The numbers of one (mode, d) row; every interval is 95 % over the nTest test images. */
export interface HybridMetrics {
  mse: number;
  mseLo: number;
  mseHi: number;
  /** 10·log10(1/MSE) of the mean MSE over the test images (maxValue 1); Infinity when lossless. Interval mapped from MSE's. */
  psnr: number;
  psnrLo: number;
  psnrHi: number;
  ssim: number;
  ssimLo: number;
  ssimHi: number;
  /** Classifier accuracy on x̃ with the transmitted class as truth (MNIST), and its exact (Clopper–Pearson) interval. */
  accuracy: number | null;
  accuracyLo: number | null;
  accuracyHi: number | null;
  /** Correctly classified test images (accuracy = correct / nTest). */
  correct: number | null;
  /** Fréchet distance between Gaussian fits of the classifier's penultimate features, x̃ vs real reference (not FID). */
  featureFrechet: number | null;
  /** Percentile-bootstrap interval over the test images (reference set fixed). */
  featureFrechetLo: number | null;
  featureFrechetHi: number | null;
  /** Per-pixel-statistics distance (diagonal-Gaussian Fréchet, per pixel) of x̃ vs the real reference. */
  pixelDistance: number;
}

export interface HybridRow extends HybridMetrics {
  dataset: HybridDataset;
  /** 'per-class' | 'pooled'; 'original' for the real test images themselves (the floor of every distance). */
  mode: ProjectionMode | 'original';
  /** Classical-link dimension (null for 'original'). */
  d: number | null;
  /** d / n: real numbers sent per pixel value over the classical link. */
  ratio: number | null;
  /** Test images behind every number of the row. */
  nTest: number;
}

/** Per-test-image scores of one row, in the order of the evaluated test images (the same order in every row). */
export interface HybridItems {
  readonly mode: HybridRow['mode'];
  readonly d: number | null;
  /** Per-image mean squared error over the n pixel values. */
  readonly mse: Float64Array;
  readonly ssim: Float64Array;
  /** 1 when the classifier recognises the sent class (MNIST), else 0; null without a classifier. */
  readonly correct: Uint8Array | null;
  /** nTest × featureDim penultimate-layer features of x̃ (MNIST); null without a classifier. */
  readonly features: Float32Array | null;
}

export interface HybridGrid {
  /** rows × columns of images (x, x̂, x̃ at gridDs), values in [0, 1]; feed to renderImageGrid. */
  readonly images: Float32Array[][];
  readonly columnLabels: string[];
  readonly rowLabels: string[];
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

/** One point of the generator's learning curve on validation digits (every interval 95 % over the nVal digits). */
export interface GeneratorCurveRow {
  /** Training steps of the cVAE at this stage. */
  step: number;
  prior: LatentPrior;
  /** Fréchet(generated, validation reference) with its normal bootstrap interval. */
  frechet: number;
  frechetLo: number;
  frechetHi: number;
  /** Fréchet(real validation digits, the same reference): the level sampling alone reaches. */
  realFrechet: number;
  /** frechet − realFrechet. */
  gap: number;
  accuracy: number;
  accuracyLo: number;
  accuracyHi: number;
  /** Classifier accuracy on the real validation digits. */
  realAccuracy: number;
  nVal: number;
}

/** What crosses the semantic link per image. */
export interface SemanticLink {
  readonly kind: 'class' | 'quantised latent' | 'nothing';
  /** Bits per image: log2(classes) for a class, latentDim · bits for the quantised latent, 0 for nothing. */
  readonly bitsPerImage: number;
  /** Quantised latent only: bits per coordinate and the latent's size. */
  readonly bitsPerCoordinate: number | null;
  readonly latentDim: number;
}

export interface HybridExperimentResult {
  readonly dataset: HybridDataset;
  readonly semantic: SemanticLink;
  /** MNIST with validation: the learning curve (every stage × prior) and the generator chosen on it. */
  readonly generatorCurve: GeneratorCurveRow[] | null;
  readonly chosen: { readonly step: number; readonly prior: LatentPrior } | null;
  readonly rows: HybridRow[];
  /** Per-image scores of every row (same order as rows). */
  readonly items: HybridItems[];
  /** Gaussian fit of the classifier's features on the real reference images (MNIST), for Fréchet distances. */
  readonly reference: FrechetReference | null;
  readonly featureDim: number | null;
  readonly grid: HybridGrid;
  /** describeBackend() at run time. */
  readonly backend: string;
  readonly cvae: TrainSummary;
  readonly classifier: TrainSummary | null;
  readonly n: number;
  readonly nFit: number;
  readonly nTest: number;
  readonly nRef: number;
  readonly seconds: { readonly training: number; readonly fitting: number; readonly evaluation: number; readonly total: number };
  /** Training residuals per class (per-class mode) and how each basis was computed. */
  readonly fit: { readonly mode: ProjectionMode; readonly method: string; readonly counts: Record<string, number> }[];
}

function gatherRows(src: ImageRows, idx: ArrayLike<number>): ImageRows {
  const d = dimOf(src);
  const x = new Float32Array(idx.length * d);
  const y = new Uint8Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    x.set(src.x.subarray(idx[k] * d, (idx[k] + 1) * d), k * d);
    y[k] = src.y[idx[k]];
  }
  return { ...src, x, y, n: idx.length };
}

/** x̃ for every row: per-row A from the bases (by the row's class); d = n gives x itself. */
export function hybridReconstruct(bases: ResidualBases, x: Float32Array, xhat: Float32Array, z: ArrayLike<number>, d: number, clip = true): Float32Array {
  const n = bases.n;
  assertInteger('d', d, 0, n);
  const out = new Float32Array(x.length);
  const cache = new Map<number, Float64Array>();
  for (let s = 0; s < z.length; s++) {
    const xs = x.subarray(s * n, (s + 1) * n);
    if (d === n) {
      out.set(xs, s * n); // AᵀA = I for any orthonormal A with d = n
      continue;
    }
    const key = bases.mode === 'pooled' ? -1 : z[s];
    let a = cache.get(key);
    if (!a) cache.set(key, (a = projectionFor(bases, z[s], d)));
    const r = combine(xs, xhat.subarray(s * n, (s + 1) * n), a, n);
    for (let i = 0; i < n; i++) out[s * n + i] = clip ? Math.min(1, Math.max(0, r[i])) : r[i];
  }
  return out;
}

interface Reference {
  readonly x: Float32Array;
  readonly features: FrechetReference | null;
}

const psnrOf = (mse: number): number => (mse === 0 ? Infinity : 10 * Math.log10(1 / mse));

function measure(
  data: ImageRows, xt: Float32Array, x: Float32Array, ref: Reference, cls: Classifier | null, frechetResamples: number, seed: number,
): { metrics: HybridMetrics; items: Omit<HybridItems, 'mode' | 'd'> } {
  const n = dimOf(data);
  const perMse = new Float64Array(data.n);
  for (let s = 0; s < data.n; s++) {
    let se = 0;
    for (let i = s * n; i < (s + 1) * n; i++) se += (xt[i] - x[i]) ** 2;
    perMse[s] = se / n;
  }
  const perSsim = Float64Array.from(ssimBatch(xt, x, { n: data.n, width: data.width, height: data.height, channels: data.channels, maxValue: 1 }));
  const mse = bootstrapMean(perMse, { seed });
  const ssim = bootstrapMean(perSsim, { seed });
  let correct: Uint8Array | null = null;
  let features: Float32Array | null = null;
  let acc: ReturnType<typeof exactBinomialInterval> | null = null;
  let frechet: ReturnType<typeof frechetBootstrap> | null = null;
  if (cls && ref.features) {
    const out = classify(cls, xt);
    features = out.features;
    correct = Uint8Array.from(out.labels, (l, s) => (l === data.y[s] ? 1 : 0));
    acc = exactBinomialInterval(correct.reduce((k, c) => k + c, 0), data.n);
    frechet = frechetBootstrap(features, cls.featureDim, ref.features, { resamples: frechetResamples, seed });
  }
  return {
    metrics: {
      mse: mse.value, mseLo: mse.ci95[0], mseHi: mse.ci95[1],
      psnr: psnrOf(mse.value), psnrLo: psnrOf(mse.ci95[1]), psnrHi: psnrOf(mse.ci95[0]),
      ssim: ssim.value, ssimLo: ssim.ci95[0], ssimHi: ssim.ci95[1],
      accuracy: acc?.value ?? null, accuracyLo: acc?.ci95[0] ?? null, accuracyHi: acc?.ci95[1] ?? null,
      correct: correct ? Math.round((acc?.value ?? 0) * data.n) : null,
      featureFrechet: frechet?.value ?? null, featureFrechetLo: frechet?.ci95[0] ?? null, featureFrechetHi: frechet?.ci95[1] ?? null,
      pixelDistance: pixelStatsDistance(xt, ref.x, n),
    },
    items: { mse: perMse, ssim: perSsim, correct, features },
  };
}

function checkOptions(o: HybridExperimentOptions, n: number, testCount: number): void {
  assertOneOf('dataset', o.dataset, HYBRID_DATASETS);
  if (!Array.isArray(o.ds) || o.ds.length === 0) throw new RangeError('ds must be a non-empty array of dimensions');
  o.ds.forEach((d, i) => assertInteger(`ds[${i}]`, d, 0, n));
  for (const m of o.modes ?? PROJECTION_MODES) assertOneOf('modes', m, PROJECTION_MODES);
  assertInteger('nTest', o.nTest, 2, testCount);
  assertInteger('nRef', o.nRef, 2, testCount - o.nTest);
  assertInteger('nFit', o.nFit, 2);
  assertInteger('seed', o.seed);
  if (o.frechetResamples !== undefined) assertInteger('frechetResamples', o.frechetResamples, 20, 100_000);
  (o.gridDs ?? []).forEach((d, i) => assertInteger(`gridDs[${i}]`, d, 0, n));
  if (o.gridMode !== undefined) assertOneOf('gridMode', o.gridMode, PROJECTION_MODES);
}

/** The options checked before any data is loaded. */
function checkLinkOptions(o: HybridExperimentOptions): void {
  if (o.semanticBits !== undefined) assertInteger('semanticBits', o.semanticBits, 1, 16);
  if (o.validation !== undefined) {
    const v = o.validation;
    assertInteger('validation.nVal', v.nVal, 2);
    assertInteger('validation.nValRef', v.nValRef, 2);
    if (!Array.isArray(v.curveSteps) || v.curveSteps.length === 0) throw new RangeError('validation.curveSteps must be a non-empty array of step counts');
    v.curveSteps.forEach((s, i) => assertInteger(`validation.curveSteps[${i}]`, s, i === 0 ? 1 : v.curveSteps[i - 1] + 1));
    if (v.curveSteps[v.curveSteps.length - 1] !== o.cvae.steps) throw new RangeError(`validation.curveSteps must end at cvae.steps = ${o.cvae.steps}`);
    if (!Array.isArray(v.priors) || v.priors.length === 0) throw new RangeError('validation.priors must be a non-empty array of latent priors');
    v.priors.forEach((p, i) => assertOneOf(`validation.priors[${i}]`, p, LATENT_PRIORS));
  }
}

/** Generated digits for the classes of `val` against its reference: one learning-curve point. */
function curvePoint(
  model: ConditionalVae, prior: LatentPrior, val: ImageRows, ref: FrechetReference, real: { frechet: number; accuracy: number }, cls: Classifier,
  resamples: number, seed: number,
): GeneratorCurveRow {
  const out = classify(cls, generate(model, val.y, new Rng(seed), prior));
  const k = out.labels.reduce((s, l, i) => s + (l === val.y[i] ? 1 : 0), 0);
  const acc = exactBinomialInterval(k, val.n);
  const f = frechetBootstrap(out.features, cls.featureDim, ref, { resamples, seed });
  return {
    step: model.training.totalSteps ?? model.training.steps, prior, frechet: f.value, frechetLo: f.ci95[0], frechetHi: f.ci95[1],
    realFrechet: real.frechet, gap: f.value - real.frechet, accuracy: acc.value, accuracyLo: acc.ci95[0], accuracyHi: acc.ci95[1],
    realAccuracy: real.accuracy, nVal: val.n,
  };
}

/** Runs the whole experiment: train/load models, fit A on train residuals, evaluate every (mode, d) on test images. */
export async function hybridExperiment(o: HybridExperimentOptions): Promise<HybridExperimentResult> {
  assertOneOf('dataset', o.dataset, HYBRID_DATASETS);
  checkLinkOptions(o);
  const t0 = Date.now();
  const backend = await ensureBackend();
  const test = await loadHybridRows(o.dataset, 'test');
  let train = await loadHybridRows(o.dataset, 'train');
  const n = dimOf(test);
  checkOptions(o, n, test.n);
  // Validation digits: held out of the train split before either network sees it.
  const v = o.dataset === 'mnist' ? o.validation : undefined;
  let val: { rows: ImageRows; ref: ImageRows } | null = null;
  if (v) {
    if (v.nVal + v.nValRef >= train.n) throw new RangeError(`validation.nVal + validation.nValRef must leave training rows (train split: ${train.n})`);
    const order = new Rng(o.seed + 11).permutation(train.n);
    val = { rows: gatherRows(train, order.slice(0, v.nVal)), ref: gatherRows(train, order.slice(v.nVal, v.nVal + v.nValRef)) };
    train = gatherRows(train, order.slice(v.nVal + v.nValRef));
  }
  const nFit = Math.min(o.nFit, train.n);
  const modes = o.modes ?? (o.dataset === 'mnist' ? PROJECTION_MODES : ['pooled' as const]);
  const clip = o.clip ?? true;
  const progress = o.onProgress ?? (() => {});

  let cls: Classifier | null = null;
  if (o.dataset === 'mnist') {
    if (!o.classifier) throw new RangeError('classifier settings are required for dataset "mnist"');
    progress('training the classifier');
    cls = await trainClassifier({ ...o.classifier, seed: o.seed + 1000, cacheDir: o.cacheDir && `${o.cacheDir}/zepe-classifier`, data: val ? train : undefined, onProgress: (p) => progress('classifier', p) });
  }
  progress('training the conditional VAE');
  const cvaeBase = { dataset: o.dataset, seed: o.seed, cacheDir: o.cacheDir && `${o.cacheDir}/zepe-cvae`, ...o.cvae, data: val ? train : undefined, onProgress: (p: TrainProgress) => progress('cvae', p) };
  let model: ConditionalVae;
  let prior: LatentPrior = o.cvae.prior ?? 'aggregate';
  let generatorCurve: GeneratorCurveRow[] | null = null;
  let chosen: { step: number; prior: LatentPrior } | null = null;
  const resamples = o.frechetResamples ?? 50;
  if (v && val && cls) {
    const valRef = frechetReference(classify(cls, val.ref.x).features, cls.featureDim);
    const valRows = val.rows;
    const realOut = classify(cls, valRows.x);
    const real = {
      frechet: frechetToReference(realOut.features, cls.featureDim, valRef),
      accuracy: realOut.labels.reduce((s, l, i) => s + (l === valRows.y[i] ? 1 : 0), 0) / valRows.n,
    };
    generatorCurve = [];
    const stages: ConditionalVae[] = [];
    for (const [i, steps] of v.curveSteps.entries()) {
      const prev = stages[i - 1];
      const m = await trainConditionalVae({ ...cvaeBase, steps: steps - (i === 0 ? 0 : v.curveSteps[i - 1]), continueFrom: prev });
      stages.push(m);
      for (const p of v.priors) generatorCurve.push(curvePoint(m, p, val.rows, valRef, real, cls, resamples, o.seed + 31));
    }
    const best = generatorCurve.reduce((a, b) => (b.frechet < a.frechet ? b : a));
    chosen = { step: best.step, prior: best.prior };
    model = stages[v.curveSteps.indexOf(best.step)];
    prior = best.prior;
  } else {
    model = await trainConditionalVae(cvaeBase);
  }
  const t1 = Date.now();
  // The semantic link: the class (MNIST), the quantised encoder latent (photos with semanticBits), or nothing.
  const bitsQ = o.dataset === 'mnist' ? undefined : o.semanticBits;
  const semantic: SemanticLink = bitsQ !== undefined
    ? { kind: 'quantised latent', bitsPerImage: bitsQ * model.latentDim, bitsPerCoordinate: bitsQ, latentDim: model.latentDim }
    : { kind: model.classes > 1 ? 'class' : 'nothing', bitsPerImage: model.classes > 1 ? Math.log2(model.classes) : 0, bitsPerCoordinate: null, latentDim: model.latentDim };

  // Residuals on a seeded train subset; every random draw below forks from one Rng so runs repeat exactly.
  const rng = new Rng(o.seed + 7);
  const fitRows = gatherRows(train, rng.fork().permutation(train.n).slice(0, nFit));
  const genRng = rng.fork();
  const quantizer = bitsQ === undefined ? null : fitScalarQuantizer(encodeMean(model, fitRows.x, fitRows.y), model.latentDim, { bits: bitsQ });
  /** x̂ at the receiver: decoded quantised latent, or a generator sample for the class. */
  const receive = (rows: ImageRows, r: Rng): Float32Array => (quantizer
    ? decodeLatent(model, scalarQuantize(quantizer, encodeMean(model, rows.x, rows.y)).values, rows.y)
    : generate(model, rows.y, r, prior));
  const fitHat = receive(fitRows, genRng);
  const maxD = Math.max(0, ...o.ds.filter((d) => d < n), ...(o.gridDs ?? []).filter((d) => d < n));
  progress('fitting projections');
  const bases = new Map(modes.map((mode) => [mode, fitResidualBases({ x: fitRows.x, xhat: fitHat, labels: fitRows.y, n, mode, maxD })] as const));
  const t2 = Date.now();

  progress('evaluating');
  const perm = rng.fork().permutation(test.n);
  const evalRows = gatherRows(test, perm.slice(0, o.nTest));
  const refRows = gatherRows(test, perm.slice(o.nTest, o.nTest + o.nRef));
  const evalHat = receive(evalRows, rng.fork());
  const ref: Reference = { x: refRows.x, features: cls ? frechetReference(classify(cls, refRows.x).features, cls.featureDim) : null };
  const rows: HybridRow[] = [];
  const items: HybridItems[] = [];
  const add = (mode: HybridRow['mode'], d: number | null, xt: Float32Array) => {
    const m = measure(evalRows, xt, evalRows.x, ref, cls, resamples, o.seed + rows.length);
    rows.push({ dataset: o.dataset, mode, d, ratio: d === null ? null : d / n, nTest: o.nTest, ...m.metrics });
    items.push({ mode, d, ...m.items });
  };
  add('original', null, evalRows.x);
  for (const mode of modes) {
    const b = bases.get(mode) as ResidualBases;
    for (const d of o.ds) add(mode, d, d === 0 ? clipped(evalHat, clip) : hybridReconstruct(b, evalRows.x, evalHat, evalRows.y, d, clip));
  }
  const gridMode = o.gridMode ?? modes[0];
  const grid = buildGrid(evalRows, evalHat, bases.get(gridMode) ?? (bases.values().next().value as ResidualBases), o.gridCount ?? 6, o.gridDs ?? [], clip);
  const t3 = Date.now();
  const fit = [...bases.values()].map((b) => ({
    mode: b.mode,
    method: [...new Set([...b.byClass.values()].map((p) => p.method))].join('+'),
    counts: Object.fromEntries([...b.counts].map(([k, v]) => [k === -1 ? 'all' : String(k), v])),
  }));
  return {
    dataset: o.dataset, semantic, generatorCurve, chosen, rows, items, reference: ref.features, featureDim: cls?.featureDim ?? null, grid, backend, cvae: model.training, classifier: cls?.training ?? null, n, nFit, nTest: o.nTest, nRef: o.nRef, fit,
    seconds: { training: (t1 - t0) / 1000, fitting: (t2 - t1) / 1000, evaluation: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
  };
}

function clipped(x: Float32Array, clip: boolean): Float32Array {
  return clip ? x.map((v) => Math.min(1, Math.max(0, v))) : x;
}

function buildGrid(data: ImageRows, xhat: Float32Array, bases: ResidualBases, count: number, ds: readonly number[], clip: boolean): HybridGrid {
  assertInteger('gridCount', count, 1, data.n);
  const n = dimOf(data);
  const sub = gatherRows(data, Array.from({ length: count }, (_, i) => i));
  const hat = xhat.slice(0, count * n);
  const cols = ds.map((d) => hybridReconstruct(bases, sub.x, hat, sub.y, d, clip));
  const images = Array.from({ length: count }, (_, r) => [
    sub.x.slice(r * n, (r + 1) * n), clipped(hat.slice(r * n, (r + 1) * n), clip), ...cols.map((c) => c.slice(r * n, (r + 1) * n)),
  ]);
  return {
    images, columnLabels: ['x', 'x̂ (d = 0)', ...ds.map((d) => `x̃, d = ${d}`)],
    rowLabels: Array.from(sub.y, (z) => (data.classes > 1 ? `z = ${z}` : 'photo')), width: data.width, height: data.height, channels: data.channels,
  };
}
