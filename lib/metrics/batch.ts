/** Per-image metrics over an N×H×W×C batch (one flat interleaved buffer), and their mean. */
import { assertObject, assertSize, describe, isNumericArray } from '../core/index.js';
import {
  assertFinitePixels, assertPixels, assertSameLength, resolveMaxValue, resolveShape,
  type ImageShape, type Pixels,
} from './image.js';
import { ssimOfImage, SSIM_WINDOW } from './ssim.js';

export interface BatchOptions extends ImageShape {
  /** Number of images in the batch. */
  readonly n: number;
  readonly maxValue?: number;
}

function checkBatch(a: Pixels, b: Pixels, options: BatchOptions): { n: number; size: number; width: number; height: number; channels: number; L: number } {
  assertPixels('a', a);
  assertPixels('b', b);
  assertSameLength(a, b);
  assertObject('options', options);
  assertSize('n', options.n, 1);
  const { width, height, channels } = resolveShape(options, a.length, options.n);
  const L = resolveMaxValue(options.maxValue);
  assertFinitePixels('a', a);
  assertFinitePixels('b', b);
  return { n: options.n, size: width * height * channels, width, height, channels, L };
}

/** PSNR (dB) of each image pair; Infinity where a pair is identical. */
export function psnrBatch(a: Pixels, b: Pixels, options: BatchOptions): Float64Array {
  const { n, size, L } = checkBatch(a, b, options);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * size; j < (i + 1) * size; j++) {
      const d = a[j] - b[j];
      s += d * d;
    }
    out[i] = s === 0 ? Infinity : 10 * Math.log10((L * L) / (s / size));
  }
  return out;
}

/** SSIM (Wang et al. 2004, see ssim()) of each image pair. */
export function ssimBatch(a: Pixels, b: Pixels, options: BatchOptions): Float64Array {
  const { n, width, height, channels, L } = checkBatch(a, b, options);
  if (width < SSIM_WINDOW || height < SSIM_WINDOW) {
    throw new RangeError(`images must be at least ${SSIM_WINDOW}×${SSIM_WINDOW} for the SSIM window, got ${width}×${height}`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ssimOfImage(a, b, i, width, height, channels, L);
  return out;
}

/**
 * Arithmetic mean (Infinity if any value is Infinity, e.g. a lossless PSNR). TypeError unless `values` is an array
 * or typed array of numbers; RangeError on empty input, NaN, or both +Infinity and −Infinity (no mean).
 */
export function mean(values: ArrayLike<number>): number {
  if (!isNumericArray(values)) throw new TypeError(`values must be an array of numbers, got ${describe(values)}`);
  if (values.length === 0) throw new RangeError('values must be non-empty');
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new TypeError(`values[${i}] must be a number, got ${describe(v)}`);
    if (Number.isNaN(v)) throw new RangeError(`values[${i}] is NaN`);
    s += v;
  }
  if (Number.isNaN(s)) throw new RangeError('values hold both +Infinity and -Infinity: their mean is undefined');
  return s / values.length;
}
