/**
 * Multi-scale SSIM, after Z. Wang, E. P. Simoncelli and A. C. Bovik, "Multiscale structural similarity for image
 * quality assessment", Proc. 37th Asilomar Conf. on Signals, Systems and Computers, 2003, pp. 1398–1402, eq. (7),
 * and the authors' reference code msssim.m:
 *
 *   MS-SSIM(x, y) = [l_M(x, y)]^{β_M} · Π_{j=1..M} [cs_j(x, y)]^{β_j},
 *
 * with scale 1 the full image and scale j+1 the 2×2 block average of scale j (msssim.m: filter ones(2)/4, keep every
 * second sample; an odd last row or column is dropped), the contrast–structure term cs_j = (2σ_xy + C2)/(σ_x² + σ_y²
 * + C2) at every scale, the luminance term l = (2μ_xμ_y + C1)/(μ_x² + μ_y² + C1) at the coarsest scale M only, and
 * the paper's weights β = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333] (finest first). Local statistics are those of
 * ssim.ts (11×11 Gaussian window, σ = 1.5, K1 = 0.01, K2 = 0.03, C = (K·L)², data range L = 1 by default, "valid"
 * window positions only). As in msssim.m, TensorFlow's ssim_multiscale and pytorch_msssim, each term is the mean of
 * its map over the valid positions, and the coarsest scale's l·cs product is taken position by position before
 * averaging (the mean SSIM map at scale M), not as mean(l)·mean(cs); both means are reported separately.
 *
 * Colour: MS-SSIM of each channel plane (R, G, B separately, no colour transform), then the mean over channels.
 *
 * Image size: with 'valid' filtering the coarsest scale must still hold the 11×11 window, so M = 5 needs
 * min(width, height) ≥ 11·2⁴ = 176 px. Smaller images take `scales` < 5: the first `scales` weights are used,
 * renormalised to sum to 1 (as common implementations do for small images). The codebook experiments' 32×32 patches
 * allow 2 scales, 64×64 patches 3 (maxMsSsimScales).
 *
 * A negative cs or SSIM term (anti-correlated images) is clamped to 0 before the fractional power, as TensorFlow's
 * ssim_multiscale does, instead of producing NaN.
 */
import { assertInteger, assertSize } from '../core/index.js';
import {
  assertFinitePixels, assertPixels, assertSameLength, resolveMaxValue, resolveShape, type Pixels,
} from './image.js';
import { SSIM_WINDOW, extractPlane, ssimPlane, type SsimOptions } from './ssim.js';

/** MS-SSIM weights β_j of Wang, Simoncelli & Bovik (2003), finest scale first. */
export const MS_SSIM_WEIGHTS: readonly number[] = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

export interface MsSsimOptions extends SsimOptions {
  /**
   * Number of scales (1..5, default 5). The coarsest scale must still hold an 11×11 window, so 5 scales need
   * min(width, height) ≥ 176; a 32×32 image allows 2, 64×64 allows 3. With fewer than 5 scales the first
   * `scales` weights are used, renormalised to sum to 1 (as in common implementations for small images).
   */
  readonly scales?: number;
}

/** One scale's statistics, each the mean over channels of the per-channel mean over valid window positions. */
export interface MsSsimScale {
  /** 1 = full resolution. */
  readonly scale: number;
  readonly width: number;
  readonly height: number;
  /** The (renormalised) exponent β_j of this scale. */
  readonly weight: number;
  /** Contrast–structure term cs_j. */
  readonly cs: number;
  /** Luminance term l_j (enters the value at the coarsest scale only; reported at every scale for inspection). */
  readonly luminance: number;
  /** Mean SSIM map l·cs (what the coarsest scale contributes). */
  readonly ssim: number;
}

export interface MsSsimResult {
  /** MS-SSIM in [0, 1]: the mean over channels of Π_{j<M} cs_j^{β_j} · ssim_M^{β_M}; 1 for identical images. */
  readonly value: number;
  /** Number of scales M. */
  readonly scales: number;
  /** The weights used (renormalised when M < 5). */
  readonly weights: readonly number[];
  /** Per scale, finest first. */
  readonly perScale: readonly MsSsimScale[];
  /** MS-SSIM of each channel plane. */
  readonly perChannel: readonly number[];
}

