/**
 * Evaluation of a trained codebook-paper VQ-VAE over the paper's channel (docs/papers/codebook.md#system, Fig. 1):
 * test patches → indices → m bits each → (optionally rate-1/2 LDPC) → Gray 64-QAM → Rayleigh fading (receiver
 * CSI) → hard or LLR demapping → indices → codewords → decoder. Per SNR: the PSNR of every test image (and the
 * perceptual distance), the measured bit/index error rates, and the channel-induced latent distortion three
 * ways — eq. (18) analytic (exact Hamming form and approximation 17), a BSC(ε) simulation, and the 64-QAM chain.
 *
 * Held-out data (docs/papers/codebook.md#data): the photo set's test split, divided BY PHOTO into a validation
 * part (every VALIDATION_EVERY-th test photo, for choices made from results) and a test part (the rest, for
 * every reported number). Per-image scores are returned so that comparisons can use paired bootstraps.
 */
import { Rng, assertInteger } from '../../core/index.js';
import { ieee80211nLdpc, transmitIndices, type LinkOptions } from '../../channels/index.js';
import { DATASET_SUBSET_SEED, loadDatasetImages, loadPhotoPatches, type DatasetName } from '../../data/index.js';
import { maxMsSsimScales, msSsim, perceptualDistanceBatch, psnrBatch } from '../../metrics/index.js';
import type { Params } from '../../nn/index.js';
import { designEpsilon, indexBits, latentsPerImage, type VqModelConfig } from './config.js';
import { decodeIndices, encodeIndices, codebookOf } from './model.js';
import { indexCounts } from './losses.js';
import {
  channelDistortion, channelDistortionMoments, channelDistortionOf, quantize, simulateBscDistortion, usageStats, weightedMeanSpread,
  type SimulatedDistortion,
} from './analysis.js';

/** How many held-out patches: a number (spread evenly over the part's photos) or 'all' of them. */
export type PatchCount = number | 'all';

export interface EvalSettings {
  readonly snrsDb: readonly number[];
  /** Test patches evaluated (the test part of the held-out photos; evenly spaced over its photos). */
  readonly testCount: PatchCount;
  /** Validation patches (the validation part of the held-out photos): PSNR per SNR, for choices made from results. */
  readonly validationCount: PatchCount;
  /** The first this-many test patches get the perceptual distance at every SNR (first channel draw only: it is slow). */
  readonly perceptualCount: number;
  /** SNRs at which EVERY test patch gets the perceptual distance (first draw), for paired comparisons. */
  readonly perceptualAllSnrsDb: readonly number[];
  /** Independent channel realisations per SNR. */
  readonly draws: number;
  /** Training patches whose indices give the index pmf p_k of the analysis and the usage histogram. */
  readonly usageCount: number;
  /** Test patches kept as pictures, and the SNRs they are shown at. */
  readonly sampleCount: number;
  readonly sampleSnrsDb: readonly number[];
  /** Also send the indices through rate-1/2 LDPC (IEEE 802.11n, n = 648; twice the channel symbols), one draw per SNR. */
  readonly codedVq: boolean;
  readonly seed: number;
}

export function validateEval(e: EvalSettings): void {
  if (!Array.isArray(e.snrsDb) || e.snrsDb.length === 0) throw new RangeError('snrsDb must be a non-empty array of SNRs (dB)');
  e.snrsDb.forEach((s, i) => { if (!Number.isFinite(s)) throw new RangeError(`snrsDb[${i}] must be finite, got ${s}`); });
  const checkCount = (name: string, c: PatchCount) => { if (c !== 'all') assertInteger(name, c, 2); };
  checkCount('testCount', e.testCount);
  checkCount('validationCount', e.validationCount);
  const most = e.testCount === 'all' ? Number.MAX_SAFE_INTEGER : e.testCount;
  assertInteger('perceptualCount', e.perceptualCount, 0, most);
  if (!Array.isArray(e.perceptualAllSnrsDb)) throw new RangeError('perceptualAllSnrsDb must be an array of SNRs (dB)');
  e.perceptualAllSnrsDb.forEach((s, i) => { if (!e.snrsDb.includes(s)) throw new RangeError(`perceptualAllSnrsDb[${i}] = ${s} must be one of snrsDb`); });
  assertInteger('draws', e.draws, 1);
  assertInteger('usageCount', e.usageCount, 1);
  assertInteger('sampleCount', e.sampleCount, 0, most);
  if (!Array.isArray(e.sampleSnrsDb)) throw new RangeError('sampleSnrsDb must be an array of SNRs (dB)');
  if (typeof e.codedVq !== 'boolean') throw new TypeError(`codedVq must be a boolean, got ${String(e.codedVq)}`);
}

