/**
 * BatchMatMul for the tfjs 4.22 wasm backend with every case on XNNPACK's GEMM.
 *
 * tfjs' own wasm kernel reaches XNNPACK (fully-connected: out[M×N] = a[M×K]·b[K×N], b packed as the weights) only
 * when neither operand is transposed and both batch sizes are 1; every other call — the two gradients of any
 * matMul (dy·bᵀ, aᵀ·dy), batched products (attention, Gram matrices) — runs a scalar triple loop: 2–13× slower
 * than this kernel on the products of the papers' models (E2EC dense gradients 9–13×, codebook distances ≈ 5×).
 * Here, after a wasm transpose of whichever operand is transposed (a [.., K, M] → [.., M, K], b [.., N, K] →
 * [.., K, N]):
 *  - one batch, or a broadcast b (batch of b = 1): ONE XNNPACK call, the batches of a stacked as rows [B·M, K];
 *  - one product with b transposed and a smaller than b (every input gradient dy·Wᵀ): the transposed problem
 *    outᵀ = b·aᵀ, so that the small operand is the one copied and packed (see directCost / swapCost);
 *  - otherwise one XNNPACK call per batch on views of the operands (no copies), except for tiny batched products
 *    (LOOP_MACS), which keep the backend's loop.
 * Broadcasting of the batch dimensions follows numpy's rule (a size-1 dimension repeats), as tfjs' matMul.
 * Checked against tfjs' cpu kernel in test/unit/nn-wasm-kernels.test.ts.
 */
import { tf } from '../tf.js';
import {
  type TensorInfo, type WasmBackendLike, wasmFunctions, idOf, offsetOf, int32Bytes, makeView, disposeView,
  transposeInto, withScratch,
} from './wasm-backend.js';

/**
 * Batched products that stay on the backend's loop: fewer multiply-adds per batch than this (XNNPACK's set-up per
 * batch, ≈ 4 µs, costs more), or than LOOP_MACS_TRANSPOSED_B when only b is transposed (the loop's inner products
 * are then contiguous, ≈ 1 ns per multiply-add). Crossovers measured on tfjs 4.22 wasm-simd, one thread.
 */
export const LOOP_MACS = 2048;
export const LOOP_MACS_TRANSPOSED_B = 8192;

interface MatMulArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
}

/** For each output batch index, the batch index of a and of b (numpy broadcasting of the outer dimensions). */
export function broadcastBatchIndices(
  outerA: readonly number[], outerB: readonly number[],
): { a: number[]; b: number[]; shape: number[] } {
  const shape = tf.broadcast_util.assertAndGetBroadcastShape([...outerA], [...outerB]);
  const rank = shape.length;
  const pa = [...new Array<number>(rank - outerA.length).fill(1), ...outerA];
  const pb = [...new Array<number>(rank - outerB.length).fill(1), ...outerB];
  const total = shape.reduce((s, d) => s * d, 1);
  const a: number[] = [];
  const b: number[] = [];
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let ia = 0, ib = 0, sa = 1, sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      ia += (pa[d] === 1 ? 0 : i) * sa;
      ib += (pb[d] === 1 ? 0 : i) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    a.push(ia);
    b.push(ib);
  }
  return { a, b, shape };
}

