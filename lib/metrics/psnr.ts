/** Mean squared error and PSNR (VSCC eqs. (13)–(14)): PSNR = 10·log10(L² / MSE). */
import { assertObject } from '../core/index.js';
import { assertFinitePixels, assertPixels, assertSameLength, resolveMaxValue, type Pixels } from './image.js';

export interface PsnrOptions {
  /** Peak signal value L: 1 for images in [0,1] (default), 255 for 8-bit. */
  readonly maxValue?: number;
}

export function mse(a: Pixels, b: Pixels): number {
  assertPixels('a', a);
  assertPixels('b', b);
  assertSameLength(a, b);
  assertFinitePixels('a', a);
  assertFinitePixels('b', b);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s / a.length;
}

/** PSNR in dB; Infinity when the images are identical. */
export function psnr(a: Pixels, b: Pixels, options: PsnrOptions = {}): number {
  assertObject('options', options);
  const L = resolveMaxValue(options.maxValue);
  const m = mse(a, b);
  if (m === 0) return Infinity;
  return 10 * Math.log10((L * L) / m);
}