/** Every VALIDATION_EVERY-th photo of the test split (photos 0, 4, 8, …) is a validation photo; the rest are test photos. */
export const VALIDATION_EVERY = 4;

export type HeldOutPart = 'validation' | 'test';

/** One part of the held-out photos: its patches (flat n×P×P×3 in [0, 1]) and its photos. */
export function heldOutPatches(patchSize: number, part: HeldOutPart): { x: Float32Array; n: number; photos: string[] } {
  if (part !== 'validation' && part !== 'test') throw new RangeError(`part must be 'validation' or 'test', got ${JSON.stringify(part)}`);
  const set = loadPhotoPatches({ split: 'test', patchSize });
  const size = patchSize * patchSize * 3;
  const chunks: Float32Array[] = [];
  const photos: string[] = [];
  let offset = 0;
  set.photos.forEach((p, i) => {
    const isValidation = i % VALIDATION_EVERY === 0;
    if (isValidation === (part === 'validation')) {
      chunks.push(set.x.subarray(offset * size, (offset + p.count) * size));
      photos.push(p.id);
    }
    offset += p.count;
  });
  const n = chunks.reduce((a, c) => a + c.length / size, 0);
  const x = new Float32Array(n * size);
  let at = 0;
  for (const c of chunks) { x.set(c, at); at += c.length; }
  return { x, n, photos };
}

/** `count` patches ('all', or spread evenly over the part's photos) of one held-out part, flat count×P×P×3 in [0, 1]. */
export function heldOutImages(patchSize: number, part: HeldOutPart, count: PatchCount): Float32Array {
  const set = heldOutPatches(patchSize, part);
  return spread(set.x, set.n, patchSize, count === 'all' ? set.n : count, part === 'test' ? 'testCount' : 'validationCount');
}

/** `count` test patches (the test part of the held-out photos), flat count×P×P×3 in [0, 1]. */
export function testImages(patchSize: number, count: PatchCount): Float32Array {
  return heldOutImages(patchSize, 'test', count);
}

/** `count` training patches spread evenly over the train split. */
export function trainImages(patchSize: number, count: number): Float32Array {
  const set = loadPhotoPatches({ split: 'train', patchSize });
  return spread(set.x, set.n, patchSize, Math.min(count, set.n), 'usageCount');
}

/**
 * heldOutImages for the photo set, or for a paper dataset (whole images at patchSize × patchSize): its VALIDATION
 * split (PASCAL VOC 2012 publishes no test annotations, and the loader refuses its 'test' split) divided as the
 * photos are — every VALIDATION_EVERY-th image (in the loader's seeded order) validation, the rest test; then `count`
 * spread over the part ('all' = every image of it).
 */
export async function heldOutImagesFor(patchSize: number, part: HeldOutPart, count: PatchCount, dataset?: DatasetName): Promise<Float32Array> {
  if (dataset === undefined) return heldOutImages(patchSize, part, count);
  if (part !== 'validation' && part !== 'test') throw new RangeError(`part must be 'validation' or 'test', got ${JSON.stringify(part)}`);
  const set = await loadDatasetImages({ dataset, split: 'validation', size: patchSize, seed: DATASET_SUBSET_SEED });
  const size = patchSize * patchSize * 3;
  const keep = Array.from({ length: set.n }, (_, i) => i).filter((i) => (i % VALIDATION_EVERY === 0) === (part === 'validation'));
  const x = new Float32Array(keep.length * size);
  keep.forEach((src, i) => x.set(set.x.subarray(src * size, (src + 1) * size), i * size));
  return spread(x, keep.length, patchSize, count === 'all' ? keep.length : count, part === 'test' ? 'testCount' : 'validationCount');
}

/** trainImages for the photo set, or `count` images of `dataset`'s train split. */
export async function trainImagesFor(patchSize: number, count: number, dataset?: DatasetName): Promise<Float32Array> {
  if (dataset === undefined) return trainImages(patchSize, count);
  return (await loadDatasetImages({ dataset, split: 'train', size: patchSize, count, seed: DATASET_SUBSET_SEED })).x;
}

function spread(x: Float32Array, n: number, patchSize: number, count: number, name: string): Float32Array {
  assertInteger(name, count, 1, n);
  const size = patchSize * patchSize * 3;
  const out = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const j = Math.floor((i * n) / count);
    out.set(x.subarray(j * size, (j + 1) * size), i * size);
  }
  return out;
}