/** Largest number of scales (≤ 5) whose coarsest level still fits the 11×11 window. */
export function maxMsSsimScales(width: number, height: number): number {
  assertSize('width', width, 1);
  assertSize('height', height, 1);
  let s = 0;
  let w = width, h = height;
  while (s < MS_SSIM_WEIGHTS.length && w >= SSIM_WINDOW && h >= SSIM_WINDOW) {
    s++;
    w = Math.floor(w / 2);
    h = Math.floor(h / 2);
  }
  return s;
}

/** 2×2 block average (msssim.m's ones(2)/4 filter then [1:2:end] subsampling); an odd last row/column is dropped. */
function downsample2x2(x: Float64Array, width: number, height: number): Float64Array {
  const w2 = Math.floor(width / 2);
  const h2 = Math.floor(height / 2);
  const out = new Float64Array(w2 * h2);
  for (let r = 0; r < h2; r++) {
    const r0 = 2 * r * width;
    const r1 = r0 + width;
    for (let c = 0; c < w2; c++) {
      const c0 = 2 * c;
      out[r * w2 + c] = 0.25 * (x[r0 + c0] + x[r0 + c0 + 1] + x[r1 + c0] + x[r1 + c0 + 1]);
    }
  }
  return out;
}

/** MS-SSIM of two HWC images with every scale's cs, luminance and SSIM (see the file header for the definition). */
export function msSsimDetailed(a: Pixels, b: Pixels, options: MsSsimOptions): MsSsimResult {
  assertPixels('a', a);
  assertPixels('b', b);
  assertSameLength(a, b);
  const { width, height, channels } = resolveShape(options, a.length);
  const L = resolveMaxValue(options.maxValue);
  const scales = options.scales ?? MS_SSIM_WEIGHTS.length;
  assertInteger('scales', scales, 1, MS_SSIM_WEIGHTS.length);
  const fit = maxMsSsimScales(width, height);
  if (scales > fit) {
    throw new RangeError(`a ${width}×${height} image supports at most ${fit} MS-SSIM scale(s) (the coarsest level must `
      + `be ≥ ${SSIM_WINDOW}×${SSIM_WINDOW}; 5 scales need min(width, height) ≥ 176), got scales = ${scales}`);
  }
  assertFinitePixels('a', a);
  assertFinitePixels('b', b);
  const raw = MS_SSIM_WEIGHTS.slice(0, scales);
  const wsum = raw.reduce((s, v) => s + v, 0);
  const weights = raw.map((v) => v / wsum);
  const sums = Array.from({ length: scales }, () => ({ cs: 0, l: 0, ssim: 0 }));
  const perChannel: number[] = [];
  for (let c = 0; c < channels; c++) {
    let x = extractPlane(a, 0, width, height, channels, c);
    let y = extractPlane(b, 0, width, height, channels, c);
    let w = width, h = height;
    let value = 1;
    for (let s = 0; s < scales; s++) {
      const st = ssimPlane(x, y, w, h, L);
      sums[s].cs += st.cs;
      sums[s].l += st.l;
      sums[s].ssim += st.ssim;
      value *= Math.max(s === scales - 1 ? st.ssim : st.cs, 0) ** weights[s];
      if (s < scales - 1) {
        x = downsample2x2(x, w, h);
        y = downsample2x2(y, w, h);
        w = Math.floor(w / 2);
        h = Math.floor(h / 2);
      }
    }
    perChannel.push(value);
  }
  const perScale = sums.map((t, s) => ({
    scale: s + 1, width: Math.floor(width / 2 ** s), height: Math.floor(height / 2 ** s), weight: weights[s],
    cs: t.cs / channels, luminance: t.l / channels, ssim: t.ssim / channels,
  }));
  return { value: perChannel.reduce((s, v) => s + v, 0) / channels, scales, weights, perScale, perChannel };
}

/** MS-SSIM of two HWC images, averaged over channels (msSsimDetailed's value). 1 for identical images. */
export function msSsim(a: Pixels, b: Pixels, options: MsSsimOptions): number {
  return msSsimDetailed(a, b, options).value;
}
