/**
 * A sanity ladder for image-quality measures (issue 16, codebook part): a fixed set of degradations of test images
 * whose order any perceptual measure must respect, and a check of a measure against it.
 *
 * Degradations of each RGB test image x in [0, 1] (SANITY_DEGRADATIONS, mildest level first in each family):
 * - flat: every pixel replaced by x's mean colour (per-channel mean) — the image a broken codec shows;
 * - blur σ ∈ {1, 2, 4} px: separable Gaussian, taps out to ⌈3σ⌉ and normalised to sum 1, edges replicated;
 * - noise σ ∈ {0.05, 0.1, 0.2}: x + σ·N(0, 1) per value, clipped to [0, 1], drawn from the caller's Rng
 *   (families in the order above, images in order, values in memory order);
 * - jpeg q ∈ {50, 20, 5}: libjpeg-turbo cjpeg/djpeg baseline JPEG, 4:2:0 chroma (lib/codecs/jpeg.ts).
 *
 * Order constraints (SANITY_CONSTRAINTS), each "A is better than B":
 * - within each family, every level better than the next stronger one (blur 1 > 2 > 4, noise 0.05 > 0.1 > 0.2,
 *   jpeg 50 > 20 > 5): 6 constraints;
 * - the mildest level of every family better than the flat mean-colour image (blur σ = 1, noise σ = 0.05,
 *   JPEG q = 50): 3 constraints. Only the mildest: a heavy degradation may fairly be judged as bad as the flat
 *   image, a mild one may not — the flat image keeps none of the picture's content.
 *
 * A constraint passes when the paired percentile-bootstrap 95 % interval (over the test images, lib/metrics/
 * bootstrap.ts) of the margin — score(A) − score(B) for a similarity, score(B) − score(A) for a distance, so that a
 * positive margin is the right order — excludes 0 on the positive side. The measure passes the ladder when every
 * constraint does. Each degradation's mean score carries its percentile-bootstrap 95 % interval. All bootstrap seeds
 * are drawn from the caller's Rng, so one Rng makes the whole check reproducible.
 */
import { MAX_SEED, assertFunction, assertObject, assertOneOf, assertRng, assertSize, assertString, describe,
  type Rng } from '../core/index.js';
import { decodeJpeg, encodeJpeg } from '../codecs/jpeg.js';
import { bootstrapMean, pairedBootstrap, type Estimate } from './bootstrap.js';
import { psnrBatch, ssimBatch } from './batch.js';
import { assertPixels, resolveShape, type Pixels } from './image.js';
import { maxMsSsimScales, msSsim } from './msssim.js';
import { perceptualDistanceBatch, PERCEPTUAL_METRIC_NAME } from './perceptual.js';

export type DegradationFamily = 'flat' | 'blur' | 'noise' | 'jpeg';

export interface Degradation {
  /** Stable identifier, e.g. 'blur-2', 'jpeg-50', 'flat'. */
  readonly id: string;
  readonly family: DegradationFamily;
  /** σ in pixels (blur), σ in [0,1] units (noise), quality 1..100 (jpeg); null for flat. */
  readonly level: number | null;
  readonly label: string;
}

/** Blur σ (pixels), noise σ ([0,1] units) and JPEG qualities, mildest first. */
export const SANITY_BLUR_SIGMAS: readonly number[] = [1, 2, 4];
export const SANITY_NOISE_SIGMAS: readonly number[] = [0.05, 0.1, 0.2];
export const SANITY_JPEG_QUALITIES: readonly number[] = [50, 20, 5];

/** The ladder's degradations, in a fixed order (flat, blur, noise, jpeg; mildest first within a family). */
export const SANITY_DEGRADATIONS: readonly Degradation[] = [
  { id: 'flat', family: 'flat', level: null, label: 'flat mean colour' },
  ...SANITY_BLUR_SIGMAS.map((s) => ({ id: `blur-${s}`, family: 'blur' as const, level: s,
    label: `Gaussian blur σ = ${s} px` })),
  ...SANITY_NOISE_SIGMAS.map((s) => ({ id: `noise-${s}`, family: 'noise' as const, level: s,
    label: `Gaussian noise σ = ${s}` })),
  ...SANITY_JPEG_QUALITIES.map((q) => ({ id: `jpeg-${q}`, family: 'jpeg' as const, level: q,
    label: `JPEG q = ${q}` })),
];