/** Channel symbols per image of the uncoded VQ link: N·m bits on 6-bit 64-QAM symbols (the matched budget). */
export function vqSymbolsPerImage(cfg: Pick<VqModelConfig, 'K' | 'patchSize'>): number {
  return (latentsPerImage(cfg) * indexBits(cfg.K)) / 6;
}

export interface Interval { readonly mean: number; readonly lo: number; readonly hi: number }

/** Mean with a 95 % normal interval (1.96·s/√n). */
export function meanInterval(values: ArrayLike<number>): Interval {
  const n = values.length;
  if (n === 0) throw new RangeError('values must be non-empty');
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`values[${i}] must be finite, got ${values[i]}`);
    s += values[i];
  }
  const mean = s / n;
  if (n === 1) return { mean, lo: mean, hi: mean };
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - mean) ** 2;
  const half = (1.96 * Math.sqrt(v / (n - 1))) / Math.sqrt(n);
  return { mean, lo: mean - half, hi: mean + half };
}

export interface SnrPoint {
  readonly snrDb: number;
  /** Closed-form ε of uncoded Gray 64-QAM over Rayleigh (docs/papers/codebook.md#snr-to-bit-flip-probability) and the chain's measured BER. */
  readonly eps: number;
  readonly ber: number;
  readonly indexErrorRate: number;
  /** Mean per-image PSNR (dB) over images × draws, interval over images (draw-averaged). */
  readonly psnr: Interval;
  /** PSNR (dB) of every test image, averaged over the draws (same order as the test images). */
  readonly psnrPerImage: number[];
  /** Perceptual distance on the first perceptualCount images, first draw (null when perceptualCount = 0). */
  readonly perceptual: Interval | null;
  /**
   * Perceptual distance per image, first draw: every test image at the SNRs of perceptualAllSnrsDb, else the
   * first perceptualCount (null when none).
   */
  readonly perceptualPerImage: number[] | null;
  /**
   * MS-SSIM (lib/metrics/msssim.ts; 2 scales at 32×32, 3 at 64×64) of EVERY test image, first draw: the measure
   * that passes the degradation ladder (docs/papers/codebook.md#perceptual-measure-sanity-ladder).
   */
  readonly msssimPerImage: number[];
  /** eq. (18) per latent vector: exact Hamming form and the random-labelling approximation. */
  readonly dchExact: number;
  /** Standard deviation of ‖e_k − e_ĵ‖² per index under the exact BSC model (sets the Monte-Carlo tolerance). */
  readonly dchExactSd: number;
  readonly dchApprox: number;
  /** ‖e_k − e_ĵ‖² measured: over BSC(ε) and over the 64-QAM Rayleigh chain. */
  readonly dchBsc: SimulatedDistortion;
  readonly dchChain: SimulatedDistortion;
  /** ‖z − e_ĵ‖² over the chain (the total of eq. 20). */
  readonly dtotChain: number;
}

export interface CodedPoint {
  readonly snrDb: number;
  readonly ber: number;
  readonly indexErrorRate: number;
  readonly failedCodewordRate: number;
  readonly psnr: Interval;
  /** PSNR (dB) of every test image (one draw; the same images and order as the uncoded points). */
  readonly psnrPerImage: number[];
}

export interface ValidationPoint {
  readonly snrDb: number;
  /** Mean PSNR (dB) of the validation images over images × draws, with its 95 % normal interval. */
  readonly psnr: Interval;
}

