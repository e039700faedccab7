/**
 * Kernels the tfjs wasm backend (4.22) lacks or runs slowly, registered for 'wasm' only:
 *  - Conv2DBackpropFilter (missing) and Conv2DBackpropInput (replaced: wasm's own is a plain loop): one XNNPACK
 *    convolution each, called directly in wasm memory (lib/nn/kernels/wasm-conv.ts).
 *  - BatchMatMul (replaced): XNNPACK's GEMM for transposed and batched products too (lib/nn/kernels/wasm-matmul.ts).
 *  - UnsortedSegmentSum: the gradient of gather (embeddings, codebooks). A plain scatter-add in JS: exact,
 *    O(rows·width), and no one-hot matrix.
 * conv2dBackpropFilterOps / conv2dBackpropInputOps are the same two gradients composed from tf ops on any backend
 * (the kernels' first form, kept as a portable second method). All are checked against the cpu backend's kernels
 * in test/unit/nn-wasm-kernels.test.ts.
 */
import { MAX_ELEMENTS, assertInteger, assertObject, assertOneOf, assertSize, describe,
  isNumericArray } from '../core/index.js';
import { tf } from './tf.js';
import { conv2dBackpropFilterWasm, conv2dBackpropInputWasm } from './kernels/wasm-conv.js';
import { batchMatMulWasm } from './kernels/wasm-matmul.js';
import { assertTensor } from './check.js';

type TensorInfo = tf.TensorInfo;
interface OutputBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(
    shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array | Int32Array): TensorInfo;
}
interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}
interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * dW[i,j,c,o] = Σ_{n,p,q} xpad[n, p·sh+i, q·sw+j, c] · dy[n,p,q,o], NHWC, no dilation (as tfjs' own kernel).
 * Computed as ONE stride-1 convolution with the roles swapped: input xpadᵀ [Ci, Hp, Wp, N] (batch as channels),
 * filter dyᵀ [Ho, Wo, N, Co], dilation = the forward stride; output [Ci, ≥kh, ≥kw, Co] → first kh×kw taps.
 * (Strided slices are ~50× slower than this on tfjs wasm, so the im2col-by-slices route loses.)
 */
/** Strides (a number or [h, w]) and padding of a convolution's attributes, checked. */
function checkConvAttrs(attrs: unknown, shapeKey: 'filterShape' | 'inputShape'): void {
  assertObject('attrs', attrs);
  const a = attrs as { strides: unknown; pad: unknown } & Record<string, unknown>;
  const strides = Array.isArray(a.strides) ? a.strides : [a.strides, a.strides];
  if (strides.length !== 2) {
    throw new RangeError(`attrs.strides must be a number or [h, w], got ${describe(a.strides)}`);
  }
  strides.forEach((s, i) => assertInteger(`attrs.strides[${i}]`, s, 1, 64));
  if (typeof a.pad === 'number') assertInteger('attrs.pad', a.pad, 0, 1024);
  else if (typeof a.pad === 'string') assertOneOf('attrs.pad', a.pad, ['valid', 'same']);
  else if (!Array.isArray(a.pad)) {
    throw new TypeError(`attrs.pad must be 'valid', 'same', a number or explicit padding, got ${describe(a.pad)}`);
  }
  const shape = a[shapeKey];
  if (!Array.isArray(shape) || shape.length !== 4) {
    throw new TypeError(`attrs.${shapeKey} must be 4 sizes, got ${describe(shape)}`);
  }
  shape.forEach((d, i) => assertSize(`attrs.${shapeKey}[${i}]`, d, 1));
}

export function conv2dBackpropFilterOps(
  x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  assertTensor('x', x, 4);
  assertTensor('dy', dy, 4);
  checkConvAttrs(attrs, 'filterShape');
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new RangeError(`Conv2DBackpropFilter: dataFormat must be NHWC, got ${attrs.dataFormat}`);
  }
  const [kh, kw, ci, co] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { top, bottom, left, right } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  return tf.tidy(() => {
    const xp = top || bottom || left || right
      ? tf.pad(x, [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]])
      : x;
    const xt = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const r = tf.conv2d(xt, dyt, 1, 'valid', 'NHWC', [sh, sw]);
    return tf.transpose(tf.slice(r, [0, 0, 0, 0], [ci, kh, kw, co]), [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/** Pads (positive) or crops (negative) axes 1 and 2 of an NHWC tensor. */
function padOrCrop(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  const padded = tf.pad(x,
    [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)], [0, 0]]);
  const [n, h, w, c] = padded.shape;
  const t = Math.max(-top, 0), b = Math.max(-bottom, 0), l = Math.max(-left, 0), r = Math.max(-right, 0);
  return t || b || l || r ? tf.slice(padded, [0, t, l, 0], [n, h - t - b, w - l - r, c]) : padded;
}

/**
 * dx of a forward conv2d (= conv2dTranspose's forward) as ONE stride-1 conv2d plus a depth-to-space shuffle
 * ("sub-pixel" form): with y' = y + padTop = q·s + r, dx[y] = Σ_m dy[q − m]·W[r + m·s], i.e. for each of the s×s
 * output phases r a correlation of dy with that phase's reversed sub-filter (M = ⌈k/s⌉ taps, zero-padded). All
 * phases go into the output channels of one conv: no zero-inserted input, s² fewer FLOPs than the naive form,
 * and tfjs wasm's own Conv2DBackpropInput (a plain loop) is avoided.
 */
export function conv2dBackpropInputOps(
  dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DBackpropInputAttrs,
): tf.Tensor4D {
  assertTensor('dy', dy, 4);
  assertTensor('filter', filter, 4);
  checkConvAttrs(attrs, 'inputShape');
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new RangeError(`Conv2DBackpropInput: dataFormat must be NHWC, got ${attrs.dataFormat}`);
  }
  const [kh, kw, ci, co] = filter.shape;
  const [n, h, w] = attrs.inputShape;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { top, left } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [mh, mw] = [Math.ceil(kh / sh), Math.ceil(kw / sw)];
  const [qh, qw] = [Math.ceil((h + top) / sh), Math.ceil((w + left) / sw)];
  const [ho, wo] = [dy.shape[1], dy.shape[2]];
  return tf.tidy(() => {
    // Filter [mh·sh, mw·sw, ci, co] → [m, r_h, n, r_w, ci, co] → reversed taps → [m, n, co, (r_h, r_w, ci)].
    const wp = tf.pad(filter, [[0, mh * sh - kh], [0, mw * sw - kw], [0, 0], [0, 0]]);
    const w6 = tf.reverse(tf.reshape(wp, [mh, sh, mw, sw, ci, co]), [0, 2]);
    const wsub = tf.reshape(tf.transpose(w6, [0, 2, 5, 1, 3, 4]), [mh, mw, co, sh * sw * ci]) as tf.Tensor4D;
    const src = padOrCrop(dy, mh - 1, qh - ho, mw - 1, qw - wo);
    const z = tf.conv2d(src, wsub, 1, 'valid'); // [n, qh, qw, sh·sw·ci]
    const phases = tf.transpose(tf.reshape(z, [n, qh, qw, sh, sw, ci]), [0, 1, 3, 2, 4, 5]);
    const full = tf.reshape(phases, [n, qh * sh, qw * sw, ci]);
    return tf.slice(full, [0, top, left, 0], [n, h, w, ci]) as tf.Tensor4D;
  });
}

/** out[s, ...] = Σ_{i: ids[i]=s} x[i, ...]; ids outside [0, numSegments) are dropped (TensorFlow's rule). */
export function unsortedSegmentSumJs(
  x: ArrayLike<number>, xShape: readonly number[], ids: ArrayLike<number>, numSegments: number,
  dtype: 'float32' | 'int32',
): Float32Array | Int32Array {
  if (!isNumericArray(x)) throw new TypeError(`x must be a numeric array, got ${describe(x)}`);
  if (!Array.isArray(xShape) || xShape.length === 0) {
    throw new TypeError(`xShape must be a non-empty array of sizes, got ${describe(xShape)}`);
  }
  xShape.forEach((d, i) => assertSize(`xShape[${i}]`, d));
  const size = xShape.reduce((a, b) => a * b, 1);
  if (size !== x.length) throw new RangeError(`xShape [${xShape}] does not match x.length ${x.length}`);
  if (!isNumericArray(ids)) throw new TypeError(`segmentIds must be a numeric array, got ${describe(ids)}`);
  assertSize('numSegments', numSegments);
  assertOneOf('dtype', dtype, ['float32', 'int32'] as const);
  const rows = xShape[0];
  const width = rows === 0 ? 0 : x.length / rows;
  if (ids.length !== rows) throw new RangeError(`segmentIds must have length ${rows} (x.shape[0]), got ${ids.length}`);
  if (numSegments * width > MAX_ELEMENTS) {
    throw new RangeError(`numSegments × row width = ${numSegments * width} is more than the limit of ${MAX_ELEMENTS}`);
  }
  const out = dtype === 'int32' ? new Int32Array(numSegments * width) : new Float32Array(numSegments * width);
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (!Number.isInteger(s)) throw new RangeError(`segmentIds[${r}] must be an integer, got ${s}`);
    if (s < 0 || s >= numSegments) continue;
    const src = r * width;
    const dst = s * width;
    for (let k = 0; k < width; k++) out[dst + k] += x[src + k];
  }
  return out;
}

