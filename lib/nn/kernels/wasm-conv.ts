/**
 * The two convolution-gradient kernels of the tfjs 4.22 wasm backend, written against the backend's own compiled
 * functions (XNNPACK convolution, C++ transpose) so that each kernel is one JS call with no tfjs op dispatch and no
 * intermediate engine tensors. NHWC, dilation 1 (the only case tfjs differentiates), float32.
 *
 * Conv2DBackpropInput — dx of y = conv2d(x, W, s, pad), also the forward pass of conv2dTranspose. Per axis, with
 * y' = y + padTop = q·s + r (0 ≤ r < s) and W zero-padded to M·s taps, M = ⌈k/s⌉:
 *     dx[y] = Σ_{m<M} dy[q − m] · W[r + m·s]
 * i.e. for each of the s_h·s_w phases r a correlation of dy with that phase's reversed sub-filter ("sub-pixel" form:
 * Shi et al. 2016, arXiv:1609.05158; no zero-inserted input, s² fewer products than the naive transpose). All phases
 * are the output channels of ONE stride-1 XNNPACK convolution of dy with explicit zero padding, filter
 * Wsub[j_h, j_w, o, (r_h, r_w, c)] = W[r_h + (M_h−1−j_h)·s_h, r_w + (M_w−1−j_w)·s_w, c, o], built in JS (it is
 * filter-sized). Stride 1 writes the convolution straight into dx; stride > 1 interleaves the phases (a
 * depth-to-space shuffle with the padTop crop) in one JS pass.
 *
 * Conv2DBackpropFilter — dW[i,j,c,o] = Σ_{n,p,q} xpad[n, p·s_h+i, q·s_w+j, c] · dy[n,p,q,o]. With the roles of
 * batch and channels swapped this is ONE stride-1 convolution dilated by the forward stride: input
 * xᵀ [C_in, H, W, N] (wasm transpose; the forward padding is the convolution's own explicit padding), filter
 * dyᵀ [H_o, W_o, N, C_out] (wasm transpose), output [C_in, ≥k_h, ≥k_w, C_out], reordered to [k_h, k_w, C_in, C_out]
 * in JS (filter-sized).
 *
 * Scratch buffers come from lib/nn/kernels/wasm-backend.ts (fresh ids each call: see there for XNNPACK's cache).
 * Checked against tfjs' cpu kernels in test/unit/nn-wasm-kernels.test.ts.
 */
import { tf } from '../tf.js';
import {
  type TensorInfo, type WasmBackendLike, wasmFunctions, idOf, offsetOf, transposeInto, withScratch,
} from './wasm-backend.js';

type ConvPad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

export interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

export interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function checkFormat(kernel: string, dataFormat: string | undefined, dtypes: string[]): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new RangeError(`${kernel}: dataFormat must be NHWC, got ${dataFormat}`);
  }
  if (dtypes.some((d) => d !== 'float32')) {
    throw new TypeError(`${kernel}: inputs must be float32, got ${dtypes.join(', ')}`);
  }
}

/** Per-axis geometry of the sub-pixel form (see the file header). */
interface SubPixelAxis {
  /** Stride s, taps per phase M = ⌈k/s⌉, first phase row q0 = ⌊pad/s⌋. */
  s: number; m: number; q0: number;
  /** Explicit zero padding of dy before / after, and the convolution's output length. */
  padBefore: number; padAfter: number; zLen: number;
}

function subPixelAxis(k: number, s: number, pad: number, len: number, dyLen: number): SubPixelAxis {
  const m = Math.ceil(k / s);
  const q0 = Math.floor(pad / s);
  const qEnd = Math.ceil((len + pad) / s);
  const padBefore = m - 1 - q0;
  const padAfter = Math.max(qEnd - dyLen, 0);
  return { s, m, q0, padBefore, padAfter, zLen: padBefore + dyLen + padAfter - m + 1 };
}

