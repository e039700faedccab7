/**
 * Testing (Fig. 6, §III-C): per test SNR, each test image's mean block crosses the AWGN channel ONCE (z), then the
 * receiver draws R resamplings ŷ_r = z + σ·ε_r and decodes them in large batches; PSNR and SSIM are taken per
 * decoded image and summarised per test image as mean, min and max over its R resamplings. A curve point keeps the
 * per-image means (the items of the bootstrap intervals and paired comparisons) and their averages over images.
 *   'fixed':        σ² = σ_KB², the knowledge base (mean encoder variance over training images, per latent element);
 *   'transmitted':  σ² = the encoder's own σ1², sent as a second power-normalised block over the same channel
 *                   (received σ² = σ1² + noise, clamped at 0) — twice the channel uses;
 *   'ae':           x̂ = dec(z), no resampling (min = max = mean).
 * Channel noise and ε come from streams seeded by (spec.seed, test SNR), not by the model: every model tested on the
 * same images sees the same draws (common random numbers), and the two resampling tests share the same z.
 */
import { Rng } from '../../core/index.js';
import { psnrBatch, ssimBatch } from '../../metrics/index.js';
import { tf, type Params } from '../../nn/index.js';
import { latentSide, type CodecArch, type EvalSpec, type Method, type TestMethod } from './config.js';
import { awgnNoiseVariance, knowledgeBaseVariance, powerNormalize } from './losses.js';
import { decode, encode } from './model.js';

export interface Images {
  /** n × H × W × 3 in [0, 1]. */
  readonly x: Float32Array;
  readonly n: number;
  readonly size: number;
}

export interface CurvePoint {
  readonly testSnrDb: number;
  /** Averages over the test images of the per-image mean, min and max over its resamplings. */
  readonly psnrMean: number;
  readonly psnrMin: number;
  readonly psnrMax: number;
  readonly ssimMean: number;
  readonly ssimMin: number;
  readonly ssimMax: number;
  /**
   * Per test image (in the order of the evaluated set): its PSNR and SSIM averaged over its resamplings (rounded to
   * 1e-4 dB and 1e-6). Every model is tested on the same images with the same channel draws, so these pair up.
   */
  readonly psnr: number[];
  readonly ssim: number[];
}

export interface EncodedSet {
  /** Power-normalised means, n × L. */
  readonly s: Float32Array;
  /** Encoder variances σ1², n × L (null for the AE). */
  readonly var1: Float32Array | null;
  readonly n: number;
  /** L = h·w·k real channel uses per image. */
  readonly L: number;
}

const ENCODE_CHUNK = 64;
/** Latents decoded per call: large enough to amortise per-op overhead, small enough for memory. */
export const DECODE_BATCH = 400;

/** Encodes images in chunks: normalised means and variances as flat arrays. */
export function encodeSet(p: Params, a: CodecArch, method: Method, img: Images): EncodedSet {
  const L = latentSide(a) ** 2 * a.latentChannels;
  const s = new Float32Array(img.n * L);
  const var1 = method === 'ae' ? null : new Float32Array(img.n * L);
  const d = img.size * img.size * 3;
  for (let i = 0; i < img.n; i += ENCODE_CHUNK) {
    const m = Math.min(ENCODE_CHUNK, img.n - i);
    const out = tf.tidy(() => {
      const x = tf.tensor4d(img.x.subarray(i * d, (i + m) * d), [m, img.size, img.size, 3]);
      const e = encode(p, a, method, x);
      const sm = powerNormalize(e.mu).x;
      return e.logVar ? [sm, tf.exp(e.logVar)] : [sm];
    });
    s.set(out[0].dataSync() as Float32Array, i * L);
    if (out[1] && var1) var1.set(out[1].dataSync() as Float32Array, i * L);
    tf.dispose(out);
  }
  return { s, var1, n: img.n, L };
}

function streamSeed(seed: number, snrIndex: number, stream: number): number {
  return (Math.abs(Math.floor(seed)) * 1009 + snrIndex * 31 + stream) % 2147483647;
}

/** Stream index of a test SNR: its value (0.1 dB steps), so every model tested at that SNR gets the same draws. */
const snrStream = (snrDb: number): number => 1000 + Math.round(snrDb * 10);

