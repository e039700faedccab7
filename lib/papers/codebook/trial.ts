/**
 * The functions runSweep's worker processes call (one per core): a VQ model trained-or-loaded and evaluated
 * over the channel; a separate-coding baseline (lib/codecs: JPEG or HEVC-intra at the matched bit budget, then
 * rate-1/2 LDPC over the same 64-QAM Rayleigh link); and the Lloyd sweep of codebook sizes behind eq. (21).
 */
import { Rng, assertInteger, assertOneOf } from '../../core/index.js';
import { imageAt, meanColour, receivedBatch, separateBaseline, sourceBitBudget, CODEC_NAMES, type CodecName } from '../../codecs/index.js';
import { assertOptionalDataset, loadPhotoPatches, type DatasetName } from '../../data/index.js';
import { tf, backendChoice, initBackend } from '../../nn/index.js';
import { indexBits, validateVq, type VqModelConfig } from './config.js';
import { encodeIndices } from './model.js';
import { trainVqModel, type HistoryPoint, type TrainInfo } from './train.js';
import {
  evaluateVq, heldOutImagesFor, msSsimPerImage, latentVariance, meanInterval, roundScores, toBase64Rgb, trainImagesFor, validateEval,
  type EvalSettings, type Interval, type PatchCount, type VqEvaluation,
} from './evaluate.js';
import { lloyd, quantize, weightedMeanSpread } from './analysis.js';
import { perceptualDistanceBatch, psnrBatch } from '../../metrics/index.js';

export interface VqTrialConfig {
  readonly kind: 'vq';
  readonly model: VqModelConfig;
  readonly eval: EvalSettings;
}

export interface VqTrialResult {
  readonly kind: 'vq';
  readonly config: VqTrialConfig;
  readonly train: TrainInfo;
  readonly history: HistoryPoint[];
  readonly eval: VqEvaluation;
}

export interface SeparateTrialConfig {
  readonly kind: 'separate';
  readonly codec: CodecName;
  readonly patchSize: 32 | 64;
  /** The VQ models' dataset (absent = the photo set), so the baselines code the same test images. */
  readonly dataset?: DatasetName;
  /** Complex channel symbols per image (the VQ scheme's); the source budget is 3 bits per symbol (64-QAM, R = 1/2). */
  readonly symbolsPerImage: number;
  readonly eval: EvalSettings;
}

export interface SeparatePoint {
  readonly snrDb: number;
  /** Fraction of images whose every codeword arrived. */
  readonly successRate: number;
  /** Per test image: the fraction of draws in which every codeword arrived. */
  readonly receivedPerImage: number[];
  readonly psnr: Interval;
  /** PSNR (dB) of every test image, averaged over the draws (same images and order as the VQ schemes'). */
  readonly psnrPerImage: number[];
  /** Perceptual distance on the first perceptualCount images (first draw), and per image. */
  readonly perceptual: Interval | null;
  readonly perceptualPerImage: number[] | null;
  /** MS-SSIM of every test image, first draw (a lost image is the flat mean-colour image). */
  readonly msssimPerImage: number[];
}

export interface SeparateTrialResult {
  readonly kind: 'separate';
  readonly config: SeparateTrialConfig;
  readonly budgetBits: number;
  /** Fraction of images that fit the budget at the codec's worst setting or better. */
  readonly fitRate: number;
  /** LDPC codewords (n = 648) per image actually sent, averaged; each spends 108 symbols. */
  readonly meanCodewords: number;
  /** With no channel errors: the source coder alone. */
  readonly clean: { readonly psnr: Interval; readonly perceptual: Interval | null };
  readonly meanSetting: number | null;
  readonly points: SeparatePoint[];
  readonly samples: { readonly bySnr: Record<string, string> };
  readonly seconds: number;
}

export interface KSweepConfig {
  readonly kind: 'ksweep';
  /** The trained model whose encoder provides the latents (it must already be trained, or it is trained here). */
  readonly model: VqModelConfig;
  readonly Ks: readonly number[];
  /**
   * Training patches whose latents Lloyd fits; D_q is measured on `validationCount` VALIDATION patches (eq. 21's
   * K* is a choice made from results, so it never sees the test photos).
   */
  readonly trainPatches: number;
  readonly validationCount: PatchCount;
  readonly iters: number;
  readonly seed: number;
}

