/** Per-image metrics over an N×H×W×C batch (one flat interleaved buffer), and their mean. */
import { assertInteger } from '../core/index.js';
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
  assertInteger('n', options.n, 1);
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

/** Arithmetic mean (Infinity if any value is Infinity, e.g. a lossless PSNR); RangeError on empty input or NaN. */
export function mean(values: ArrayLike<number>): number {
  if (values === null || values === undefined || typeof values.length !== 'number' || values.length === 0) {
    throw new RangeError('values must be a non-empty numeric array');
  }
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`values[${i}] is NaN`);
    s += values[i];
  }
  return s / values.length;
}
