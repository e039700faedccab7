/**
 * GroupNorm with per-channel affine as two registered kernels of the tfjs 4.22 wasm backend, forward and backward,
 * for lib/nn/ops.ts normalizeAffine; the per-element passes are the SIMD functions of wasm-norm-simd.ts, run over the
 * heap one sample at a time. x is viewed as [n, p, c] (channels last, c a multiple of 4): n samples, p = h·w pixels,
 * `groups` groups of c/groups adjacent channels. Statistics per (sample, group) over its p·c/groups values:
 *   μ = mean(x),  σ² = mean((x − μ)²)  (two-pass, biased, as tf.moments),  s = √(σ² + ε),
 *   x̂ = (x − μ)/s,  y = x̂·γ + β.
 * Backward, dy = ∂L/∂y, means over the group's values:
 *   ∂β = Σ dy,  ∂γ = Σ dy·x̂,  ∂x = ((dx̂ − mean(dx̂)) − x̂·mean(dx̂·x̂))/s  with dx̂ = dy·γ,
 *   mean(dx̂) = Σ_ch γ·Σ dy / count and mean(dx̂·x̂) likewise from the per-channel sums of one pass.
 * The tf composition this replaces runs ~13 kernels, most of them the wasm backend's slow generic broadcasting path.
 * Per-channel sums are float32 SIMD lanes (a channel's pixels in order), combined per group in float64; the
 * per-element formulas are the composition's float32 operations in its order: values differ by float rounding only
 * (≤ 1e-6 relative in test/unit/nn-fused-norm.test.ts). Outputs always go to fresh buffers (XNNPACK caches operators
 * by tensor id; see wasm-backend.ts).
 */
import { tf } from '../tf.js';
import type { TensorInfo, WasmBackendLike } from './wasm-backend.js';
import { offsetOf } from './wasm-backend.js';
import { normSimd, type NormSimd, type WasmMemory } from './wasm-norm-simd.js';

/** Kernel names. Forward: {x, gamma, beta} → [y, mean, std]; backward: {dy, x, gamma, mean, std} → [dx, dγ, dβ]. */
export const NORM_FORWARD = 'SemcomNormAffine';
export const NORM_BACKWARD = 'SemcomNormAffineGrad';

/** Attributes of both kernels: the shape as in NormShape, and ε. */
export type NormAttrs = NormShape & { readonly eps: number };

/** Sizes of one normalisation: x viewed as [n, p, c], statistics per (sample, group). */
export interface NormShape {
  readonly n: number;
  readonly p: number;
  readonly c: number;
  readonly groups: number;
}

/** Per (sample, group) mean and √(σ² + ε) ([n·groups] float32), kept by the forward pass for the backward. */
export interface NormStats {
  readonly mean: TensorInfo;
  readonly std: TensorInfo;
}