/** Wsub[j_h, j_w, o, (r_h, r_w, c)] = W[r_h + (M_h−1−j_h)·s_h, r_w + (M_w−1−j_w)·s_w, c, o] (0 outside W). */
export function subPixelFilter(
  w: Float32Array, shape: readonly number[], sh: number, sw: number, out: Float32Array,
): void {
  const [kh, kw, ci, co] = shape;
  const mh = Math.ceil(kh / sh), mw = Math.ceil(kw / sw);
  const depth = sh * sw * ci;
  if (out.length !== mh * mw * co * depth) {
    throw new RangeError(`out must hold ${mh * mw * co * depth} values, got ${out.length}`);
  }
  out.fill(0);
  for (let jh = 0; jh < mh; jh++) {
    for (let rh = 0; rh < sh; rh++) {
      const i = rh + (mh - 1 - jh) * sh;
      if (i >= kh) continue;
      for (let jw = 0; jw < mw; jw++) {
        for (let rw = 0; rw < sw; rw++) {
          const j = rw + (mw - 1 - jw) * sw;
          if (j >= kw) continue;
          const src = (i * kw + j) * ci * co;
          const dstBase = (jh * mw + jw) * co * depth + (rh * sw + rw) * ci;
          for (let c = 0; c < ci; c++) {
            for (let o = 0; o < co; o++) out[dstBase + o * depth + c] = w[src + c * co + o];
          }
        }
      }
    }
  }
}

interface KernelArgs<A> { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap & A }

/** Conv2DBackpropInput for the wasm backend: inputs {dy, filter}, attrs as tfjs' (see the file header). */
export function conv2dBackpropInputWasm(args: KernelArgs<Conv2DBackpropInputAttrs>): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const dy = args.inputs.dy as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const attrs = args.attrs as Conv2DBackpropInputAttrs;
  checkFormat('Conv2DBackpropInput', attrs.dataFormat, [dy.dtype, filter.dtype]);
  const [kh, kw, ci, co] = filter.shape;
  const [n, h, w] = attrs.inputShape;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, 'channelsLast');
  const [ho, wo] = [dy.shape[1], dy.shape[2]];
  const ax = subPixelAxis(kh, info.strideHeight, info.padInfo.top, h, ho);
  const ay = subPixelAxis(kw, info.strideWidth, info.padInfo.left, w, wo);
  const depth = ax.s * ay.s * ci;
  const out = backend.makeOutput([n, h, w, ci], 'float32');
  const direct = depth === ci && ax.zLen === h && ay.zLen === w; // stride 1: the convolution IS dx
  const shapes = direct ? [[ax.m, ay.m, co, depth]] : [[ax.m, ay.m, co, depth], [n, ax.zLen, ay.zLen, depth]];
  try {
    withScratch(backend, shapes, ([wsub, zScratch]) => {
      const z = direct ? out : zScratch;
      const heap = backend.wasm.HEAPF32;
      const f0 = offsetOf(backend, filter.dataId);
      const w0 = offsetOf(backend, wsub.dataId);
      subPixelFilter(heap.subarray(f0, f0 + kh * kw * ci * co), filter.shape, ax.s, ay.s,
        heap.subarray(w0, w0 + ax.m * ay.m * co * depth));
      wasmFunctions(backend).conv2d(
        idOf(backend, dy.dataId), n, ho, wo, idOf(backend, wsub.dataId), ax.m, ay.m,
        ax.padBefore, ay.padAfter, ax.padAfter, ay.padBefore, 0, 1, 1, 1, 1, co, depth, idOf(backend, z.dataId));
      if (!direct) {
        shufflePhases(backend.wasm.HEAPF32, offsetOf(backend, z.dataId), offsetOf(backend, out.dataId),
          [n, h, w, ci], ax, ay, info.padInfo.top, info.padInfo.left);
      }
    });
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  }
  return out;
}

