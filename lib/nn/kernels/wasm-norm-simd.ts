/**
 * The per-element passes of lib/nn/kernels/wasm-norm.ts as hand-assembled WebAssembly SIMD functions (4 float32
 * lanes) that import the tfjs wasm backend's own memory, so they run over the tensors where they live (the pattern of
 * lib/nn/fused-adam.ts). Each walks a channels-last block [p, c] (c a multiple of 4) once, as ONE flat loop: byte
 * index i over the block, channel byte index j = i mod 4c, per-channel vectors read at j. Offsets are in bytes.
 *   colsum   (x, acc, bytes, cBytes):                      acc[ch] += x
 *   colsqdev (x, mean, acc, bytes, cBytes):                 acc[ch] += (x − μ[ch])²
 *   affine   (x, mean, std, γ, β, out, bytes, cBytes):      out = ((x − μ[ch]) / s[ch])·γ[ch] + β[ch]
 *   bwdsums  (x, dy, mean, std, sDy, sDyXn, bytes, cBytes): sDy[ch] += dy;  sDyXn[ch] += dy·x̂,  x̂ = (x − μ)/s
 *   bwddx    (x, dy, mean, std, γ, m1, m2, out, bytes, cBytes): out = ((dy·γ − m1) − x̂·m2) / s
 * Every operation is an IEEE float32 operation in the order written (wasm has no fused multiply-add), the order of
 * the tf composition in lib/nn/ops.ts normalizeAffine, so the per-element results equal that composition given the
 * same statistics; the statistics themselves are sums in a different order (float rounding only).
 * Source: the WebAssembly core spec 2.0 binary format (LEB128, opcodes, the 0xFD SIMD prefix).
 */
import { section, uleb, vec, wasmName } from '../../core/wasm-encode.js';

/** The WebAssembly JS API used here (the project's TypeScript lib settings do not declare it). */
export interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type Fn = (...args: number[]) => void;

/** The five passes, bound to one wasm memory. */
export interface NormSimd {
  colsum(x: number, acc: number, bytes: number, cBytes: number): void;
  colsqdev(x: number, mean: number, acc: number, bytes: number, cBytes: number): void;
  affine(x: number, mean: number, std: number, g: number, b: number, out: number, bytes: number, cBytes: number): void;
  bwdsums(x: number, dy: number, mean: number, std: number, sDy: number, sDyXn: number, bytes: number,
    cBytes: number): void;
  bwddx(x: number, dy: number, mean: number, std: number, g: number, m1: number, m2: number, out: number,
    bytes: number, cBytes: number): void;
}

// ---- a minimal WebAssembly binary encoder ----

const name = wasmName;

const I32 = 0x7f;
const V128 = 0x7b;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40, SELECT = 0x1b;
const GET = 0x20, SET = 0x21;
const I32_CONST = 0x41, I32_EQ = 0x46, I32_GE_U = 0x4f, I32_ADD = 0x6a;
const simd = (code: number): number[] => [0xfd, ...uleb(code)];
const LOAD = [...simd(0x00), 4, 0]; // v128.load, memarg align 2^4, offset 0 (the hint never traps)
const STORE = [...simd(0x0b), 4, 0];
const ADD = simd(0xe4), SUB = simd(0xe5), MUL = simd(0xe6), DIV = simd(0xe7);

/** A function of `params` i32 parameters whose last two are (bytes, cBytes), looping `body` over i, j. */
function loopFunction(params: number, vTemps: number, body: (at: Ctx) => number[]): { type: number; code: number[] } {
  const I = params, J = params + 1, V0 = params + 2;
  const BYTES = params - 2, CB = params - 1;
  const ctx: Ctx = {
    el: (p) => [GET, p, GET, I, I32_ADD],
    ch: (p) => [GET, p, GET, J, I32_ADD],
    v: (k) => V0 + k,
  };
  const locals = vec([[...uleb(2), I32], ...(vTemps > 0 ? [[...uleb(vTemps), V128]] : [])]);
  const code = [
    BLOCK, VOID, LOOP, VOID,
    GET, I, GET, BYTES, I32_GE_U, BR_IF, 1,
    ...body(ctx),
    GET, I, I32_CONST, 16, I32_ADD, SET, I,
    // j = j + 16 == cBytes ? 0 : j + 16
    I32_CONST, 0, GET, J, I32_CONST, 16, I32_ADD, GET, J, I32_CONST, 16, I32_ADD, GET, CB, I32_EQ, SELECT, SET, J,
    BR, 0, END, END, END,
  ];
  const fn = [...locals, ...code];
  return { type: params, code: [...uleb(fn.length), ...fn] };
}