export interface KSweepResult {
  readonly kind: 'ksweep';
  readonly config: KSweepConfig;
  /** E‖z − z̄‖² per vector of the validation latents: the unit of the normalised distortions. */
  readonly latentVariance: number;
  readonly points: { readonly K: number; readonly dq: number; readonly dqTrain: number; readonly meanSpread: number }[];
  readonly seconds: number;
}

export type CodebookTrialConfig = VqTrialConfig | SeparateTrialConfig | KSweepConfig;
export type CodebookTrialResult = VqTrialResult | SeparateTrialResult | KSweepResult;

async function vqTrial(cfg: VqTrialConfig): Promise<VqTrialResult> {
  validateVq(cfg.model);
  validateEval(cfg.eval);
  const t = await trainVqModel(cfg.model);
  try {
    const ev = await evaluateVq(t.params, cfg.model, cfg.eval);
    return { kind: 'vq', config: cfg, train: t.info, history: t.history, eval: ev };
  } finally {
    tf.dispose(Object.values(t.params));
  }
}

async function separateTrial(cfg: SeparateTrialConfig): Promise<SeparateTrialResult> {
  assertOneOf('codec', cfg.codec, CODEC_NAMES);
  assertOneOf('patchSize', cfg.patchSize, [32, 64]);
  assertInteger('symbolsPerImage', cfg.symbolsPerImage, 1);
  assertOptionalDataset('dataset', cfg.dataset);
  const e = cfg.eval;
  validateEval(e);
  const t0 = Date.now();
  const P = cfg.patchSize;
  const x = await heldOutImagesFor(P, 'test', e.testCount, cfg.dataset);
  const n = x.length / (P * P * 3);
  const images = Array.from({ length: n }, (_, i) => imageAt({ x, width: P, height: P }, i));
  const budgetBits = sourceBitBudget(cfg.symbolsPerImage, { M: 64, codeRate: 0.5 });
  // every SNR repeated `draws` times: separateBaseline forks a fresh Rng per entry, so these are independent draws
  const snrs = e.snrsDb.flatMap((s) => Array.from({ length: e.draws }, () => s));
  const res = await separateBaseline(images, {
    codec: cfg.codec, budgetBits, snrsDb: snrs, rng: new Rng(e.seed + 7), mode: 'per-image', n: 648,
    fallbackColour: meanColour(cfg.dataset === undefined ? loadPhotoPatches({ split: 'train', patchSize: P }).x : await trainImagesFor(P, 1000, cfg.dataset)),
  });
  const clean = new Float32Array(n * P * P * 3);
  res.source.forEach((s, i) => clean.set(s.decoded.data, i * P * P * 3));
  const psnrOf = (y: Float32Array) => psnrBatch(x, y, { n, width: P, height: P, channels: 3 });
  const percValues = async (y: Float32Array, count: number) => (count === 0 ? null
    : perceptualDistanceBatch(x.subarray(0, count * P * P * 3), y.subarray(0, count * P * P * 3), { n: count, width: P, height: P, channels: 3 }));
  const curveCount = Math.min(e.perceptualCount, n);
  const perc = async (y: Float32Array) => { const v = await percValues(y, curveCount); return v === null ? null : meanInterval(v); };
  const points: SeparatePoint[] = [];
  const bySnr: Record<string, string> = { clean: toBase64Rgb(clean.subarray(0, e.sampleCount * P * P * 3)) };
  for (const [si, snrDb] of e.snrsDb.entries()) {
    const sum = new Float64Array(n);
    const received = new Float64Array(n);
    let success = 0;
    let perc: Float64Array | null = null;
    let ms: Float64Array | null = null;
    for (let r = 0; r < e.draws; r++) {
      const k = si * e.draws + r;
      const y = receivedBatch(res, k);
      psnrOf(y).forEach((v, i) => { sum[i] += finitePsnr(v) / e.draws; });
      res.perSnr[k].success.forEach((v, i) => { received[i] += v / e.draws; });
      success += res.perSnr[k].successRate / e.draws;
      if (r === 0) {
        perc = await percValues(y, e.perceptualAllSnrsDb.includes(snrDb) ? n : curveCount);
        ms = msSsimPerImage(x, y, n, P);
        if (e.sampleSnrsDb.includes(snrDb)) bySnr[String(snrDb)] = toBase64Rgb(y.subarray(0, e.sampleCount * P * P * 3));
      }
    }
    points.push({
      snrDb, successRate: success, receivedPerImage: roundScores(received), psnr: meanInterval(sum), psnrPerImage: roundScores(sum),
      perceptual: perc === null || curveCount === 0 ? null : meanInterval(perc.subarray(0, curveCount)), perceptualPerImage: perc === null ? null : roundScores(perc),
      msssimPerImage: roundScores(ms as Float64Array),
    });
  }
  const settings = res.source.filter((s) => s.fits).map((s) => s.setting as number);
  return {
    kind: 'separate', config: cfg, budgetBits, fitRate: res.fitRate,
    meanCodewords: res.codewords.reduce((a, b) => a + b, 0) / n,
    clean: { psnr: meanInterval(Array.from(psnrOf(clean), finitePsnr)), perceptual: await perc(clean) },
    meanSetting: settings.length ? settings.reduce((a, b) => a + b, 0) / settings.length : null,
    points, samples: { bySnr }, seconds: (Date.now() - t0) / 1000,
  };
}

