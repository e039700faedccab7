/**
 * Adam's update of one variable as ONE pass over the tfjs wasm backend's heap, bit-identical to Adam.applyOps
 * (lib/nn/optim.ts), which runs it as ~15 tf kernels per variable (13 without weight decay).
 *
 * The pass is a hand-assembled WebAssembly function (SIMD, 4 lanes, and a scalar tail) that imports the backend's
 * own WebAssembly.Memory, so it reads and writes the tensors where they live. Per element, in this order and each
 * rounded to float32 exactly as the tf kernels round them (IEEE-754 single precision; wasm has no fused
 * multiply-add and keeps subnormals, like the kernels):
 *   g  = g₀ + θ·λ                      (only when weight decay λ > 0, as applyOps)
 *   m' = m·β₁ + g·(1−β₁)
 *   v' = v·β₂ + (g·g)·(1−β₂)
 *   θ' = θ − (m' / (√v' / √bc₂ + ε)) · (lr/bc₁)
 * with the scalars rounded to float32 once, as tf.scalar does. m and v are written in place when no other tensor
 * shares their buffer (copy-on-write otherwise); θ' always goes to a FRESH buffer that the variable then takes
 * (Variable.assign): the backend's XNNPACK convolution and matmul operators cache their packed weights by tensor id,
 * so a weight written in place would leave them computing with the old values (checked in
 * test/unit/nn-train.test.ts).
 *
 * Sources: the WebAssembly core spec 2.0 binary format (sections, LEB128, opcodes incl. the 0xFD SIMD prefix);
 * tfjs-backend-wasm 4.22 backend_wasm.js (dataIdMap entries {memoryOffset, refCount}, makeOutput, Module.asm.memory).
 */
import { tf } from './tf.js';
import { section, sleb, uleb, vec, wasmName } from '../core/wasm-encode.js';

/** The WebAssembly JS API this module uses (the project's TypeScript lib settings do not declare it). */
interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The parts of tfjs-backend-wasm's BackendWasm this module uses (not in its public typings). */
interface WasmBackendInternals {
  readonly wasm: { readonly asm: { readonly memory: WasmMemory } };
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** Float32-rounded constants of one update (see the header). */
export interface AdamScalars {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  /** √bc₂. */
  readonly sqrtBc2: number;
  readonly eps: number;
  /** lr/bc₁ (after warm-up). */
  readonly stepSize: number;
}

type KernelFn = (p: number, g: number, m: number, v: number, out: number, n: number,
  wd: number, b1: number, c1: number, b2: number, c2: number, sbc2: number, eps: number, step: number) => void;

// ---- a minimal WebAssembly binary encoder ----

const name = wasmName;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22,
  i32Const: 0x41, i32Add: 0x6a, i32Shl: 0x74, i32And: 0x71, i32GeU: 0x4f,
  f32Load: 0x2a, f32Store: 0x38,
  f32Sqrt: 0x91, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95,
} as const;
const simd = (code: number): number[] => [0xfd, ...uleb(code)];
const v128Load = [...simd(0x00), 4, 0]; // memarg: align 2^4, offset 0
const v128Store = [...simd(0x0b), 4, 0];
const f32x4 = {
  splat: simd(0x13), sqrt: simd(0xe3), add: simd(0xe4), sub: simd(0xe5), mul: simd(0xe6), div: simd(0xe7),
};
const f32Load = [op.f32Load, 2, 0]; // align 2^2
const f32Store = [op.f32Store, 2, 0];

// Parameters 0–5: p, g, m, v, out (byte offsets), n (elements); 6–13 the f32 scalars of AdamScalars in order.
const P = 0, G = 1, M = 2, V = 3, OUT = 4, N = 5;
const WD = 6, B1 = 7, C1 = 8, B2 = 9, C2 = 10, SBC2 = 11, EPS = 12, STEP = 13;
// Locals: i32 byte index, end of the SIMD part, end of all (bytes); v128 splats of the 8 scalars; v128 and f32 temps.
const I = 14, END4 = 15, END = 16;
const VS = 17; // VS + (scalar index − WD): the splat of that scalar
const VP = 25, VG = 26, VM = 27, VV = 28;
const SP = 29, SG = 30, SM = 31, SV = 32;