export interface VqEvaluation {
  /** Test images evaluated. */
  readonly n: number;
  /** Validation images and their PSNR per SNR (for choices made from results; never reported as results). */
  readonly validation: {
    readonly n: number;
    readonly points: ValidationPoint[];
    /**
     * D_q = E‖z − e_q(z)‖² per vector of the validation latents with this codebook, and their variance E‖z − z̄‖²:
     * eq. (21)'s objective with the trained codebook is (D_q + P_e(ε)·meanSpread)/σ² (choices on validation only).
     */
    readonly dq: number;
    readonly latentVariance: number;
  };
  /** Per test image: mean −log2 p̂(s) of its N indices under the test index pmf p̂ (their mean over images is H(S)). */
  readonly indexBitsPerImage: number[];
  readonly symbolsPerImage: number;
  readonly clean: { readonly psnr: Interval; readonly perceptual: Interval | null; readonly dq: number; readonly msssim: Interval };
  /** Total variance of the test latents per vector, E‖z − z̄‖² (the unit of the normalised distortions). */
  readonly latentVariance: number;
  readonly usage: {
    readonly countsTrain: number[];
    readonly countsTest: number[];
    readonly perplexityTrain: number;
    readonly perplexityTest: number;
    readonly deadTrain: number;
    readonly deadTest: number;
  };
  /** Σ_k p_k d̄_k with the training pmf (D_ch ≈ P_e·this). */
  readonly meanSpread: number;
  readonly points: SnrPoint[];
  readonly coded: CodedPoint[];
  /** The codebook (K×D, rounded to 6 significant digits). */
  readonly codebook: number[];
  /** Pictures: base64 of 8-bit RGB, count×P×P×3, the originals and one per sample SNR (key 'clean' = no channel). */
  readonly samples: { readonly originals: string; readonly bySnr: Record<string, string> };
  readonly seconds: number;
}

export function toBase64Rgb(x: Float32Array): string {
  return Buffer.from(Uint8Array.from(x, (v) => Math.round(255 * Math.min(1, Math.max(0, v))))).toString('base64');
}

export function fromBase64Rgb(s: string): Float32Array {
  return Float32Array.from(Buffer.from(s, 'base64'), (v) => v / 255);
}

/** E‖z − z̄‖² per vector of n×D latents. */
export function latentVariance(latents: Float32Array, D: number): number {
  const n = latents.length / D;
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) mean[d] += latents[i * D + d] / n;
  let v = 0;
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) v += (latents[i * D + d] - mean[d]) ** 2;
  return v / n;
}

function perImagePsnr(x: Float32Array, y: Float32Array, n: number, P: number): Float64Array {
  return psnrBatch(x, y, { n, width: P, height: P, channels: 3 });
}

async function perceptualValues(x: Float32Array, y: Float32Array, count: number, P: number): Promise<Float64Array | null> {
  if (count === 0) return null;
  const size = P * P * 3;
  const clip = (a: Float32Array) => a.subarray(0, count * size).map((v) => Math.min(1, Math.max(0, v)));
  return perceptualDistanceBatch(clip(x), clip(y), { n: count, width: P, height: P, channels: 3 });
}

/** MS-SSIM of every image pair (outputs clipped to [0, 1]; as many scales as the patch allows). */
export function msSsimPerImage(x: Float32Array, y: Float32Array, n: number, P: number): Float64Array {
  const size = P * P * 3;
  const scales = maxMsSsimScales(P, P);
  return Float64Array.from({ length: n }, (_, i) => msSsim(x.subarray(i * size, (i + 1) * size),
    y.subarray(i * size, (i + 1) * size).map((v) => Math.min(1, Math.max(0, v))), { width: P, height: P, channels: 3, scales }));
}

async function perceptual(x: Float32Array, y: Float32Array, count: number, P: number): Promise<Interval | null> {
  const v = await perceptualValues(x, y, count, P);
  return v === null ? null : meanInterval(v);
}

/** Per-item scores kept in results: 6 significant digits (far below any interval's width). */
export function roundScores(v: ArrayLike<number>): number[] {
  return Array.from(v, (x) => Number(x.toPrecision(6)));
}

/** Per image: the mean surprisal −log2 p(s) of its N indices under the pmf of all of them. */
export function indexBitsPerImage(indices: ArrayLike<number>, n: number, K: number): number[] {
  const N = indices.length / n;
  const counts = new Float64Array(K);
  for (let i = 0; i < indices.length; i++) counts[indices[i]]++;
  const bits = Array.from(counts, (c) => (c > 0 ? -Math.log2(c / indices.length) : 0));
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < N; j++) s += bits[indices[i * N + j]];
    return s / N;
  });
}

function totalDistortion(latents: Float32Array, received: ArrayLike<number>, codebook: Float32Array, D: number): number {
  let s = 0;
  for (let i = 0; i < received.length; i++) {
    for (let d = 0; d < D; d++) s += (latents[i * D + d] - codebook[received[i] * D + d]) ** 2;
  }
  return s / received.length;
}

