/**
 * Direct access to the tfjs 4.22 wasm backend's compiled functions, for kernels that chain several of them in wasm
 * memory without tfjs op dispatch (lib/nn/kernels/wasm-conv.ts, wasm-matmul.ts). The members used are the ones the
 * backend's own kernels use (node_modules/@tensorflow/tfjs-backend-wasm/dist/kernels/*.js): `dataIdMap` for a
 * tensor's wasm id and heap offset, `makeOutput` / `disposeData` for buffers, and `wasm.cwrap` for the exports.
 *
 * XNNPACK operators (Conv2D, BatchMatMul) are cached in wasm keyed by the tensor id of their weights and dropped
 * when that id is disposed. Scratch buffers and views therefore always get fresh ids and are disposed after use:
 * an id is never reused with new contents.
 */
import { tf } from '../tf.js';

export type TensorInfo = tf.TensorInfo;
type DataId = object;

/** The parts of tfjs-backend-wasm's emscripten module used here. */
interface WasmModule {
  cwrap(name: string, returnType: null, argTypes: string[]): (...args: (number | boolean | Uint8Array)[]) => void;
  /** Replaced by emscripten whenever the wasm memory grows: read it again after every call into wasm. */
  HEAPF32: Float32Array;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
export interface WasmBackendLike {
  readonly wasm: WasmModule;
  readonly dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number } | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

export interface WasmFunctions {
  /** Conv2D export (XNNPACK convolution2d_nhwc_f32), argument order of tfjs' Conv2D kernel; isSamePad 0 = explicit. */
  conv2d(
    xId: number, batch: number, inH: number, inW: number, filterId: number, fH: number, fW: number,
    padTop: number, padRight: number, padBottom: number, padLeft: number, isSamePad: number,
    dilH: number, dilW: number, strideH: number, strideW: number, inC: number, outC: number, outId: number): void;
  /** Transpose export: (xId, shape, rank, dtype 0 = float32, outId, perm, rank); shape and perm as int32 bytes. */
  transpose(
    xId: number, shape: Uint8Array, rank: number, dtype: number, outId: number, perm: Uint8Array, rank2: number): void;
  /**
   * BatchMatMul export on rank-3 shapes (int32 bytes). XNNPACK fully-connected (weights b packed, cached by b's id)
   * only when neither side is transposed and both batch sizes are 1; otherwise a scalar triple loop.
   */
  batchMatMul(
    aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number,
    transposeA: boolean, transposeB: boolean, outId: number): void;
}

const functionsOf = new WeakMap<WasmModule, WasmFunctions>();

/** The cwrap'ed exports, made once per wasm module. */
export function wasmFunctions(backend: WasmBackendLike): WasmFunctions {
  let f = functionsOf.get(backend.wasm);
  if (f === undefined) {
    const w = backend.wasm;
    f = {
      conv2d: w.cwrap('Conv2D', null, new Array<string>(19).fill('number')) as WasmFunctions['conv2d'],
      transpose: w.cwrap('Transpose', null,
        ['number', 'array', 'number', 'number', 'number', 'array', 'number']) as WasmFunctions['transpose'],
      batchMatMul: w.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number',
        'number', 'number']) as WasmFunctions['batchMatMul'],
    };
    functionsOf.set(backend.wasm, f);
  }
  return f;
}

export function idOf(backend: WasmBackendLike, dataId: DataId): number {
  const d = backend.dataIdMap.get(dataId);
  if (d === undefined) throw new RangeError('tensor data is not on the wasm backend');
  return d.id;
}

/** Offset of a tensor's first float in HEAPF32. */
export function offsetOf(backend: WasmBackendLike, dataId: DataId): number {
  const d = backend.dataIdMap.get(dataId);
  if (d === undefined) throw new RangeError('tensor data is not on the wasm backend');
  return d.memoryOffset / 4;
}

export const int32Bytes = (v: readonly number[]): Uint8Array => new Uint8Array(new Int32Array(v).buffer);

/**
 * A wasm tensor id for `size` floats starting at float offset `at` of HEAPF32 inside a live buffer (no copy, no
 * allocation). Release it with disposeView before that buffer is freed.
 */
export function makeView(backend: WasmBackendLike, at: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, at * 4);
  return id;
}

/** Forgets a view id (and any XNNPACK operator cached on it); the memory stays with its owner. */
export function disposeView(backend: WasmBackendLike, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}

/**
 * out = transpose(x, perm) through the wasm kernel, after dropping size-1 axes and merging axes that stay adjacent:
 * [N,H,W,C] → [C,H,W,N] runs as the 3-D [N,HW,C] → [C,HW,N]; an identity permutation is one copy.
 */
export function transposeInto(backend: WasmBackendLike, x: TensorInfo, perm: readonly number[], out: TensorInfo): void {
  const axes = perm.filter((a) => x.shape[a] !== 1);
  const groups: number[][] = [];
  for (const a of axes) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const firsts = groups.map((g) => g[0]).sort((a, b) => a - b);
  const shape = firsts.map((first) => (groups.find((g) => g[0] === first) as number[])
    .reduce((s, a) => s * x.shape[a], 1));
  const newPerm = groups.map((g) => firsts.indexOf(g[0]));
  if (newPerm.every((p, i) => p === i)) {
    const src = offsetOf(backend, x.dataId);
    backend.wasm.HEAPF32.copyWithin(offsetOf(backend, out.dataId), src, src + tf.util.sizeFromShape(x.shape));
    return;
  }
  wasmFunctions(backend).transpose(idOf(backend, x.dataId), int32Bytes(shape), shape.length, 0,
    idOf(backend, out.dataId), int32Bytes(newPerm), newPerm.length);
}

/** Runs `body` with scratch buffers of the given shapes, freeing them afterwards (also on error). */
export function withScratch<T>(backend: WasmBackendLike, shapes: readonly number[][], body: (s: TensorInfo[]) => T): T {
  const scratch = shapes.map((shape) => backend.makeOutput([...shape], 'float32'));
  try {
    return body(scratch);
  } finally {
    for (const s of scratch) backend.disposeData(s.dataId);
  }
}