/** Received variance block: v crosses the channel power-normalised (gain a = √(L/Σv²)), noise σ2·n/a, clamped at 0. */
export function receivedVariance(v: Float32Array, L: number, noiseStd: number, rng: Rng): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length / L; i++) {
    let e = 0;
    for (let j = 0; j < L; j++) e += v[i * L + j] ** 2;
    const gain = Math.sqrt(L / Math.max(e, 1e-30));
    for (let j = 0; j < L; j++) out[i * L + j] = Math.max(0, v[i * L + j] + (noiseStd / gain) * rng.normal());
  }
  return out;
}

/** Decodes ŷ rows (count × L) in DECODE_BATCH chunks → count × H × W × 3 in [0, 1]. */
function decodeRows(p: Params, a: CodecArch, y: Float32Array, count: number): Float32Array {
  const side = latentSide(a);
  const L = side * side * a.latentChannels;
  const d = a.imageSize * a.imageSize * 3;
  const out = new Float32Array(count * d);
  for (let i = 0; i < count; i += DECODE_BATCH) {
    const m = Math.min(DECODE_BATCH, count - i);
    const xh = tf.tidy(() => decode(p, a, tf.tensor4d(y.subarray(i * L, (i + m) * L), [m, side, side, a.latentChannels])));
    out.set(xh.dataSync() as Float32Array, i * d);
    xh.dispose();
  }
  return out;
}

/** Per image: mean, min and max over its R consecutive decodes. */
interface PerImage { mean: Float64Array; min: Float64Array; max: Float64Array }

function perImage(vals: ArrayLike<number>, images: number, R: number): PerImage {
  const out: PerImage = { mean: new Float64Array(images), min: new Float64Array(images), max: new Float64Array(images) };
  for (let i = 0; i < images; i++) {
    let mn = Infinity, mx = -Infinity, sum = 0;
    for (let r = 0; r < R; r++) {
      const v = vals[i * R + r];
      sum += v;
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    out.mean[i] = sum / R;
    out.min[i] = mn;
    out.max[i] = mx;
  }
  return out;
}

/** PSNR and SSIM of every decode against its original (R decodes per image, consecutive). */
function scoreDecodes(orig: Float32Array, xh: Float32Array, images: number, R: number, size: number): { psnr: PerImage; ssim: PerImage } {
  const d = size * size * 3;
  const ref = new Float32Array(images * R * d);
  for (let i = 0; i < images; i++) for (let r = 0; r < R; r++) ref.set(orig.subarray(i * d, (i + 1) * d), (i * R + r) * d);
  const opts = { n: images * R, width: size, height: size, channels: 3, maxValue: 1 };
  return { psnr: perImage(psnrBatch(ref, xh, opts), images, R), ssim: perImage(ssimBatch(ref, xh, opts), images, R) };
}

const mean = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
};

/** One test method at one SNR over all test images. */
function testAt(p: Params, a: CodecArch, test: TestMethod, enc: EncodedSet, img: Images, snrDb: number, R: number, z: Float32Array,
  sigma2: Float32Array | null, rng: Rng): CurvePoint {
  const { L } = enc;
  const d = img.size * img.size * 3;
  const reps = test === 'ae' ? 1 : R;
  const perCall = Math.max(1, Math.floor(DECODE_BATCH / reps));
  const n = enc.n;
  const all = {
    psnr: { mean: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) },
    ssim: { mean: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) },
  };
  for (let i = 0; i < n; i += perCall) {
    const m = Math.min(perCall, n - i);
    const y = new Float32Array(m * reps * L);
    for (let k = 0; k < m; k++) {
      for (let r = 0; r < reps; r++) {
        const o = (k * reps + r) * L;
        for (let j = 0; j < L; j++) {
          const zj = z[(i + k) * L + j];
          y[o + j] = sigma2 ? zj + Math.sqrt(sigma2[(i + k) * (sigma2.length === L ? 0 : L) + j]) * rng.normal() : zj;
        }
      }
    }
    const xh = decodeRows(p, a, y, m * reps);
    const sc = scoreDecodes(img.x.subarray(i * d, (i + m) * d), xh, m, reps, img.size);
    for (const k of ['psnr', 'ssim'] as const) for (const f of ['mean', 'min', 'max'] as const) all[k][f].set(sc[k][f], i);
  }
  const round = (v: Float64Array, scale: number): number[] => Array.from(v, (x) => Math.round(x * scale) / scale);
  return {
    testSnrDb: snrDb, psnrMean: mean(all.psnr.mean), psnrMin: mean(all.psnr.min), psnrMax: mean(all.psnr.max),
    ssimMean: mean(all.ssim.mean), ssimMin: mean(all.ssim.min), ssimMax: mean(all.ssim.max),
    psnr: round(all.psnr.mean, 1e4), ssim: round(all.ssim.mean, 1e6),
  };
}