/** Body of one element group: lanes = 4 (v128) or 1 (f32). Mirrors applyOps op by op. */
function elementBody(lanes: 4 | 1, decay: boolean): number[] {
  const isV = lanes === 4;
  const load = isV ? v128Load : f32Load;
  const store = isV ? v128Store : f32Store;
  const f32 = { sqrt: [op.f32Sqrt], add: [op.f32Add], sub: [op.f32Sub], mul: [op.f32Mul], div: [op.f32Div] };
  const a = isV ? f32x4 : f32;
  const [tp, tg, tm, tv] = isV ? [VP, VG, VM, VV] : [SP, SG, SM, SV];
  const k = (scalar: number): number[] => (isV ? [op.get, VS + scalar - WD] : [op.get, scalar]);
  const addr = (base: number): number[] => [op.get, base, op.get, I, op.i32Add];
  return [
    ...addr(P), ...load, op.set, tp,
    ...addr(G), ...load,
    ...(decay ? [op.get, tp, ...k(WD), ...a.mul, ...a.add] : []),
    op.set, tg,
    // m' = m·β₁ + g·(1−β₁)
    ...addr(M), ...addr(M), ...load, ...k(B1), ...a.mul, op.get, tg, ...k(C1), ...a.mul, ...a.add, op.tee, tm, ...store,
    // v' = v·β₂ + (g·g)·(1−β₂)
    ...addr(V), ...addr(V), ...load, ...k(B2), ...a.mul, op.get, tg, op.get, tg, ...a.mul, ...k(C2), ...a.mul, ...a.add,
    op.tee, tv, ...store,
    // θ' = θ − (m' / (√v' / √bc₂ + ε)) · step
    ...addr(OUT), op.get, tp, op.get, tm, op.get, tv, ...a.sqrt, ...k(SBC2), ...a.div, ...k(EPS), ...a.add, ...a.div,
    ...k(STEP), ...a.mul, ...a.sub, ...store,
  ];
}

/** for (; i < end; i += step) body — as block { loop { br_if exit (i >= end); body; i += step; br loop } }. */
function forLoop(end: number, stepBytes: number, body: number[]): number[] {
  return [
    op.block, op.void, op.loop, op.void,
    op.get, I, op.get, end, op.i32GeU, op.brIf, 1,
    ...body,
    op.get, I, op.i32Const, ...sleb(stepBytes), op.i32Add, op.set, I,
    op.br, 0, op.end, op.end,
  ];
}

function functionBody(decay: boolean): number[] {
  const locals = vec([[...uleb(3), I32], [...uleb(12), V128], [...uleb(4), F32]]);
  const code = [
    ...[WD, B1, C1, B2, C2, SBC2, EPS, STEP].flatMap((s) => [op.get, s, ...f32x4.splat, op.set, VS + s - WD]),
    // end = n·4 bytes; end4 = (n & ~3)·4; i = 0 (locals start at 0)
    op.get, N, op.i32Const, ...sleb(2), op.i32Shl, op.set, END,
    op.get, N, op.i32Const, ...sleb(-4), op.i32And, op.i32Const, ...sleb(2), op.i32Shl, op.set, END4,
    ...forLoop(END4, 16, elementBody(4, decay)),
    ...forLoop(END, 4, elementBody(1, decay)),
    op.end,
  ];
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module: imports env.memory, exports adam_decay and adam_plain (same signature). */
function moduleBytes(): Uint8Array {
  const params = [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32];
  const fnType = [0x60, ...vec(params.map((t) => [t])), ...vec([])];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([fnType])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]])),
    ...section(3, vec([[0], [0]])),
    ...section(7, vec([[...name('adam_decay'), 0x00, 0], [...name('adam_plain'), 0x00, 1]])),
    ...section(10, vec([functionBody(true), functionBody(false)])),
  ];
  return Uint8Array.from(bytes);
}

// ---- binding to the backend ----

interface Bound {
  readonly backend: WasmBackendInternals;
  readonly decay: KernelFn;
  readonly plain: KernelFn;
}

let compiled: object | null | undefined;
let bound: { memory: WasmMemory; fns: Bound } | null = null;

