/**
 * The one inner loop shared by Blahut–Arimoto and Sinkhorn, on a fixed kernel K (n×m) and source weights p:
 *     s(x) = Σ_y K(x,y) v(y),   w(x) = p(x)/s(x)  (0 if s(x) = 0),   acc(y) = Σ_x w(x) K(x,y).
 * BA: v = q, w = p/z, acc = c.  Sinkhorn: v = v, w = u, acc = Kᵀu.
 * Two engines with the same semantics: a WebAssembly SIMD one (f64x2, four rows per pass so each load of v and
 * of acc serves four kernel rows, one read of K per iteration) used from 4096 entries up, and plain JS
 * (fused row dot + row axpy) for small kernels or where WebAssembly SIMD is missing. ROWS = 4, UNROLL = 1 was the
 * fastest of nine shapes tried on the 2-core AMD EPYC machine (8 rows or more unrolling spill registers in V8).
 */
import { section, sleb, uleb, vec, wasmName } from '../core/wasm-encode.js';

export interface SweepEngine {
  readonly n: number;
  readonly m: number;
  /** Input vector (length ≥ m; entries beyond m must stay 0). */
  readonly v: Float64Array;
  /** Output row weights p/s (length ≥ n). */
  readonly w: Float64Array;
  /** Output column accumulator (length ≥ m). */
  readonly acc: Float64Array;
  /** Replace the kernel (row-major n×m). */
  loadKernel(K: Float64Array): void;
  sweep(): void;
}

class JsEngine implements SweepEngine {
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly acc: Float64Array;
  private K: Float64Array;
  constructor(readonly n: number, readonly m: number, private readonly p: Float64Array, K: Float64Array) {
    this.K = K;
    this.v = new Float64Array(m);
    this.w = new Float64Array(n);
    this.acc = new Float64Array(m);
  }
  loadKernel(K: Float64Array): void { this.K = K; }
  sweep(): void {
    const { n, m, K, v, w, acc, p } = this;
    acc.fill(0);
    for (let x = 0; x < n; x++) {
      const o = x * m;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, y = 0;
      for (; y + 3 < m; y += 4) {
        s0 += K[o + y] * v[y];
        s1 += K[o + y + 1] * v[y + 1];
        s2 += K[o + y + 2] * v[y + 2];
        s3 += K[o + y + 3] * v[y + 3];
      }
      for (; y < m; y++) s0 += K[o + y] * v[y];
      const s = (s0 + s1) + (s2 + s3);
      const wx = s > 0 ? p[x] / s : 0;
      w[x] = wx;
      if (wx === 0) continue;
      for (y = 0; y + 3 < m; y += 4) {
        acc[y] += wx * K[o + y];
        acc[y + 1] += wx * K[o + y + 1];
        acc[y + 2] += wx * K[o + y + 2];
        acc[y + 3] += wx * K[o + y + 3];
      }
      for (; y < m; y++) acc[y] += wx * K[o + y];
    }
  }
}

// ---- a hand-assembled WebAssembly module (no toolchain in the repo): one function `sweep` ----

const str = wasmName;

// opcodes
const LGET = 0x20, LSET = 0x21, LTEE = 0x22, I32C = 0x41, I32ADD = 0x6a, I32MUL = 0x6c, I32SHL = 0x74, I32GEU = 0x4f;
const F64LOAD = 0x2b, F64STORE = 0x39, F64DIV = 0xa3, F64ADD = 0xa0, F64GT = 0x64, F64C = 0x44, SELECT = 0x1b;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BRIF = 0x0d, END = 0x0b, VOID = 0x40;
const simd = (op: number, ...rest: number[]): number[] => [0xfd, ...uleb(op), ...rest];
const V128LOAD = (off = 0): number[] => simd(0x00, 3, ...uleb(off));
const V128STORE = (off = 0): number[] => simd(0x0b, 3, ...uleb(off));
const V128ZERO = simd(0x0c, ...new Array(16).fill(0));
const F64X2SPLAT = simd(0x14), F64X2ADD = simd(0xf0), F64X2MUL = simd(0xf2);
/** relaxed SIMD f64x2.relaxed_madd(a, b, c) = a·b + c (fused where the CPU has FMA). */
const F64X2MADD = simd(0x107);
const LANE = (l: number): number[] => simd(0x21, l);
const f64c0 = [F64C, 0, 0, 0, 0, 0, 0, 0, 0];