function unsortedSegmentSumKernel(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): TensorInfo {
  const backend = args.backend as OutputBackend;
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const values = unsortedSegmentSumJs(
    backend.readSync(x.dataId), x.shape, backend.readSync(segmentIds.dataId), numSegments, dtype);
  return backend.makeOutput([numSegments, ...x.shape.slice(1)], dtype, undefined, values);
}

let registered = false;

/** Registers `func` as the wasm kernel `name`; an existing one is replaced only when `replace` is set. */
function registerWasm(name: string, func: unknown, replace: boolean): void {
  if (tf.getKernel(name, 'wasm') != null) {
    if (!replace) return;
    tf.unregisterKernel(name, 'wasm');
  }
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: func as tf.KernelFunc });
}

/**
 * Registers the kernels for 'wasm' (idempotent). Missing ones keep tfjs' own if a later version ships them; the
 * replaced ones are wasm's loop-based Conv2DBackpropInput (conv2dTranspose forward, the input gradient of conv2d) and
 * BatchMatMul (whose own leaves XNNPACK for a scalar loop on any transposed or batched product).
 */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  registerWasm('Conv2DBackpropFilter', conv2dBackpropFilterWasm, false);
  registerWasm('Conv2DBackpropInput', conv2dBackpropInputWasm, true);
  registerWasm('BatchMatMul', batchMatMulWasm, true);
  registerWasm('UnsortedSegmentSum', unsortedSegmentSumKernel, false);
  registered = true;
}
