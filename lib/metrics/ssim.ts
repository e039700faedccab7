/**
 * SSIM as in Wang, Bovik, Sheikh & Simoncelli (2004) and their reference code ssim_index.m:
 * 11×11 Gaussian window (σ = 1.5, normalised to sum 1), K1 = 0.01, K2 = 0.03, C1 = (K1·L)², C2 = (K2·L)²,
 * "valid" filtering (only window positions fully inside the image), result = mean of the SSIM map.
 * Colour images: the mean over channels of the per-channel SSIM. ssim_index.m does no automatic downsampling
 * (that was added later in ssim.m), so neither do we.
 *
 * The Gaussian is separable (fspecial's 2-D kernel is the outer product of the normalised 1-D kernel), so each
 * local statistic costs 2·11 instead of 121 multiply-adds per pixel. MS-SSIM, built on ssimPlane, is in msssim.ts.
 */
import {
  assertFinitePixels, assertPixels, assertSameLength, resolveMaxValue, resolveShape,
  type ImageShape, type Pixels,
} from './image.js';

export const SSIM_WINDOW = 11;
export const SSIM_SIGMA = 1.5;
export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;

export interface SsimOptions extends ImageShape {
  /** Dynamic range L (default 1 for [0,1] images; 255 for 8-bit). */
  readonly maxValue?: number;
}

/**
 * Means over the valid window positions of one channel plane: SSIM (l·cs), the contrast–structure term cs and the
 * luminance term l (the last two are what MS-SSIM needs).
 */
export interface SsimStats {
  readonly ssim: number;
  readonly cs: number;
  readonly l: number;
}

let cachedWindow: Float64Array | null = null;

/** The normalised 1-D Gaussian g with g⊗g = fspecial('gaussian', 11, 1.5). */
export function gaussianWindow1d(): Float64Array {
  if (cachedWindow) return cachedWindow;
  const w = new Float64Array(SSIM_WINDOW);
  const r = (SSIM_WINDOW - 1) / 2;
  let sum = 0;
  for (let k = 0; k < SSIM_WINDOW; k++) {
    w[k] = Math.exp(-((k - r) ** 2) / (2 * SSIM_SIGMA * SSIM_SIGMA));
    sum += w[k];
  }
  for (let k = 0; k < SSIM_WINDOW; k++) w[k] /= sum;
  cachedWindow = w;
  return w;
}

/** Copies channel c of image number `index` out of an interleaved (batch of) HWC buffer(s). */
export function extractPlane(src: Pixels, index: number, width: number, height: number, channels: number, c: number): Float64Array {
  const size = width * height;
  const out = new Float64Array(size);
  const base = index * size * channels + c;
  for (let i = 0; i < size; i++) out[i] = src[base + i * channels];
  return out;
}

function assertWindowFits(width: number, height: number, what: string): void {
  if (width < SSIM_WINDOW || height < SSIM_WINDOW) {
    throw new RangeError(`${what} must be at least ${SSIM_WINDOW}×${SSIM_WINDOW} for the SSIM window, got ${width}×${height}`);
  }
}

/** SSIM statistics of two single-channel planes (row-major, width×height). */
export function ssimPlane(x: Float64Array, y: Float64Array, width: number, height: number, maxValue: number): SsimStats {
  assertWindowFits(width, height, 'image');
  const w = gaussianWindow1d();
  const W = SSIM_WINDOW;
  const wv = width - W + 1;
  const hv = height - W + 1;
  // Horizontal pass: five statistics (x, y, x², y², xy) for every row, valid columns only.
  const n = height * wv;
  const hx = new Float64Array(n), hy = new Float64Array(n);
  const hxx = new Float64Array(n), hyy = new Float64Array(n), hxy = new Float64Array(n);
  for (let r = 0; r < height; r++) {
    const row = r * width;
    for (let c = 0; c < wv; c++) {
      let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
      for (let k = 0; k < W; k++) {
        const g = w[k];
        const a = x[row + c + k];
        const b = y[row + c + k];
        sx += g * a; sy += g * b;
        sxx += g * a * a; syy += g * b * b; sxy += g * a * b;
      }
      const o = r * wv + c;
      hx[o] = sx; hy[o] = sy; hxx[o] = sxx; hyy[o] = syy; hxy[o] = sxy;
    }
  }
  const C1 = (SSIM_K1 * maxValue) ** 2;
  const C2 = (SSIM_K2 * maxValue) ** 2;
  let ssimSum = 0, csSum = 0, lSum = 0;
  // Vertical pass, then the SSIM map value at each valid position.
  for (let r = 0; r < hv; r++) {
    for (let c = 0; c < wv; c++) {
      let mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
      for (let k = 0; k < W; k++) {
        const g = w[k];
        const o = (r + k) * wv + c;
        mx += g * hx[o]; my += g * hy[o];
        sxx += g * hxx[o]; syy += g * hyy[o]; sxy += g * hxy[o];
      }
      const vx = sxx - mx * mx;
      const vy = syy - my * my;
      const cov = sxy - mx * my;
      const cs = (2 * cov + C2) / (vx + vy + C2);
      const l = (2 * mx * my + C1) / (mx * mx + my * my + C1);
      ssimSum += l * cs;
      csSum += cs;
      lSum += l;
    }
  }
  const count = wv * hv;
  return { ssim: ssimSum / count, cs: csSum / count, l: lSum / count };
}

/** Mean SSIM of two HWC images, averaged over channels. 1 for identical images. */
export function ssim(a: Pixels, b: Pixels, options: SsimOptions): number {
  assertPixels('a', a);
  assertPixels('b', b);
  assertSameLength(a, b);
  const { width, height, channels } = resolveShape(options, a.length);
  const L = resolveMaxValue(options.maxValue);
  assertWindowFits(width, height, 'image');
  assertFinitePixels('a', a);
  assertFinitePixels('b', b);
  return ssimOfImage(a, b, 0, width, height, channels, L);
}

/** SSIM of image `index` inside (batched) buffers, inputs already validated. */
export function ssimOfImage(a: Pixels, b: Pixels, index: number, width: number, height: number, channels: number, L: number): number {
  let total = 0;
  for (let c = 0; c < channels; c++) {
    const x = extractPlane(a, index, width, height, channels, c);
    const y = extractPlane(b, index, width, height, channels, c);
    total += ssimPlane(x, y, width, height, L).ssim;
  }
  return total / channels;
}