// Kernel layout inside the module: blocks of ROWS rows, and within a block the column pairs of those rows
// interleaved ([K_0(y,y+1) K_1(y,y+1) … K_{ROWS−1}(y,y+1)] per ROWS·16 bytes), so each pass walks ONE sequential
// stream with immediate offsets instead of ROWS row pointers. Each step of the dot loop handles UNROLL column
// pairs with one accumulator per (row, pair) to break the add dependency chains.
export const ROWS = 4, UNROLL = 1;
// params: k v p w acc nRowsPadded blockBytes (i32); locals: x ptr end q vp (i32), S[ROWS·UNROLL] VV[UNROLL] W[ROWS] (v128), t (f64)
const [V_, P_, W_, ACC, N4, BB] = [1, 2, 3, 4, 5, 6];
const [X, PTR, END_, Q, VP] = [7, 8, 9, 10, 11];
const S0 = 12, VV = S0 + ROWS * UNROLL, WS0 = VV + UNROLL, T = WS0 + ROWS;
const CHUNK = ROWS * 16; // bytes per column pair of a block

function body(fma: boolean): number[] {
  const c: number[] = [];
  const g = (i: number): number[] => [LGET, ...uleb(i)];
  const s = (i: number): number[] => [LSET, ...uleb(i)];
  const mac = (load: number[], x: number, accLocal: number): number[] => (fma
    ? [...load, ...g(x), ...g(accLocal), ...F64X2MADD, ...s(accLocal)]
    : [...g(accLocal), ...load, ...g(x), ...F64X2MUL, ...F64X2ADD, ...s(accLocal)]);
  const ld = (base: number, off: number): number[] => [...g(base), ...V128LOAD(off)];
  const bump = (local: number, by: number): number[] => [...g(local), I32C, ...sleb(by), I32ADD, ...s(local)];
  c.push(I32C, 0, ...s(X), ...g(0), ...s(PTR));
  c.push(BLOCK, VOID, LOOP, VOID);
  c.push(...g(X), ...g(N4), I32GEU, BRIF, 1);
  c.push(...g(PTR), ...g(BB), I32ADD, ...s(END_));
  for (let i = 0; i < ROWS * UNROLL; i++) c.push(...V128ZERO, ...s(S0 + i));
  // dot products of the block's rows with v
  c.push(...g(PTR), ...s(Q), ...g(V_), ...s(VP), BLOCK, VOID, LOOP, VOID);
  c.push(...g(Q), ...g(END_), I32GEU, BRIF, 1);
  for (let u = 0; u < UNROLL; u++) c.push(...ld(VP, 16 * u), ...s(VV + u));
  for (let u = 0; u < UNROLL; u++) {
    for (let i = 0; i < ROWS; i++) c.push(...mac(ld(Q, CHUNK * u + 16 * i), VV + u, S0 + u * ROWS + i));
  }
  c.push(...bump(Q, CHUNK * UNROLL), ...bump(VP, 16 * UNROLL), BR, 0, END, END);
  for (let u = 1; u < UNROLL; u++) {
    for (let i = 0; i < ROWS; i++) c.push(...g(S0 + i), ...g(S0 + u * ROWS + i), ...F64X2ADD, ...s(S0 + i));
  }
  // w(x+i) = s > 0 ? p/s : 0, splatted for the axpy
  for (let i = 0; i < ROWS; i++) {
    c.push(...g(S0 + i), ...LANE(0), ...g(S0 + i), ...LANE(1), F64ADD, ...s(T));
    c.push(...g(W_), ...g(X), I32C, 3, I32SHL, I32ADD); // store address
    c.push(...g(P_), ...g(X), I32C, 3, I32SHL, I32ADD, F64LOAD, 3, ...uleb(8 * i), ...g(T), F64DIV);
    c.push(...f64c0, ...g(T), ...f64c0, F64GT, SELECT, LTEE, ...uleb(T));
    c.push(F64STORE, 3, ...uleb(8 * i));
    c.push(...g(T), ...F64X2SPLAT, ...s(WS0 + i));
  }
  // acc += Σ_i w_i K_i over the same block
  c.push(...g(PTR), ...s(Q), ...g(ACC), ...s(VP), BLOCK, VOID, LOOP, VOID);
  c.push(...g(Q), ...g(END_), I32GEU, BRIF, 1);
  for (let u = 0; u < UNROLL; u++) {
    c.push(...ld(VP, 16 * u), ...s(VV));
    if (fma) {
      for (let i = ROWS - 1; i >= 0; i--) c.push(...mac(ld(Q, CHUNK * u + 16 * i), WS0 + i, VV));
    } else {
      // pairwise tree of the ROWS products, then one add to acc
      const term = (i: number): number[] => [...g(WS0 + i), ...ld(Q, CHUNK * u + 16 * i), ...F64X2MUL];
      const tree = (lo: number, hi: number): number[] => (hi - lo === 1 ? term(lo)
        : [...tree(lo, (lo + hi) >> 1), ...tree((lo + hi) >> 1, hi), ...F64X2ADD]);
      c.push(...g(VV), ...tree(0, ROWS), ...F64X2ADD, ...s(VV));
    }
    c.push(...g(VP), ...g(VV), ...V128STORE(16 * u));
  }
  c.push(...bump(Q, CHUNK * UNROLL), ...bump(VP, 16 * UNROLL), BR, 0, END, END);
  c.push(...g(END_), ...s(PTR), ...g(X), I32C, ...sleb(ROWS), I32ADD, ...s(X), BR, 0, END, END);
  c.push(END);
  const locals = vec([[5, 0x7f], [ROWS * UNROLL + UNROLL + ROWS, 0x7b], [1, 0x7c]]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

/**
 * Row-pointer variant: K row-major with a padded stride, four row pointers. More memory streams in flight,
 * which pays once the kernel no longer fits in cache. Software-pipelined: one loop over the columns does the dot
 * products of block b (four rows read from memory) and the axpy of block b − 1 (its four rows, just read, come from
 * cache), so the cache-hit loads overlap the memory stalls — the same operations in the same order as a dot pass
 * then an axpy pass per block, so the same bits (2048²: 6–11 % less CPU time than the two passes, Intel Xeon).
 */
function bodyRows(fma: boolean): number[] {
  const c: number[] = [];
  const g = (i: number): number[] => [LGET, ...uleb(i)];
  const s = (i: number): number[] => [LSET, ...uleb(i)];
  // locals: x j r0..r3 q0..q3 (i32: 7..16), s0..s3 vv W0..W3 a (v128: 17..26), t (f64: 27)
  const J = 8, R0 = 9, Q0 = 13, SS = 17, V2 = 21, WW = 22, A = 26, TT = 27;
  const load = (base: number): number[] => [...g(base), ...g(J), I32ADD, ...V128LOAD(0)];
  const dotStep = (): number[] => {
    const d = [...g(V_), ...g(J), I32ADD, ...V128LOAD(0), ...s(V2)];
    for (let i = 0; i < 4; i++) {
      if (fma) d.push(...load(R0 + i), ...g(V2), ...g(SS + i), ...F64X2MADD, ...s(SS + i));
      else d.push(...g(SS + i), ...load(R0 + i), ...g(V2), ...F64X2MUL, ...F64X2ADD, ...s(SS + i));
    }
    return d;
  };
  const axpyStep = (rows: number): number[] => {
    const d = [...g(ACC), ...g(J), I32ADD, ...V128LOAD(0), ...s(A)];
    if (fma) {
      for (const i of [3, 2, 1, 0]) d.push(...g(WW + i), ...load(rows + i), ...g(A), ...F64X2MADD, ...s(A));
    } else {
      const term = (i: number): number[] => [...g(WW + i), ...load(rows + i), ...F64X2MUL];
      d.push(...g(A), ...term(0), ...term(1), ...F64X2ADD, ...term(2), ...term(3), ...F64X2ADD, ...F64X2ADD);
      d.push(...F64X2ADD, ...s(A));
    }
    d.push(...g(ACC), ...g(J), I32ADD, ...g(A), ...V128STORE(0));
    return d;
  };
  const columns = (inner: number[]): number[] => [
    I32C, 0, ...s(J), BLOCK, VOID, LOOP, VOID, ...g(J), ...g(BB), I32GEU, BRIF, 1,
    ...inner, ...g(J), I32C, 16, I32ADD, ...s(J), BR, 0, END, END,
  ];
  const zeroSums = (): number[] => Array.from({ length: 4 }, (_, i) => [...V128ZERO, ...s(SS + i)]).flat();
  const weights = (): number[] => {
    const d: number[] = [];
    for (let i = 0; i < 4; i++) {
      d.push(...g(SS + i), ...LANE(0), ...g(SS + i), ...LANE(1), F64ADD, ...s(TT));
      d.push(...g(W_), ...g(X), I32C, 3, I32SHL, I32ADD);
      d.push(...g(P_), ...g(X), I32C, 3, I32SHL, I32ADD, F64LOAD, 3, ...uleb(8 * i), ...g(TT), F64DIV);
      d.push(...f64c0, ...g(TT), ...f64c0, F64GT, SELECT, LTEE, ...uleb(TT));
      d.push(F64STORE, 3, ...uleb(8 * i));
      d.push(...g(TT), ...F64X2SPLAT, ...s(WW + i));
    }
    return d;
  };
  // block 0: rows r0..r3, dot pass alone
  c.push(...g(0), ...s(R0));
  for (let i = 1; i < 4; i++) c.push(...g(R0 + i - 1), ...g(BB), I32ADD, ...s(R0 + i));
  c.push(...zeroSums(), ...columns(dotStep()), I32C, 0, ...s(X), ...weights());
  // blocks 1 …: q ← r, r ← next block; dot of r and axpy of q in one pass
  c.push(BLOCK, VOID, LOOP, VOID);
  c.push(...g(X), I32C, 4, I32ADD, LTEE, ...uleb(X), ...g(N4), I32GEU, BRIF, 1);
  for (let i = 0; i < 4; i++) c.push(...g(R0 + i), ...s(Q0 + i));
  c.push(...g(Q0 + 3), ...g(BB), I32ADD, ...s(R0));
  for (let i = 1; i < 4; i++) c.push(...g(R0 + i - 1), ...g(BB), I32ADD, ...s(R0 + i));
  c.push(...zeroSums(), ...columns([...dotStep(), ...axpyStep(Q0)]), ...weights());
  c.push(BR, 0, END, END);
  // last block: axpy alone
  c.push(...columns(axpyStep(R0)));
  c.push(END);
  const locals = vec([[10, 0x7f], [10, 0x7b], [1, 0x7c]]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

function assemble(fma: boolean): Uint8Array {
  const I32 = 0x7f;
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(new Array(7).fill([I32])), 0]])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [0]])),
    ...section(7, vec([[...str('sweep'), 0x00, 0], [...str('sweepRows'), 0x00, 1]])),
    ...section(10, vec([body(fma), bodyRows(fma)])),
  ];
  return Uint8Array.from(bytes);
}