export function batchMatMulWasm(args: MatMulArgs): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  const tA = args.attrs?.transposeA === true;
  const tB = args.attrs?.transposeB === true;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new TypeError(`BatchMatMul on wasm needs float32 tensors, got ${a.dtype} and ${b.dtype}`);
  }
  const ra = a.shape.length, rb = b.shape.length;
  const [m, k] = tA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const [kb, n] = tB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
  if (k !== kb) {
    throw new RangeError(`matMul: inner dimensions ${k} and ${kb} of shapes [${a.shape}] and [${b.shape}] ` +
      `(transposeA=${tA}, transposeB=${tB}) must match`);
  }
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const { a: ia, b: ib, shape: outer } = broadcastBatchIndices(outerA, outerB);
  const batch = ia.length;
  const batchA = tf.util.sizeFromShape(outerA), batchB = tf.util.sizeFromShape(outerB);
  const out = backend.makeOutput([...outer, m, n], 'float32');
  if (batch === 0 || m === 0 || n === 0) return out;
  const f = wasmFunctions(backend);
  try {
    if (k === 0) {
      backend.wasm.HEAPF32.fill(0, offsetOf(backend, out.dataId), offsetOf(backend, out.dataId) + batch * m * n);
    } else if (batch > 1 && batchA === batch && batchB === batch
      && m * n * k < (tB && !tA ? LOOP_MACS_TRANSPOSED_B : LOOP_MACS)) {
      // Small batched products: the backend's loop handles the transposes itself.
      const aShape = tA ? [batch, k, m] : [batch, m, k];
      const bShape = tB ? [batch, n, k] : [batch, k, n];
      f.batchMatMul(idOf(backend, a.dataId), int32Bytes(aShape), 3, idOf(backend, b.dataId), int32Bytes(bShape), 3,
        tA, tB, idOf(backend, out.dataId));
    } else if (batch === 1 && swapCost(m, k, n, tA, tB) < directCost(m, k, n, tA, tB)) {
      // outᵀ = b'·a' with b' = bᵀ [N×K] as the rows and a' = aᵀ [K×M] as the packed weights, then one transpose.
      const scratch = [[n, m]];
      if (!tB) scratch.push([n, k]);
      if (!tA) scratch.push([k, m]);
      withScratch(backend, scratch, (s) => {
        const [outT] = s;
        const rows = tB ? b : s[1];
        const weights = tA ? a : s[tB ? 1 : 2];
        if (!tB) transposeInto(backend, { ...b, shape: [k, n] }, [1, 0], rows);
        if (!tA) transposeInto(backend, { ...a, shape: [m, k] }, [1, 0], weights);
        f.batchMatMul(idOf(backend, rows.dataId), int32Bytes([1, n, k]), 3, idOf(backend, weights.dataId),
          int32Bytes([1, k, m]), 3, false, false, idOf(backend, outT.dataId));
        transposeInto(backend, { ...outT, shape: [n, m] }, [1, 0], out);
      });
    } else {
      const scratch: number[][] = [];
      if (tA) scratch.push([batchA, m, k]);
      if (tB) scratch.push([batchB, k, n]);
      withScratch(backend, scratch, (s) => {
        const aEff = tA ? s[0] : a;
        const bEff = tB ? s[tA ? 1 : 0] : b;
        if (tA) transposeInto(backend, { ...a, shape: [batchA, k, m] }, [0, 2, 1], aEff);
        if (tB) transposeInto(backend, { ...b, shape: [batchB, n, k] }, [0, 2, 1], bEff);
        if (batchB === 1 && ia.every((v, i) => v === i)) {
          // b shared by every batch: the batches of a are the rows of one GEMM.
          f.batchMatMul(idOf(backend, aEff.dataId), int32Bytes([1, batch * m, k]), 3,
            idOf(backend, bEff.dataId), int32Bytes([1, k, n]), 3, false, false, idOf(backend, out.dataId));
        } else {
          gemmPerBatch(backend, aEff, bEff, out, ia, ib, [m, k, n]);
        }
      });
    }
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  }
  return out;
}

/**
 * Values moved outside the GEMM itself for one product (transposed copies, XNNPACK's packing of the weights): the
 * direct form a'·b' packs b' [K×N]; the swapped form (a'·b')ᵀ = b'ᵀ·a'ᵀ packs aᵀ [K×M] and transposes the result.
 * With b transposed (every input gradient dy·Wᵀ) the swap avoids copying and packing the weight matrix.
 */
function directCost(m: number, k: number, n: number, tA: boolean, tB: boolean): number {
  return (tA ? k * m : 0) + (tB ? k * n : 0) + k * n;
}

function swapCost(m: number, k: number, n: number, tA: boolean, tB: boolean): number {
  return (tB ? 0 : k * n) + (tA ? 0 : k * m) + n * m + k * m;
}

/**
 * out[β] = a[ia[β]] · b[ib[β]] for each batch β, one XNNPACK call each on views (fresh ids, disposed after; a b
 * slice used by several batches keeps its view, so XNNPACK packs it once).
 */
function gemmPerBatch(
  backend: WasmBackendLike, a: TensorInfo, b: TensorInfo, out: TensorInfo, ia: number[], ib: number[],
  [m, k, n]: number[],
): void {
  const f = wasmFunctions(backend);
  const a0 = offsetOf(backend, a.dataId), b0 = offsetOf(backend, b.dataId), o0 = offsetOf(backend, out.dataId);
  const aShape = int32Bytes([1, m, k]), bShape = int32Bytes([1, k, n]);
  const views: number[] = [];
  const bViews = new Map<number, number>();
  try {
    for (let beta = 0; beta < ia.length; beta++) {
      let bv = bViews.get(ib[beta]);
      if (bv === undefined) {
        bv = makeView(backend, b0 + ib[beta] * k * n, k * n);
        views.push(bv);
        bViews.set(ib[beta], bv);
      }
      const av = makeView(backend, a0 + ia[beta] * m * k, m * k);
      views.push(av);
      const ov = makeView(backend, o0 + beta * m * n, m * n);
      views.push(ov);
      f.batchMatMul(av, aShape, 3, bv, bShape, 3, false, false, ov);
    }
  } finally {
    for (const v of views) disposeView(backend, v);
  }
}