/** The kernels bound to the active backend's memory, or null when the backend is not wasm or SIMD is unavailable. */
function kernels(): Bound | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssemblyApi.Memory) || typeof backend.dataIdMap?.get !== 'function') return null;
  if (bound && bound.memory === memory && bound.fns.backend === backend) return bound.fns;
  if (compiled === undefined) {
    try {
      compiled = new WebAssemblyApi.Module(moduleBytes());
    } catch {
      compiled = null; // no wasm SIMD in this runtime: callers fall back to the op-by-op update
    }
  }
  if (compiled === null) return null;
  const exports = new WebAssemblyApi.Instance(compiled, { env: { memory } }).exports as Record<string, KernelFn>;
  bound = { memory, fns: { backend, decay: exports.adam_decay, plain: exports.adam_plain } };
  return bound.fns;
}

/** True when fusedAdamUpdate can run on the active backend. */
export function fusedAdamAvailable(): boolean {
  return kernels() !== null;
}

/** Rounds the update's constants to float32 exactly as tf.scalar would. */
export function adamScalars(o: {
  weightDecay: number; beta1: number; beta2: number; eps: number; bc2: number; lr: number; bc1: number;
}): AdamScalars {
  const f = Math.fround;
  return {
    weightDecay: f(o.weightDecay), beta1: f(o.beta1), oneMinusBeta1: f(1 - o.beta1), beta2: f(o.beta2),
    oneMinusBeta2: f(1 - o.beta2), sqrtBc2: f(Math.sqrt(o.bc2)), eps: f(o.eps), stepSize: f(o.lr / o.bc1),
  };
}

/**
 * A buffer of `t` that no other tensor shares, for writing in place: t's own when its backend reference count is 1,
 * else a fresh copy that the variable takes over (copy-on-write; the sharers keep the old values).
 */
function ownBuffer(backend: WasmBackendInternals, t: tf.Variable): number {
  const data = backend.dataIdMap.get(t.dataId) as { memoryOffset: number; refCount: number };
  if (data.refCount === 1) return data.memoryOffset;
  return adopt(backend, t, (off) => {
    new Uint8Array(backend.wasm.asm.memory.buffer).copyWithin(off, data.memoryOffset, data.memoryOffset + t.size * 4);
  });
}

/** Allocates a fresh float32 buffer of t's shape, lets `fill` write it, then makes it t's value; returns its offset. */
function adopt(backend: WasmBackendInternals, t: tf.Variable, fill: (offset: number) => void): number {
  const info = backend.makeOutput(t.shape.slice(), 'float32');
  const offset = (backend.dataIdMap.get(info.dataId) as { memoryOffset: number }).memoryOffset;
  fill(offset);
  const fresh = tf.engine().makeTensorFromTensorInfo(info);
  t.assign(fresh); // the variable takes a reference; its old buffer is released unless shared
  fresh.dispose();
  return offset;
}

/**
 * One Adam update of `param` with gradient `grad` and moments `m`, `v` (float32, all of param's shape) on the wasm
 * backend: m and v in place (copy-on-write when shared), param to a fresh buffer. Returns false, changing nothing,
 * when the backend is not wasm with SIMD or one of the tensors' data is not on its heap (e.g. made on another
 * backend): the caller then runs the op-by-op update.
 */
export function fusedAdamUpdate(
  param: tf.Variable, grad: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamScalars,
): boolean {
  for (const [what, t] of [['param', param], ['grad', grad], ['m', m], ['v', v]] as const) {
    if (t.dtype !== 'float32' || t.rank !== param.rank || t.shape.some((d, i) => d !== param.shape[i])) {
      throw new RangeError(`${what} must be float32 of shape [${param.shape}], got ${t.dtype} [${t.shape}]`);
    }
  }
  const k = kernels();
  if (!k) return false;
  const be = k.backend;
  const gData = be.dataIdMap.get(grad.dataId);
  const pData = be.dataIdMap.get(param.dataId);
  if (!gData || !pData || !be.dataIdMap.get(m.dataId) || !be.dataIdMap.get(v.dataId)) return false;
  if (param.size === 0) return true;
  const mOff = ownBuffer(be, m);
  const vOff = ownBuffer(be, v);
  // param and grad keep their buffers until the new value is written (adopt assigns only after fill).
  adopt(be, param, (out) => {
    const fn = s.weightDecay > 0 ? k.decay : k.plain;
    fn(pData.memoryOffset, gData.memoryOffset, mOff, vOff, out, param.size,
      s.weightDecay, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.sqrtBc2, s.eps, s.stepSize);
  });
  return true;
}
