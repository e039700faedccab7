/**
 * Rate matching: the best setting (highest JPEG quality, lowest HEVC QP) whose bit count fits a budget, found
 * by bisection over the setting. When nothing fits (quality 1 / QP 51 is still too large) the result says so
 * (`fits: false`) and carries the receiver's fallback: a flat image of a colour it knows in advance.
 */
import { assertInteger, assertNonNegative, assertObject, assertOneOf } from '../core/index.js';
import { decodeHevc, encodeHevcIntra, type X265Preset, type X265Tune } from './hevc.js';
import { type ChromaFormat, type RgbImage, assertColour, assertRgbImage, solidImage } from './image.js';
import { decodeJpeg, encodeJpeg } from './jpeg.js';
import { type CodecName, type EncodedImage, CODEC_NAMES } from './types.js';

/** Which bits count against the budget: the payload (fixed headers known to the receiver) or the whole file. */
export type BitMeasure = 'payload' | 'total';

export interface CodecOptions {
  /** Default '420'. */
  readonly chroma?: ChromaFormat;
  /** HEVC only (default 'placebo'). */
  readonly preset?: X265Preset;
  /** HEVC only (default 'psnr'). */
  readonly tune?: X265Tune;
}

export interface BudgetOptions extends CodecOptions {
  /** Default 'payload' — favourable to the baseline: headers are assumed known (see EncodedImage). */
  readonly measure?: BitMeasure;
  /**
   * Colour of the image the receiver shows when nothing fits or the frame is lost. Default mid-grey; a colour
   * the receiver may know in advance is e.g. the training set's mean (meanColour), never the test image's own.
   */
  readonly fallbackColour?: readonly [number, number, number];
}

/** Best setting first: JPEG quality 100 … 1, HEVC QP 0 … 51. */
export const SETTING_RANGE: Readonly<Record<CodecName, { readonly worst: number; readonly best: number }>> = {
  jpeg: { worst: 1, best: 100 },
  hevc: { worst: 51, best: 0 },
};

export const DEFAULT_FALLBACK_COLOUR: readonly [number, number, number] = [0.5, 0.5, 0.5];

/** Encodes with one codec at one setting (JPEG quality or HEVC QP). */
export function encodeWith(codec: CodecName, img: RgbImage, setting: number, opts: CodecOptions = {}): Promise<EncodedImage> {
  assertOneOf('codec', codec, CODEC_NAMES);
  const { worst, best } = SETTING_RANGE[codec];
  assertInteger('setting', setting, Math.min(worst, best), Math.max(worst, best));
  assertObject('options', opts);
  return codec === 'jpeg'
    ? encodeJpeg(img, { quality: setting, chroma: opts.chroma })
    : encodeHevcIntra(img, { qp: setting, chroma: opts.chroma, preset: opts.preset, tune: opts.tune });
}

/** Decodes a complete file of either codec. */
export function decodeEncoded(enc: EncodedImage): Promise<RgbImage> {
  checkEncoded(enc);
  return enc.codec === 'jpeg' ? decodeJpeg(enc.bytes) : decodeHevc(enc.bytes);
}

export function bitsOf(enc: EncodedImage, measure: BitMeasure): number {
  checkEncoded(enc);
  assertOneOf('measure', measure, ['payload', 'total'] as const);
  return measure === 'payload' ? enc.payloadBits : enc.totalBits;
}

function checkEncoded(enc: unknown): asserts enc is EncodedImage {
  assertObject('enc', enc);
  const e = enc as EncodedImage;
  assertOneOf('enc.codec', e.codec, CODEC_NAMES);
  if (!(e.bytes instanceof Uint8Array) || !(e.payload instanceof Uint8Array)) {
    throw new TypeError('enc must be an EncodedImage (bytes and payload Uint8Arrays)');
  }
}

export interface BudgetFit {
  readonly fits: true;
  readonly codec: CodecName;
  readonly setting: number;
  readonly encoded: EncodedImage;
  /** What is transmitted: the payload ('payload') or the whole file ('total'). */
  readonly bytes: Uint8Array;
  /** Its size in bits (≤ the budget). */
  readonly bits: number;
  readonly decoded: RgbImage;
}

export interface BudgetMiss {
  readonly fits: false;
  readonly codec: CodecName;
  readonly setting: null;
  readonly bytes: Uint8Array;
  readonly bits: 0;
  /** The fallback image (flat fallbackColour). */
  readonly decoded: RgbImage;
  /** Bits of the worst setting, which still exceeded the budget. */
  readonly minimumBits: number;
}

export type BudgetResult = BudgetFit | BudgetMiss;

/**
 * Largest-quality setting s with bits(s) ≤ budgetBits and bits(next better s) > budgetBits. Bisection keeps that
 * invariant exactly; it is the overall best fitting setting whenever bits grow with quality (they almost always do).
 */
export async function atBudget(codec: CodecName, img: RgbImage, budgetBits: number, opts: BudgetOptions = {}): Promise<BudgetResult> {
  assertOneOf('codec', codec, CODEC_NAMES);
  assertRgbImage('img', img);
  assertNonNegative('budgetBits', budgetBits);
  assertObject('options', opts);
  const measure = opts.measure ?? 'payload';
  assertOneOf('measure', measure, ['payload', 'total'] as const);
  if (opts.fallbackColour !== undefined) assertColour('fallbackColour', opts.fallbackColour);
  const { worst, best } = SETTING_RANGE[codec];
  const step = best > worst ? 1 : -1;
  const cache = new Map<number, EncodedImage>();
  const enc = async (rank: number): Promise<EncodedImage> => {
    let e = cache.get(rank);
    if (!e) {
      e = await encodeWith(codec, img, worst + step * rank, opts);
      cache.set(rank, e);
    }
    return e;
  };
  const fits = async (rank: number): Promise<boolean> => bitsOf(await enc(rank), measure) <= budgetBits;
  const top = Math.abs(best - worst);
  if (!(await fits(0))) {
    const colour = opts.fallbackColour ?? DEFAULT_FALLBACK_COLOUR;
    return {
      fits: false, codec, setting: null, bytes: new Uint8Array(0), bits: 0,
      decoded: solidImage(img.width, img.height, colour), minimumBits: bitsOf(await enc(0), measure),
    };
  }
  let lo = 0;
  let hi = top + 1; // invariant: fits(lo), !fits(hi) (hi = top + 1 stands for "beyond the best setting")
  if (await fits(top)) lo = top;
  else hi = top;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await fits(mid)) lo = mid;
    else hi = mid;
  }
  const encoded = await enc(lo);
  return {
    fits: true, codec, setting: encoded.setting, encoded,
    bytes: measure === 'payload' ? encoded.payload : encoded.bytes, bits: bitsOf(encoded, measure),
    decoded: await decodeEncoded(encoded),
  };
}
