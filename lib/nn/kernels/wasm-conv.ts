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
 * Scratch tensors are the backend's own (makeOutput / disposeData): fresh ids each call, so XNNPACK's operator
 * cache (keyed by the filter's tensor id, dropped when that id is disposed) never sees a reused id with new contents.
 * Checked against tfjs' cpu kernels in test/unit/nn-wasm-kernels.test.ts.
 */
import { tf } from '../tf.js';

type TensorInfo = tf.TensorInfo;
type DataId = object;

/** The parts of tfjs-backend-wasm's emscripten module used here. */
interface WasmModule {
  cwrap(name: string, returnType: null, argTypes: string[]): (...args: (number | Uint8Array)[]) => void;
  /** Replaced by emscripten whenever the wasm memory grows: read it after every call into wasm. */
  HEAPF32: Float32Array;
}

/** The parts of tfjs-backend-wasm's BackendWasm used here (its kernels use the same members). */
export interface WasmBackendLike {
  readonly wasm: WasmModule;
  readonly dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

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

interface Bindings {
  /** tfjs-backend-wasm's Conv2D export (XNNPACK convolution2d_nhwc_f32), argument order of its Conv2D kernel. */
  conv2d: (
    xId: number, batch: number, inH: number, inW: number, filterId: number, fH: number, fW: number,
    padTop: number, padRight: number, padBottom: number, padLeft: number, isSamePad: number,
    dilH: number, dilW: number, strideH: number, strideW: number, inC: number, outC: number, outId: number) => void;
  /** tfjs-backend-wasm's Transpose export: (xId, shape bytes, rank, dtype 0 = float32, outId, perm bytes, rank). */
  transpose: (
    xId: number, shape: Uint8Array, rank: number, dtype: number, outId: number, perm: Uint8Array, permRank: number,
  ) => void;
}

const bindingsOf = new WeakMap<WasmModule, Bindings>();

function bindings(backend: WasmBackendLike): Bindings {
  let b = bindingsOf.get(backend.wasm);
  if (b === undefined) {
    const w = backend.wasm;
    b = {
      conv2d: w.cwrap('Conv2D', null, new Array<string>(19).fill('number')) as Bindings['conv2d'],
      transpose: w.cwrap('Transpose', null,
        ['number', 'array', 'number', 'number', 'number', 'array', 'number']) as Bindings['transpose'],
    };
    bindingsOf.set(backend.wasm, b);
  }
  return b;
}

function idOf(backend: WasmBackendLike, dataId: DataId): number {
  const d = backend.dataIdMap.get(dataId);
  if (d === undefined) throw new RangeError('tensor data is not on the wasm backend');
  return d.id;
}

function offsetOf(backend: WasmBackendLike, dataId: DataId): number {
  return (backend.dataIdMap.get(dataId) as { memoryOffset: number }).memoryOffset / 4;
}

const bytes = (v: number[]): Uint8Array => new Uint8Array(new Int32Array(v).buffer);

/**
 * out = transpose(x, perm) through the wasm kernel, after merging axes that stay adjacent (and dropping size-1
 * axes): [N,H,W,C] → [C,H,W,N] runs as the 3-D [N,HW,C] → [C,HW,N].
 */
function wasmTranspose(backend: WasmBackendLike, x: TensorInfo, perm: number[], out: TensorInfo): void {
  const keep = x.shape.map((d) => d !== 1);
  const axes = perm.filter((a) => keep[a]);
  const groups: number[][] = [];
  for (const a of axes) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const order = groups.map((g) => g[0]).sort((a, b) => a - b);
  const shape = order.map((first) => (groups.find((g) => g[0] === first) as number[])
    .reduce((s, a) => s * x.shape[a], 1));
  const newPerm = groups.map((g) => order.indexOf(g[0]));
  if (newPerm.every((p, i) => p === i)) {
    const heap = backend.wasm.HEAPF32;
    const src = offsetOf(backend, x.dataId);
    heap.copyWithin(offsetOf(backend, out.dataId), src, src + tf.util.sizeFromShape(x.shape));
    return;
  }
  bindings(backend).transpose(
    idOf(backend, x.dataId), bytes(shape), shape.length, 0, idOf(backend, out.dataId), bytes(newPerm), newPerm.length);
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
  const z = direct ? out : backend.makeOutput([n, ax.zLen, ay.zLen, depth], 'float32');
  const wsub = backend.makeOutput([ax.m, ay.m, co, depth], 'float32');
  try {
    const heap = backend.wasm.HEAPF32;
    const wo0 = offsetOf(backend, wsub.dataId);
    const f0 = offsetOf(backend, filter.dataId);
    const wsubValues = heap.subarray(wo0, wo0 + ax.m * ay.m * co * depth);
    subPixelFilter(heap.subarray(f0, f0 + kh * kw * ci * co), filter.shape, ax.s, ay.s, wsubValues);
    bindings(backend).conv2d(
      idOf(backend, dy.dataId), n, ho, wo, idOf(backend, wsub.dataId), ax.m, ay.m,
      ax.padBefore, ay.padAfter, ax.padAfter, ay.padBefore, 0, 1, 1, 1, 1, co, depth, idOf(backend, z.dataId));
    if (!direct) {
      shufflePhases(backend.wasm.HEAPF32, offsetOf(backend, z.dataId), offsetOf(backend, out.dataId),
        [n, h, w, ci], ax, ay, info.padInfo.top, info.padInfo.left);
    }
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  } finally {
    backend.disposeData(wsub.dataId);
    if (!direct) backend.disposeData(z.dataId);
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
        if (len >= 32) heap.copyWithin(d, src, src + len);
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
  const xt = backend.makeOutput([ci, h, w, n], 'float32');
  const dyt = backend.makeOutput([ho, wo, n, co], 'float32');
  const r = backend.makeOutput([ci, rh, rw, co], 'float32');
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  try {
    wasmTranspose(backend, x, [3, 1, 2, 0], xt);
    wasmTranspose(backend, dy, [1, 2, 0, 3], dyt);
    bindings(backend).conv2d(
      idOf(backend, xt.dataId), ci, h, w, idOf(backend, dyt.dataId), ho, wo,
      top, right, bottom, left, 0, sh, sw, 1, 1, n, co, idOf(backend, r.dataId));
    const heap = backend.wasm.HEAPF32;
    const r0 = offsetOf(backend, r.dataId);
    let dst = offsetOf(backend, out.dataId);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let c = 0; c < ci; c++) {
          const src = r0 + ((c * rh + i) * rw + j) * co;
          heap.copyWithin(dst, src, src + co);
          dst += co;
        }
      }
    }
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  } finally {
    backend.disposeData(xt.dataId);
    backend.disposeData(dyt.dataId);
    backend.disposeData(r.dataId);
  }
  return out;
}