/** Runs the whole evaluation of one trained model (see the module comment). */
export async function evaluateVq(p: Params, cfg: VqModelConfig, e: EvalSettings): Promise<VqEvaluation> {
  validateEval(e);
  const t0 = Date.now();
  const P = cfg.patchSize;
  const m = indexBits(cfg.K);
  const x = await heldOutImagesFor(P, 'test', e.testCount, cfg.dataset);
  const n = x.length / (P * P * 3);
  const { indices, latents } = encodeIndices(p, cfg, x, n);
  const cb = codebookOf(p).dataSync() as Float32Array;
  const usage = await trainImagesFor(P, e.usageCount, cfg.dataset);
  const trainIdx = encodeIndices(p, cfg, usage, usage.length / (P * P * 3)).indices;
  const countsTrain = indexCounts(trainIdx, cfg.K);
  const countsTest = indexCounts(indices, cfg.K);
  // eq. (18) is checked against simulations of the TEST indices, so it uses their pmf; the training pmf feeds eq. (21).
  const pmf = countsTest.map((c) => c / indices.length);
  const clean = decodeIndices(p, cfg, indices, n);
  const cleanPsnr = perImagePsnr(x, clean, n, P);
  const dq = quantize(latents, cb, cfg.K, cfg.D).dq;
  const ut = usageStats(countsTrain);
  const us = usageStats(countsTest);
  const samples = { originals: toBase64Rgb(x.subarray(0, e.sampleCount * P * P * 3)), bySnr: { clean: toBase64Rgb(clean.subarray(0, e.sampleCount * P * P * 3)) } as Record<string, string> };
  const points: SnrPoint[] = [];
  const coded: CodedPoint[] = [];
  for (const snrDb of e.snrsDb) {
    points.push(await snrPoint(p, cfg, e, { x, n, indices, latents, cb, pmf, m, snrDb, samples }));
    if (e.codedVq) coded.push(codedPoint(p, cfg, e, x, n, indices, m, snrDb));
  }
  return {
    n, validation: await validationPoints(p, cfg, e), indexBitsPerImage: roundScores(indexBitsPerImage(indices, n, cfg.K)),
    symbolsPerImage: vqSymbolsPerImage(cfg),
    clean: { psnr: meanInterval(cleanPsnr), perceptual: await perceptual(x, clean, Math.min(e.perceptualCount, n), P), dq, msssim: meanInterval(msSsimPerImage(x, clean, n, P)) },
    latentVariance: latentVariance(latents, cfg.D),
    usage: {
      countsTrain: Array.from(countsTrain), countsTest: Array.from(countsTest),
      perplexityTrain: ut.perplexity, perplexityTest: us.perplexity, deadTrain: ut.dead, deadTest: us.dead,
    },
    meanSpread: weightedMeanSpread(cb, cfg.K, cfg.D, countsTrain.map((c) => c / trainIdx.length)),
    points, coded,
    codebook: Array.from(cb, (v) => Number(v.toPrecision(6))),
    samples, seconds: (Date.now() - t0) / 1000,
  };
}

/** PSNR of the validation images at every SNR (the same draws' seeds as the test images, salted apart). */
async function validationPoints(p: Params, cfg: VqModelConfig, e: EvalSettings): Promise<VqEvaluation['validation']> {
  const P = cfg.patchSize;
  const x = await heldOutImagesFor(P, 'validation', e.validationCount, cfg.dataset);
  const n = x.length / (P * P * 3);
  const { indices, latents } = encodeIndices(p, cfg, x, n);
  const cb = codebookOf(p).dataSync() as Float32Array;
  const m = indexBits(cfg.K);
  const points = e.snrsDb.map((snrDb) => {
    const sum = new Float64Array(n);
    for (let r = 0; r < e.draws; r++) {
      const rx = transmitIndices(indices, { M: 64, snrDb, channel: 'rayleigh', mBits: m, rng: drawRng(e, snrDb, r, 3) });
      perImagePsnr(x, decodeIndices(p, cfg, rx.indices, n), n, P).forEach((v, i) => { sum[i] += v / e.draws; });
    }
    return { snrDb, psnr: meanInterval(sum) };
  });
  return { n, points, dq: quantize(latents, cb, cfg.K, cfg.D).dq, latentVariance: latentVariance(latents, cfg.D) };
}

interface PointInput {
  readonly x: Float32Array;
  readonly n: number;
  readonly indices: Int32Array;
  readonly latents: Float32Array;
  readonly cb: Float32Array;
  readonly pmf: Float64Array;
  readonly m: number;
  readonly snrDb: number;
  readonly samples: { bySnr: Record<string, string> };
}

/**
 * Channel draws share seeds across models (common random numbers), keyed by the SNR's VALUE (so a model evaluated
 * at fewer SNRs sees the same draws at each): seed + draw + 1000·(round(10·SNR) + 1000) + 10⁷·salt.
 */
