/**
 * The wasm backend's Sum, with one case replaced: Σ over every axis but the last of a channels-last float32 tensor
 * with c % 4 == 0 (the bias gradient of a convolution or dense layer, [..., c] → [c]) runs the SIMD column-sum pass
 * of wasm-norm-simd.ts over the heap, 6–13× faster than tfjs' wasm Sum at VSCC's conv shapes. That Sum transposes to
 * [c, rows] first, then sums each row; here each SIMD lane sums its channel's rows in the same (row) order in
 * float32: the same additions (bit-identical in test/unit/nn-wasm-channel-sum.test.ts). Other calls go to tfjs' Sum.
 * Source: tfjs-backend-wasm 4.22 kernels/Sum.js (transpose of the reduced axes to the inside, then a row sum).
 */
import { tf } from '../tf.js';
import type { TensorInfo, WasmBackendLike } from './wasm-backend.js';
import { offsetOf } from './wasm-backend.js';
import { normSimd, type WasmMemory } from './wasm-norm-simd.js';

function memoryOf(backend: WasmBackendLike): WasmMemory | undefined {
  return (backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory;
}

interface SumArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap & { axis?: number | number[]; keepDims?: boolean };
}

/** The column sum into a fresh [c] buffer, or null when this call is not a reduction over all leading axes. */
function channelSum(args: SumArgs): TensorInfo | null {
  const backend = args.backend as WasmBackendLike;
  const x = (args.inputs as Record<string, TensorInfo>).x;
  const rank = x.shape.length;
  if (x.dtype !== 'float32' || rank < 2) return null;
  const c = x.shape[rank - 1];
  const axis = args.attrs?.axis;
  const axes = tf.util.parseAxisParam(axis === undefined ? [] : axis, x.shape).sort((p, q) => p - q);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i) || c === 0 || c % 4 !== 0) return null;
  const simd = normSimd(memoryOf(backend));
  if (simd === null) return null;
  const rows = tf.util.sizeFromShape(x.shape) / c;
  const out = backend.makeOutput(args.attrs?.keepDims === true ? [...new Array<number>(rank - 1).fill(1), c] : [c],
    'float32');
  const o = offsetOf(backend, out.dataId);
  backend.wasm.HEAPF32.fill(0, o, o + c);
  if (rows > 0) simd.colsum(offsetOf(backend, x.dataId) * 4, o * 4, rows * c * 4, c * 4);
  return out;
}

let original: tf.KernelFunc | null = null;

function sum(args: SumArgs): TensorInfo | TensorInfo[] {
  return channelSum(args) ?? (original as tf.KernelFunc)(args as unknown as Parameters<tf.KernelFunc>[0]);
}

/** Replaces the wasm backend's Sum kernel by `sum` (idempotent; after the backend's import registered its own). */
export function registerWasmChannelSum(): void {
  const current = tf.getKernel('Sum', 'wasm');
  if (current === undefined || current.kernelFunc === (sum as unknown as tf.KernelFunc)) return;
  original = current.kernelFunc;
  tf.unregisterKernel('Sum', 'wasm');
  tf.registerKernel({ ...current, kernelFunc: sum as unknown as tf.KernelFunc });
}