// the project's lib settings (ES2022, no DOM) carry no WebAssembly typings: declare the little used here
interface WasmMemory { readonly buffer: ArrayBuffer }
type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (mod: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (desc: { initial: number }) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let wasmModule: WasmModule | null | undefined;
let wasmFma = false;
function getModule(): WasmModule | null {
  if (wasmModule !== undefined) return wasmModule;
  try {
    const fused = assemble(true), plain = assemble(false);
    wasmFma = !!WA && process.env.SEMCOM_INFO_NO_FMA === undefined && WA.validate(fused);
    wasmModule = WA && WA.validate(plain) ? new WA.Module(wasmFma ? fused : plain) : null;
  } catch {
    wasmModule = null;
  }
  return wasmModule;
}

type SweepFn = (k: number, v: number, p: number, w: number, acc: number, n4: number, blockBytes: number) => void;

export type Layout = 'blocked' | 'rows';
/** Kernels above this many entries use the row-pointer layout. */
export const ROWS_LAYOUT_MIN_ENTRIES = 3e6;

class WasmEngine implements SweepEngine {
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly acc: Float64Array;
  private readonly Kp: Float64Array;
  private readonly mp: number;
  private readonly n4: number;
  private readonly fn: SweepFn;
  private readonly offs: number[];
  constructor(readonly n: number, readonly m: number, p: Float64Array, K: Float64Array, mod: WasmModule, wa: WasmApi, private readonly layout: Layout) {
    // rows padded to a multiple of ROWS (p = 0, K = 0 there), columns to whole steps (v = K = 0 there)
    const step = layout === 'blocked' ? 2 * UNROLL : 2;
    this.n4 = Math.ceil(n / 4) * 4;
    this.mp = Math.ceil(m / step) * step;
    const sizes = [this.n4 * this.mp, this.mp, this.n4, this.n4, this.mp];
    const offs: number[] = [];
    let o = 0;
    for (const sz of sizes) { offs.push(o); o += sz * 8; o = (o + 15) & ~15; }
    const mem = new wa.Memory({ initial: Math.ceil(o / 65536) + 1 });
    const inst = new wa.Instance(mod, { env: { mem } });
    this.fn = (layout === 'blocked' ? inst.exports.sweep : inst.exports.sweepRows) as SweepFn;
    const view = (i: number): Float64Array => new Float64Array(mem.buffer, offs[i], sizes[i]);
    this.Kp = view(0);
    this.v = view(1);
    const pp = view(2);
    this.w = view(3);
    this.acc = view(4);
    pp.set(p.subarray(0, n));
    this.offs = offs;
    this.loadKernel(K);
  }
  loadKernel(K: Float64Array): void {
    const { n, m, mp, Kp } = this;
    if (this.layout === 'rows') {
      if (mp === m) Kp.set(K.subarray(0, n * m));
      else for (let x = 0; x < n; x++) Kp.set(K.subarray(x * m, x * m + m), x * mp);
      return;
    }
    // block layout: element (x, y) at b·ROWS·mp + (y>>1)·2·ROWS + (x mod ROWS)·2 + (y&1), b = ⌊x/ROWS⌋
    for (let x = 0; x < n; x++) {
      const base = Math.floor(x / ROWS) * ROWS * mp + (x % ROWS) * 2, o = x * m;
      let y = 0;
      for (; y + 1 < m; y += 2) {
        const d = base + y * ROWS;
        Kp[d] = K[o + y];
        Kp[d + 1] = K[o + y + 1];
      }
      if (y < m) Kp[base + y * ROWS] = K[o + y];
    }
  }
  sweep(): void {
    this.acc.fill(0);
    const o = this.offs;
    this.fn(o[0], o[1], o[2], o[3], o[4], this.n4, this.layout === 'blocked' ? this.mp * ROWS * 8 : this.mp * 8);
  }
}

/** Kernels with at least this many entries use WebAssembly SIMD (call overhead dominates below). */
export const WASM_MIN_ENTRIES = 4096;

/** An engine for kernel K (row-major n×m, copied or referenced) and row weights p. */
export function makeEngine(
  K: Float64Array, n: number, m: number, p: Float64Array, prefer: 'auto' | 'js' | 'wasm' = 'auto', layout?: Layout,
): SweepEngine {
  const mod = prefer === 'js' ? null : getModule();
  if (mod && WA && (prefer === 'wasm' || n * m >= WASM_MIN_ENTRIES)) {
    // measured: the blocked layout is faster while the kernel sits in cache (≤ 1448², 16 MiB), four row streams
    // beyond (2048²: 1.9 ms vs 2.5 ms per sweep)
    return new WasmEngine(n, m, p, K, mod, WA, layout ?? (n * m > ROWS_LAYOUT_MIN_ENTRIES ? 'rows' : 'blocked'));
  }
  return new JsEngine(n, m, p, K);
}

/** Whether the WebAssembly SIMD engine is available in this runtime. */
export function wasmAvailable(): boolean {
  return getModule() !== null;
}

/** Which inner loop runs kernels of ≥ WASM_MIN_ENTRIES entries. */
export function engineKind(): 'wasm-simd-fma' | 'wasm-simd' | 'js' {
  if (getModule() === null) return 'js';
  return wasmFma ? 'wasm-simd-fma' : 'wasm-simd';
}

/** The hand-assembled module's bytes (for tests and inspection). */
export function engineModuleBytes(fma: boolean): Uint8Array {
  return assemble(fma);
}