function drawRng(e: EvalSettings, snrDb: number, draw: number, salt = 0): Rng {
  assertInteger('draw', draw, 0, 999);
  const key = Math.round(10 * snrDb) + 1000;
  if (key < 0 || key > 9000) throw new RangeError(`snrDb must be within −100 … 800 dB for the draw seeds, got ${snrDb}`);
  return new Rng(e.seed + draw + 1000 * key + 1e7 * salt);
}

async function snrPoint(p: Params, cfg: VqModelConfig, e: EvalSettings, a: PointInput): Promise<SnrPoint> {
  const P = cfg.patchSize;
  const n = a.n;
  const eps = designEpsilon(a.snrDb);
  const link: LinkOptions = { M: 64, snrDb: a.snrDb, channel: 'rayleigh' };
  const psnrSum = new Float64Array(n);
  const sent: number[] = [];
  const got: number[] = [];
  let bitErrors = 0, bits = 0, dtot = 0;
  let perc: Float64Array | null = null;
  let ms: Float64Array | null = null;
  for (let r = 0; r < e.draws; r++) {
    const rx = transmitIndices(a.indices, { ...link, mBits: a.m, rng: drawRng(e, a.snrDb, r) });
    bitErrors += rx.bitErrors;
    bits += rx.bits.length;
    const y = decodeIndices(p, cfg, rx.indices, n);
    perImagePsnr(a.x, y, n, P).forEach((v, i) => { psnrSum[i] += v / e.draws; });
    dtot += totalDistortion(a.latents, rx.indices, a.cb, cfg.D) / e.draws;
    for (let i = 0; i < rx.indices.length; i++) { sent.push(a.indices[i]); got.push(rx.indices[i]); }
    if (r === 0) {
      ms = msSsimPerImage(a.x, y, n, P);
      perc = await perceptualValues(a.x, y, e.perceptualAllSnrsDb.includes(a.snrDb) ? n : Math.min(e.perceptualCount, n), P);
      if (e.sampleSnrsDb.includes(a.snrDb)) a.samples.bySnr[String(a.snrDb)] = toBase64Rgb(y.subarray(0, e.sampleCount * P * P * 3));
    }
  }
  const chain = channelDistortionOf(sent, got, a.cb, cfg.K, cfg.D);
  const input = { codebook: a.cb, K: cfg.K, D: cfg.D, pmf: a.pmf, eps };
  const moments = channelDistortionMoments(input);
  // Fig. 3's curves use the first perceptualCount images at every SNR: their interval comes from those alone
  const percCurve = perc === null || e.perceptualCount === 0 ? null : meanInterval(perc.subarray(0, Math.min(e.perceptualCount, n)));
  return {
    snrDb: a.snrDb, eps, ber: bitErrors / bits, indexErrorRate: chain.indexErrorRate,
    psnr: meanInterval(psnrSum), psnrPerImage: roundScores(psnrSum),
    perceptual: percCurve, perceptualPerImage: perc === null ? null : roundScores(perc),
    msssimPerImage: roundScores(ms as Float64Array),
    dchExact: channelDistortion(input, 'exact'), dchExactSd: Math.sqrt(Math.max(0, moments.second - moments.mean ** 2)),
    dchApprox: channelDistortion(input, 'random-labelling'),
    dchBsc: simulateBscDistortion(a.indices, a.cb, cfg.K, cfg.D, eps, drawRng(e, a.snrDb, 0, 1), e.draws),
    dchChain: chain, dtotChain: dtot,
  };
}

function codedPoint(p: Params, cfg: VqModelConfig, e: EvalSettings, x: Float32Array, n: number, indices: Int32Array, m: number, snrDb: number): CodedPoint {
  const link: LinkOptions = { M: 64, snrDb, channel: 'rayleigh', ldpc: ieee80211nLdpc(648) };
  // one draw: BP decoding of failing codewords is the slowest part of the whole evaluation
  const rx = transmitIndices(indices, { ...link, mBits: m, rng: drawRng(e, snrDb, 0, 2) });
  const psnr = perImagePsnr(x, decodeIndices(p, cfg, rx.indices, n), n, cfg.patchSize);
  return { snrDb, ber: rx.ber, indexErrorRate: rx.indexErrorRate, failedCodewordRate: rx.failedCodewords / rx.codewords, psnr: meanInterval(psnr), psnrPerImage: roundScores(psnr) };
}