/** dx[b, y, x, c] = z[b, q_y − q0_y, q_x − q0_x, (r_y·s_x + r_x)·ci + c] with y + top = q_y·s_y + r_y (same for x). */
function shufflePhases(
  heap: Float32Array, z0: number, out0: number, [n, h, w, ci]: number[],
  ax: SubPixelAxis, ay: SubPixelAxis, top: number, left: number,
): void {
  const depth = ax.s * ay.s * ci;
  const zRow = ay.zLen * depth;
  const zImg = ax.zLen * zRow;
  // One output row = runs of consecutive columns whose sources are contiguous in z (≤ s_w·ci values each);
  // the same for every row, so computed once: runs[2k] = source offset within the z row, runs[2k+1] = length.
  const runs: number[] = [];
  for (let x = 0; x < w; x++) {
    const t = x + left;
    const q = Math.floor(t / ay.s);
    const src = (q - ay.q0) * depth + (t - q * ay.s) * ci;
    const last = runs.length - 2;
    if (last >= 0 && runs[last] + runs[last + 1] === src) runs[last + 1] += ci;
    else runs.push(src, ci);
  }
  const nRuns = runs.length / 2;
  const rowLen = w * ci;
  let dst = out0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++, dst += rowLen) {
      const t = y + top;
      const q = Math.floor(t / ax.s);
      const rowBase = z0 + b * zImg + (q - ax.q0) * zRow + (t - q * ax.s) * ay.s * ci;
      let d = dst;
      for (let k = 0; k < nRuns; k++) {
        const src = rowBase + runs[2 * k];
        const len = runs[2 * k + 1];
        if (len >= 8) heap.copyWithin(d, src, src + len);
        else for (let c = 0; c < len; c++) heap[d + c] = heap[src + c];
        d += len;
      }
    }
  }
}

/** Conv2DBackpropFilter for the wasm backend: inputs {x, dy}, attrs as tfjs' (see the file header). */
export function conv2dBackpropFilterWasm(args: KernelArgs<Conv2DBackpropFilterAttrs>): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const x = args.inputs.x as TensorInfo;
  const dy = args.inputs.dy as TensorInfo;
  const attrs = args.attrs as Conv2DBackpropFilterAttrs;
  checkFormat('Conv2DBackpropFilter', attrs.dataFormat, [x.dtype, dy.dtype]);
  const [kh, kw, ci, co] = attrs.filterShape;
  const [n, h, w] = x.shape;
  const [ho, wo] = [dy.shape[1], dy.shape[2]];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, 'channelsLast');
  const { top, left } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  // Zero rows/columns the last tap reads beyond x (the forward padding, without rows no tap reaches).
  const bottom = Math.max(kh + (ho - 1) * sh - (h + top), 0);
  const right = Math.max(kw + (wo - 1) * sw - (w + left), 0);
  const rh = top + h + bottom - (ho - 1) * sh;
  const rw = left + w + right - (wo - 1) * sw;
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  try {
    withScratch(backend, [[ci, h, w, n], [ho, wo, n, co], [ci, rh, rw, co]], ([xt, dyt, r]) => {
      transposeInto(backend, x, [3, 1, 2, 0], xt);
      transposeInto(backend, dy, [1, 2, 0, 3], dyt);
      wasmFunctions(backend).conv2d(
        idOf(backend, xt.dataId), ci, h, w, idOf(backend, dyt.dataId), ho, wo,
        top, right, bottom, left, 0, sh, sw, 1, 1, n, co, idOf(backend, r.dataId));
      // r[c, i, j, o] → dW[i, j, c, o] (filter-sized).
      const heap = backend.wasm.HEAPF32;
      const r0 = offsetOf(backend, r.dataId);
      let dst = offsetOf(backend, out.dataId);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          for (let c = 0; c < ci; c++, dst += co) {
            const src = r0 + ((c * rh + i) * rw + j) * co;
            heap.copyWithin(dst, src, src + co);
          }
        }
      }
    });
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  }
  return out;
}