/** The SIMD passes when they can run: wasm SIMD present and c a multiple of 4 (the caller falls back otherwise). */
export function normKernelsUsable(backend: WasmBackendLike, c: number): boolean {
  return c % 4 === 0 && normSimd((backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory) !== null;
}

function simdOf(backend: WasmBackendLike): NormSimd {
  const fns = normSimd((backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory);
  if (fns === null) throw new RangeError('wasm-norm: wasm SIMD is not available (check normKernelsUsable first)');
  return fns;
}

/** Forward: y = x̂·γ + β (fresh buffer of x's shape), and the per (sample, group) μ and s = √(σ² + ε). */
export function normForward(
  backend: WasmBackendLike, x: TensorInfo, gamma: TensorInfo, beta: TensorInfo, s: NormShape, eps: number,
): { out: TensorInfo; mean: TensorInfo; std: TensorInfo } {
  const { n, p, c, groups } = s;
  const cg = c / groups;
  const count = p * cg;
  const simd = simdOf(backend);
  const out = backend.makeOutput([...x.shape], 'float32');
  const meanT = backend.makeOutput([n * groups], 'float32');
  const stdT = backend.makeOutput([n * groups], 'float32');
  const scratch = backend.makeOutput([3 * c], 'float32'); // acc, μ per channel, s per channel
  try {
    const heap = backend.wasm.HEAPF32; // after the allocations: the heap may have grown
    const sc = offsetOf(backend, scratch.dataId);
    const acc = heap.subarray(sc, sc + c);
    const meanC = heap.subarray(sc + c, sc + 2 * c);
    const stdC = heap.subarray(sc + 2 * c, sc + 3 * c);
    const mo = offsetOf(backend, meanT.dataId);
    const so = offsetOf(backend, stdT.dataId);
    const xo = offsetOf(backend, x.dataId);
    const oo = offsetOf(backend, out.dataId);
    const go = offsetOf(backend, gamma.dataId);
    const bo = offsetOf(backend, beta.dataId);
    const bytes = p * c * 4;
    for (let b = 0; b < n; b++) {
      const xb = (xo + b * p * c) * 4;
      acc.fill(0);
      simd.colsum(xb, sc * 4, bytes, c * 4);
      for (let g = 0; g < groups; g++) {
        let sum = 0;
        for (let j = g * cg; j < (g + 1) * cg; j++) sum += acc[j];
        heap[mo + b * groups + g] = sum / count;
        meanC.fill(heap[mo + b * groups + g], g * cg, (g + 1) * cg);
      }
      acc.fill(0);
      simd.colsqdev(xb, (sc + c) * 4, sc * 4, bytes, c * 4);
      for (let g = 0; g < groups; g++) {
        let sum = 0;
        for (let j = g * cg; j < (g + 1) * cg; j++) sum += acc[j];
        heap[so + b * groups + g] = Math.sqrt(Math.fround(Math.fround(sum / count) + eps));
        stdC.fill(heap[so + b * groups + g], g * cg, (g + 1) * cg);
      }
      simd.affine(xb, (sc + c) * 4, (sc + 2 * c) * 4, go * 4, bo * 4, (oo + b * p * c) * 4, bytes, c * 4);
    }
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return { out, mean: meanT, std: stdT };
}

/** Backward of y = x̂·γ + β: ∂x (fresh buffer of x's shape), ∂γ, ∂β (fresh [c]); dy is ∂L/∂y. */
export function normBackward(
  backend: WasmBackendLike, dy: TensorInfo, x: TensorInfo, gamma: TensorInfo, s: NormShape, stats: NormStats,
): { dx: TensorInfo; dGamma: TensorInfo; dBeta: TensorInfo } {
  const { n, p, c, groups } = s;
  const cg = c / groups;
  const count = p * cg;
  const simd = simdOf(backend);
  const dx = backend.makeOutput([...x.shape], 'float32');
  const dGamma = backend.makeOutput([c], 'float32');
  const dBeta = backend.makeOutput([c], 'float32');
  const scratch = backend.makeOutput([6 * c], 'float32'); // μ, s, Σdy, Σdy·x̂, m1, m2 per channel (one sample)
  try {
    const heap = backend.wasm.HEAPF32;
    const sc = offsetOf(backend, scratch.dataId);
    const view = (k: number): Float32Array => heap.subarray(sc + k * c, sc + (k + 1) * c);
    const [meanC, stdC, sDy, sDyXn, m1C, m2C] = [0, 1, 2, 3, 4, 5].map(view);
    const at = (k: number): number => (sc + k * c) * 4;
    const xo = offsetOf(backend, x.dataId);
    const dyo = offsetOf(backend, dy.dataId);
    const dxo = offsetOf(backend, dx.dataId);
    const go = offsetOf(backend, gamma.dataId);
    const mo = offsetOf(backend, stats.mean.dataId);
    const so = offsetOf(backend, stats.std.dataId);
    const gam = heap.subarray(go, go + c);
    const totDy = new Float64Array(c);
    const totDyXn = new Float64Array(c);
    const bytes = p * c * 4;
    for (let b = 0; b < n; b++) {
      for (let g = 0; g < groups; g++) {
        meanC.fill(heap[mo + b * groups + g], g * cg, (g + 1) * cg);
        stdC.fill(heap[so + b * groups + g], g * cg, (g + 1) * cg);
      }
      sDy.fill(0);
      sDyXn.fill(0);
      const e = b * p * c;
      simd.bwdsums((xo + e) * 4, (dyo + e) * 4, at(0), at(1), at(2), at(3), bytes, c * 4);
      for (let g = 0; g < groups; g++) {
        let s1 = 0;
        let s2 = 0;
        for (let j = g * cg; j < (g + 1) * cg; j++) {
          s1 += gam[j] * sDy[j];
          s2 += gam[j] * sDyXn[j];
        }
        m1C.fill(s1 / count, g * cg, (g + 1) * cg);
        m2C.fill(s2 / count, g * cg, (g + 1) * cg);
      }
      for (let j = 0; j < c; j++) {
        totDy[j] += sDy[j];
        totDyXn[j] += sDyXn[j];
      }
      simd.bwddx((xo + e) * 4, (dyo + e) * 4, at(0), at(1), go * 4, at(4), at(5), (dxo + e) * 4, bytes, c * 4);
    }
    heap.set(totDyXn, offsetOf(backend, dGamma.dataId));
    heap.set(totDy, offsetOf(backend, dBeta.dataId));
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return { dx, dGamma, dBeta };
}

interface KernelArgs { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }

function attrsOf(args: KernelArgs): NormAttrs {
  return args.attrs as unknown as NormAttrs;
}

/** Registers both kernels for the wasm backend (once; later calls do nothing). */
export function registerWasmNormKernels(): void {
  if (tf.getKernel(NORM_FORWARD, 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: NORM_FORWARD, backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => {
      const a = attrsOf(args);
      const { x, gamma, beta } = args.inputs as Record<string, TensorInfo>;
      const r = normForward(args.backend as WasmBackendLike, x, gamma, beta, a, a.eps);
      return [r.out, r.mean, r.std];
    }) as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: NORM_BACKWARD, backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => {
      const a = attrsOf(args);
      const { dy, x, gamma, mean, std } = args.inputs as Record<string, TensorInfo>;
      const r = normBackward(args.backend as WasmBackendLike, dy, x, gamma, a, { mean, std });
      return [r.dx, r.dGamma, r.dBeta];
    }) as unknown as tf.KernelFunc,
  });
}