/** "better is better than worse": a sound measure scores `better` closer to the reference than `worse`. */
export interface OrderConstraint {
  readonly better: string;
  readonly worse: string;
  readonly why: string;
}

function familyChain(ids: readonly string[], what: string): OrderConstraint[] {
  return ids.slice(1).map((worse, i) => ({ better: ids[i], worse, why: `stronger ${what} is worse` }));
}

/** The 9 order constraints (see the file header). */
export const SANITY_CONSTRAINTS: readonly OrderConstraint[] = [
  ...familyChain(SANITY_BLUR_SIGMAS.map((s) => `blur-${s}`), 'blur'),
  ...familyChain(SANITY_NOISE_SIGMAS.map((s) => `noise-${s}`), 'noise'),
  ...familyChain(SANITY_JPEG_QUALITIES.map((q) => `jpeg-${q}`), 'JPEG compression'),
  ...[`blur-${SANITY_BLUR_SIGMAS[0]}`, `noise-${SANITY_NOISE_SIGMAS[0]}`, `jpeg-${SANITY_JPEG_QUALITIES[0]}`].map(
    (better) => ({ better, worse: 'flat', why: 'the flat mean-colour image keeps none of the content' })),
];

/** Shape of a batch of n interleaved RGB images. */
export interface LadderShape {
  readonly n: number;
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
}

export interface LadderOptions {
  readonly n: number;
  readonly width: number;
  readonly height: number;
  /** RGB only (JPEG and the MobileNetV2 distance need it); default 3. */
  readonly channels?: 3;
  /** Draws the noise. */
  readonly rng: Rng;
}

export interface DegradationLadder {
  readonly shape: LadderShape;
  /** The n reference images (a copy, Float32 in [0, 1]). */
  readonly reference: Float32Array;
  /** Degraded copies of all n images, by degradation id (SANITY_DEGRADATIONS order). */
  readonly degraded: ReadonlyMap<string, Float32Array>;
}

/** The most test images a ladder takes (each degradation holds a copy; JPEG runs two processes per image). */
export const MAX_LADDER_IMAGES = 4096;

function flatColour(x: Float32Array, size: number, n: number): Float32Array {
  const out = new Float32Array(x.length);
  const pixels = size / 3;
  for (let i = 0; i < n; i++) {
    const o = i * size;
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let p = 0; p < pixels; p++) s += x[o + 3 * p + c];
      const m = s / pixels;
      for (let p = 0; p < pixels; p++) out[o + 3 * p + c] = m;
    }
  }
  return out;
}

function gaussianTaps(sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const g = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += (g[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma)));
  return g.map((v) => v / sum);
}

function gaussianBlur(x: Float32Array, shape: LadderShape, sigma: number): Float32Array {
  const { n, width: W, height: H } = shape;
  const g = gaussianTaps(sigma);
  const r = (g.length - 1) / 2;
  const tmp = new Float64Array(x.length);
  const out = new Float32Array(x.length);
  const at = (i: number, y: number, c: number, ch: number): number => ((i * H + y) * W + c) * 3 + ch;
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < H; y++) for (let c = 0; c < W; c++) for (let ch = 0; ch < 3; ch++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += g[k + r] * x[at(i, y, Math.min(W - 1, Math.max(0, c + k)), ch)];
      tmp[at(i, y, c, ch)] = s;
    }
    for (let y = 0; y < H; y++) for (let c = 0; c < W; c++) for (let ch = 0; ch < 3; ch++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += g[k + r] * tmp[at(i, Math.min(H - 1, Math.max(0, y + k)), c, ch)];
      out[at(i, y, c, ch)] = s;
    }
  }
  return out;
}

function addNoise(x: Float32Array, sigma: number, rng: Rng): Float32Array {
  return x.map((v) => Math.min(1, Math.max(0, v + sigma * rng.normal())));
}