interface Ctx {
  /** Address of the current element of the block at parameter p. */
  el(p: number): number[];
  /** Address of the current channel's entry of the per-channel vector at parameter p. */
  ch(p: number): number[];
  /** Local index of v128 temp k. */
  v(k: number): number;
}

const ld = (addr: number[]): number[] => [...addr, ...LOAD];

/** x̂ = (x − μ[ch]) / s[ch], with x, μ, s at parameters 0, mean, std. */
const xhat = (c: Ctx, x: number, mean: number, std: number): number[] =>
  [...ld(c.el(x)), ...ld(c.ch(mean)), ...SUB, ...ld(c.ch(std)), ...DIV];

const FUNCTIONS: Array<[string, { type: number; code: number[] }]> = [
  ['colsum', loopFunction(4, 0, (c) => [...c.ch(1), ...ld(c.ch(1)), ...ld(c.el(0)), ...ADD, ...STORE])],
  ['colsqdev', loopFunction(5, 1, (c) => [
    ...ld(c.el(0)), ...ld(c.ch(1)), ...SUB, SET, c.v(0),
    ...c.ch(2), ...ld(c.ch(2)), GET, c.v(0), GET, c.v(0), ...MUL, ...ADD, ...STORE,
  ])],
  ['affine', loopFunction(8, 0, (c) => [
    ...c.el(5), ...xhat(c, 0, 1, 2), ...ld(c.ch(3)), ...MUL, ...ld(c.ch(4)), ...ADD, ...STORE,
  ])],
  ['bwdsums', loopFunction(8, 2, (c) => [
    ...ld(c.el(1)), SET, c.v(0), ...xhat(c, 0, 2, 3), SET, c.v(1),
    ...c.ch(4), ...ld(c.ch(4)), GET, c.v(0), ...ADD, ...STORE,
    ...c.ch(5), ...ld(c.ch(5)), GET, c.v(0), GET, c.v(1), ...MUL, ...ADD, ...STORE,
  ])],
  ['bwddx', loopFunction(10, 0, (c) => [
    ...c.el(7),
    ...ld(c.el(1)), ...ld(c.ch(4)), ...MUL, ...ld(c.ch(5)), ...SUB,
    ...xhat(c, 0, 2, 3), ...ld(c.ch(6)), ...MUL, ...SUB,
    ...ld(c.ch(3)), ...DIV, ...STORE,
  ])],
];

function moduleBytes(): Uint8Array {
  const arities = [...new Set(FUNCTIONS.map(([, f]) => f.type))];
  const types = arities.map((n) => [0x60, ...vec(new Array<number[]>(n).fill([I32])), ...vec([])]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]])),
    ...section(3, vec(FUNCTIONS.map(([, f]) => uleb(arities.indexOf(f.type))))),
    ...section(7, vec(FUNCTIONS.map(([n], i) => [...name(n), 0x00, ...uleb(i)]))),
    ...section(10, vec(FUNCTIONS.map(([, f]) => f.code))),
  ];
  return Uint8Array.from(bytes);
}

let compiled: object | null | undefined;
const boundTo = new WeakMap<WasmMemory, NormSimd>();

/** The passes bound to `memory` (a WebAssembly.Memory), or null when this runtime has no wasm SIMD. */
export function normSimd(memory: WasmMemory | undefined): NormSimd | null {
  if (memory === undefined || !(memory instanceof WebAssemblyApi.Memory)) return null;
  const known = boundTo.get(memory);
  if (known) return known;
  if (compiled === undefined) {
    try {
      compiled = new WebAssemblyApi.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return null;
  const fns = new WebAssemblyApi.Instance(compiled, { env: { memory } }).exports as Record<string, Fn>;
  const bound = fns as unknown as NormSimd;
  boundTo.set(memory, bound);
  return bound;
}