/** A lossless 8-bit round trip would give PSNR = ∞; cap at 100 dB (never reached at these budgets) to stay finite. */
function finitePsnr(v: number): number {
  return Number.isFinite(v) ? v : 100;
}

async function kSweepTrial(cfg: KSweepConfig): Promise<KSweepResult> {
  validateVq(cfg.model);
  assertInteger('trainPatches', cfg.trainPatches, 1);
  if (cfg.validationCount !== 'all') assertInteger('validationCount', cfg.validationCount, 1);
  assertInteger('iters', cfg.iters, 1);
  if (!Array.isArray(cfg.Ks) || cfg.Ks.length === 0) throw new RangeError('Ks must be a non-empty array of powers of two');
  cfg.Ks.forEach((K) => indexBits(K));
  const t0 = Date.now();
  const P = cfg.model.patchSize;
  const D = cfg.model.D;
  const t = await trainVqModel(cfg.model);
  try {
    const tr = await trainImagesFor(P, cfg.trainPatches, cfg.model.dataset);
    const zTrain = encodeIndices(t.params, cfg.model, tr, tr.length / (P * P * 3)).latents;
    const xVal = await heldOutImagesFor(P, 'validation', cfg.validationCount, cfg.model.dataset);
    const zVal = encodeIndices(t.params, cfg.model, xVal, xVal.length / (P * P * 3)).latents;
    const nTrain = zTrain.length / D;
    const rng = new Rng(cfg.seed);
    const points = cfg.Ks.map((K) => {
      if (K > nTrain) throw new RangeError(`K = ${K} exceeds the ${nTrain} training latents (raise trainPatches)`);
      const ll = lloyd(zTrain, D, K, cfg.iters, rng);
      const qTrain = quantize(zTrain, ll.codebook, K, D);
      const qVal = quantize(zVal, ll.codebook, K, D);
      return { K, dq: qVal.dq, dqTrain: qTrain.dq, meanSpread: weightedMeanSpread(ll.codebook, K, D, qTrain.pmf) };
    });
    return { kind: 'ksweep', config: cfg, latentVariance: latentVariance(zVal, D), points, seconds: (Date.now() - t0) / 1000 };
  } finally {
    tf.dispose(Object.values(t.params));
  }
}

/** runSweep entry point. */
export async function runTrial(cfg: CodebookTrialConfig): Promise<CodebookTrialResult> {
  if (backendChoice() === null) await initBackend();
  if (cfg.kind === 'vq') return vqTrial(cfg);
  if (cfg.kind === 'separate') return separateTrial(cfg);
  if (cfg.kind === 'ksweep') return kSweepTrial(cfg);
  throw new RangeError(`config.kind must be 'vq', 'separate' or 'ksweep', got ${JSON.stringify((cfg as { kind?: unknown }).kind)}`);
}