async function jpegRoundTrip(x: Float32Array, shape: LadderShape, quality: number): Promise<Float32Array> {
  const { n, width, height } = shape;
  const size = width * height * 3;
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    const img = { data: x.slice(i * size, (i + 1) * size), width, height };
    const dec = await decodeJpeg((await encodeJpeg(img, { quality })).bytes);
    out.set(dec.data, i * size);
  }
  return out;
}

/** Builds every degradation of SANITY_DEGRADATIONS for n interleaved RGB images in [0, 1]. */
export async function buildDegradationLadder(images: Pixels, options: LadderOptions): Promise<DegradationLadder> {
  assertPixels('images', images);
  assertObject('options', options);
  assertSize('n', options.n, 1, MAX_LADDER_IMAGES);
  const channels = options.channels ?? 3;
  if (channels !== 3) throw new RangeError(`channels must be 3 (interleaved RGB), got ${describe(channels)}`);
  const { width, height } = resolveShape({ width: options.width, height: options.height, channels }, images.length,
    options.n);
  assertRng('rng', options.rng);
  const reference = Float32Array.from(images);
  for (let i = 0; i < reference.length; i++) {
    const v = reference[i];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`images[${i}] must be in [0, 1], got ${images[i]}`);
  }
  const shape: LadderShape = { n: options.n, width, height, channels: 3 };
  const size = width * height * 3;
  const degraded = new Map<string, Float32Array>();
  for (const d of SANITY_DEGRADATIONS) {
    const level = d.level ?? 0;
    switch (d.family) {
      case 'flat': degraded.set(d.id, flatColour(reference, size, shape.n)); break;
      case 'blur': degraded.set(d.id, gaussianBlur(reference, shape, level)); break;
      case 'noise': degraded.set(d.id, addNoise(reference, level, options.rng)); break;
      case 'jpeg': degraded.set(d.id, await jpegRoundTrip(reference, shape, level)); break;
    }
  }
  return { shape, reference, degraded };
}

export type MeasureDirection = 'lower-is-better' | 'higher-is-better';

/** An image-quality measure scored on n (reference, degraded) pairs at once. */
export interface QualityMeasure {
  readonly name: string;
  /** 'lower-is-better' for a distance (MSE, feature distance), 'higher-is-better' for a similarity (PSNR, SSIM). */
  readonly direction: MeasureDirection;
  /** One finite score per image pair. */
  readonly score: (reference: Float32Array, degraded: Float32Array, shape: LadderShape)
    => ArrayLike<number> | Promise<ArrayLike<number>>;
}

export interface SanityOptions {
  /** Draws the bootstrap seeds. */
  readonly rng: Rng;
  /** Bootstrap resamples (default 2000). */
  readonly resamples?: number;
}

export interface DegradationScore extends Degradation {
  /** The measure's score of each image. */
  readonly scores: Float64Array;
  /** Mean score with its percentile-bootstrap 95 % interval over the images. */
  readonly mean: Estimate;
}

export interface ConstraintResult extends OrderConstraint {
  /** Mean margin (positive = the right order) with its paired-bootstrap 95 % interval. */
  readonly margin: Estimate;
  /** The interval lies above 0. */
  readonly passes: boolean;
}

export interface SanityResult {
  readonly measure: string;
  readonly direction: MeasureDirection;
  /** Number of test images. */
  readonly n: number;
  readonly degradations: readonly DegradationScore[];
  readonly constraints: readonly ConstraintResult[];
  /** Every constraint passes. */
  readonly passes: boolean;
  /** The constraints that fail, as "better > worse". */
  readonly failed: readonly string[];
}

function assertLadder(ladder: unknown): asserts ladder is DegradationLadder {
  assertObject('ladder', ladder);
  const l = ladder as Partial<DegradationLadder>;
  if (!(l.reference instanceof Float32Array) || !(l.degraded instanceof Map) || typeof l.shape !== 'object') {
    throw new TypeError(`ladder must be what buildDegradationLadder returns, got ${describe(ladder)}`);
  }
  for (const d of SANITY_DEGRADATIONS) {
    const x = l.degraded.get(d.id);
    if (!(x instanceof Float32Array) || x.length !== l.reference.length) {
      throw new RangeError(`ladder.degraded must hold '${d.id}' with ${l.reference.length} values`);
    }
  }
}