/**
 * Runs every test of `spec` at every SNR of `snrsDb` (default spec.testSnrsDb). `kbVariance` (σ_KB², length L) is
 * needed for 'fixed'. Returns one curve per test method.
 */
export function evaluateModel(p: Params, a: CodecArch, method: Method, img: Images, spec: EvalSpec, kbVariance: Float64Array | null,
  snrsDb: readonly number[] = spec.testSnrsDb): Partial<Record<TestMethod, CurvePoint[]>> {
  const enc = encodeSet(p, a, method, img);
  const { L } = enc;
  const out: Partial<Record<TestMethod, CurvePoint[]>> = {};
  snrsDb.forEach((snr) => {
    const j = snrStream(snr);
    const noiseStd = Math.sqrt(awgnNoiseVariance(snr));
    const ch = new Rng(streamSeed(spec.seed, j, 1));
    const z = Float32Array.from(enc.s, (v) => v + noiseStd * ch.normal());
    for (const t of spec.tests) {
      let sigma2: Float32Array | null = null;
      if (t === 'fixed') {
        if (!kbVariance || kbVariance.length !== L) throw new RangeError(`the 'fixed' test needs kbVariance of length ${L}`);
        sigma2 = Float32Array.from(kbVariance);
      } else if (t === 'transmitted') {
        if (!enc.var1) throw new RangeError("the 'transmitted' test needs a model with encoder variances (VSCC or VAE)");
        sigma2 = receivedVariance(enc.var1, L, noiseStd, new Rng(streamSeed(spec.seed, j, 2)));
      }
      const pts = (out[t] ??= []);
      pts.push(testAt(p, a, t, enc, img, snr, spec.resamplings, z, sigma2, new Rng(streamSeed(spec.seed, j, 3))));
    }
  });
  return out;
}

/** σ_KB² of a model: the mean encoder variance over `imgs` (per latent element), plus the raw variances. */
export function knowledgeBase(p: Params, a: CodecArch, method: Method, imgs: Images): { kb: Float64Array; var1: Float32Array } {
  const enc = encodeSet(p, a, method, imgs);
  if (!enc.var1) throw new RangeError('the AE has no encoder variances (no knowledge base)');
  return { kb: knowledgeBaseVariance(enc.var1, enc.n), var1: enc.var1 };
}

/** Histogram of log10 values on fixed bins [lo, lo + width·bins); values outside go to the end bins. */
export function log10Histogram(values: ArrayLike<number>, lo = -7, width = 0.25, bins = 40): { lo: number; width: number; counts: number[] } {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > 0)) { counts[0]++; continue; }
    const b = Math.floor((Math.log10(v) - lo) / width);
    counts[Math.min(bins - 1, Math.max(0, b))]++;
  }
  return { lo, width, counts };
}

/**
 * Pictures: the first `count` test images sent once at `snrDb` and decoded with ONE resampling of `test`
 * (fresh draws, seeded by spec.seed). Returns count rows of H·W·3 values in [0, 1].
 */
export function exampleDecodes(p: Params, a: CodecArch, method: Method, img: Images, test: TestMethod, snrDb: number, seed: number,
  kbVariance: Float64Array | null): Float32Array[] {
  const enc = encodeSet(p, a, method, img);
  const { L } = enc;
  const noiseStd = Math.sqrt(awgnNoiseVariance(snrDb));
  const rng = new Rng(streamSeed(seed, 997, 4));
  const y = Float32Array.from(enc.s, (v) => v + noiseStd * rng.normal());
  if (test !== 'ae') {
    const v = test === 'fixed' ? kbVariance : enc.var1 && receivedVariance(enc.var1, L, noiseStd, rng);
    if (!v) throw new RangeError(`the '${test}' test needs ${test === 'fixed' ? 'kbVariance' : 'encoder variances'}`);
    for (let i = 0; i < y.length; i++) y[i] += Math.sqrt(v.length === L ? v[i % L] : v[i]) * rng.normal();
  }
  const xh = decodeRows(p, a, y, img.n);
  const d = img.size * img.size * 3;
  return Array.from({ length: img.n }, (_, i) => xh.slice(i * d, (i + 1) * d));
}