/** Scores every degradation of the ladder with `measure` and checks SANITY_CONSTRAINTS (see the file header). */
export async function checkMeasureOnLadder(ladder: DegradationLadder, measure: QualityMeasure,
  options: SanityOptions): Promise<SanityResult> {
  assertLadder(ladder);
  assertObject('measure', measure);
  assertString('measure.name', measure.name);
  assertOneOf('measure.direction', measure.direction, ['lower-is-better', 'higher-is-better']);
  assertFunction('measure.score', measure.score);
  assertObject('options', options);
  assertRng('rng', options.rng);
  const resamples = options.resamples ?? 2000;
  const { n } = ladder.shape;
  if (n < 2) throw new RangeError(`ladder must hold at least 2 images for a bootstrap interval, got n = ${n}`);
  const seed = (): number => options.rng.int(MAX_SEED);
  const byId = new Map<string, DegradationScore>();
  for (const d of SANITY_DEGRADATIONS) {
    const raw = await measure.score(ladder.reference, ladder.degraded.get(d.id) as Float32Array, ladder.shape);
    if (raw === null || typeof raw !== 'object' || typeof raw.length !== 'number' || raw.length !== n) {
      throw new RangeError(`measure.score must return ${n} scores for '${d.id}', got ${describe(raw)}`);
    }
    const scores = Float64Array.from(raw);
    scores.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        throw new RangeError(`measure.score gave a non-finite score ${v} for '${d.id}', image ${i}`);
      }
    });
    byId.set(d.id, { ...d, scores, mean: bootstrapMean(scores, { resamples, seed: seed() }) });
  }
  const sign = measure.direction === 'higher-is-better' ? 1 : -1;
  const constraints = SANITY_CONSTRAINTS.map((c) => {
    const a = (byId.get(c.better) as DegradationScore).scores.map((v) => sign * v);
    const b = (byId.get(c.worse) as DegradationScore).scores.map((v) => sign * v);
    const margin = pairedBootstrap(a, b, { resamples, seed: seed() });
    return { ...c, margin, passes: margin.ci95[0] > 0 };
  });
  const failed = constraints.filter((c) => !c.passes).map((c) => `${c.better} > ${c.worse}`);
  return {
    measure: measure.name, direction: measure.direction, n, degradations: [...byId.values()], constraints,
    passes: failed.length === 0, failed,
  };
}

/** PSNR (dB, L = 1) as a ladder measure. */
export const PSNR_MEASURE: QualityMeasure = {
  name: 'PSNR', direction: 'higher-is-better', score: (a, b, s) => psnrBatch(a, b, s),
};

/** SSIM (Wang et al. 2004, mean over RGB) as a ladder measure. */
export const SSIM_MEASURE: QualityMeasure = {
  name: 'SSIM', direction: 'higher-is-better', score: (a, b, s) => ssimBatch(a, b, s),
};

/** MS-SSIM (mean over RGB) with as many scales as the image size allows (2 at 32×32, 3 at 64×64, 5 from 176). */
export const MS_SSIM_MEASURE: QualityMeasure = {
  name: 'MS-SSIM', direction: 'higher-is-better',
  score: (a, b, s) => {
    const size = s.width * s.height * 3;
    const scales = maxMsSsimScales(s.width, s.height);
    return Float64Array.from({ length: s.n }, (_, i) => msSsim(a.subarray(i * size, (i + 1) * size),
      b.subarray(i * size, (i + 1) * size), { width: s.width, height: s.height, channels: 3, scales }));
  },
};

/** The MobileNetV2 feature distance of perceptual.ts as a ladder measure (loads the model). */
export const PERCEPTUAL_MEASURE: QualityMeasure = {
  name: PERCEPTUAL_METRIC_NAME, direction: 'lower-is-better', score: (a, b, s) => perceptualDistanceBatch(a, b, s),
};
