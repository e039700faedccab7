/**
 * BPSK and Gray-mapped square M-QAM (M = 4, 16, 64), unit average symbol energy Es = E|s|² = 1.
 *
 * Labelling: a symbol carries k = log2 M bits b_0..b_{k-1} (MSB first). For QAM the first k/2 bits select the
 * in-phase level and the last k/2 the quadrature level; on each axis the L = √M levels are
 * a_l = (L−1−2l)·d, l = 0..L−1, and level l carries the Gray code l ⊕ (l >> 1), so neighbouring levels (and
 * hence horizontally/vertically adjacent points) differ in exactly one bit. d = √(3 / (2(M−1))) gives Es = 1.
 * BPSK: bit 0 → +1, bit 1 → −1 on the real axis (imaginary part 0).
 *
 * LLR convention: L(b) = ln P(b=0 | y) / P(b=1 | y) (equal priors), so L > 0 ⇔ decide 0.
 * Noise convention: complex AWGN CN(0, N0) (variance N0/2 per real dimension); `noiseVar` = N0.
 * Since the noise is circular and the axes carry disjoint bits, the per-axis LLR is the exact
 * (full-constellation) LLR; 'maxlog' replaces log-sum-exp by max.
 */
import { assertObject, assertOneOf, assertPositive, describe } from '../core/index.js';
import { assertBits } from './bits.js';
import { type ComplexArray, assertComplex } from './complex.js';

export type ModulationOrder = 2 | 4 | 16 | 64;
export const MODULATION_ORDERS: readonly ModulationOrder[] = [2, 4, 16, 64];
export type LlrMethod = 'exact' | 'maxlog';

/** One axis of the constellation: levels (amplitudes) and the Gray label of each level. */
interface Axis {
  readonly levels: number; // L
  readonly bits: number; // log2 L
  readonly amp: Float64Array; // amplitude of level l
  readonly label: Uint8Array; // Gray label of level l
  readonly step: number; // d: half the spacing between neighbouring levels
}

export interface Constellation {
  readonly M: ModulationOrder;
  readonly bitsPerSymbol: number;
  /** Point with bit label s (MSB first) is (re[s], im[s]). */
  readonly re: Float64Array;
  readonly im: Float64Array;
}

const gray = (l: number): number => l ^ (l >> 1);

function axisOf(M: ModulationOrder): Axis {
  const L = M === 2 ? 2 : Math.round(Math.sqrt(M));
  const d = M === 2 ? 1 : Math.sqrt(3 / (2 * (M - 1)));
  const amp = new Float64Array(L);
  const label = new Uint8Array(L);
  for (let l = 0; l < L; l++) {
    amp[l] = (L - 1 - 2 * l) * d;
    label[l] = gray(l);
  }
  return { levels: L, bits: Math.log2(L), amp, label, step: d };
}

const AXES = new Map<ModulationOrder, Axis>(MODULATION_ORDERS.map((M) => [M, axisOf(M)]));

function axisFor(M: unknown): Axis {
  assertOneOf('M', M as number, MODULATION_ORDERS);
  return AXES.get(M as ModulationOrder) as Axis;
}

export function bitsPerSymbol(M: ModulationOrder): number {
  axisFor(M);
  return Math.log2(M);
}

/** The full constellation indexed by bit label. */
export function constellation(M: ModulationOrder): Constellation {
  const ax = axisFor(M);
  const k = Math.log2(M);
  const re = new Float64Array(M);
  const im = new Float64Array(M);
  const levelOfLabel = new Uint8Array(ax.levels);
  for (let l = 0; l < ax.levels; l++) levelOfLabel[ax.label[l]] = l;
  for (let s = 0; s < M; s++) {
    if (M === 2) {
      re[s] = ax.amp[levelOfLabel[s]];
    } else {
      re[s] = ax.amp[levelOfLabel[s >> (k / 2)]];
      im[s] = ax.amp[levelOfLabel[s & ((1 << (k / 2)) - 1)]];
    }
  }
  return { M, bitsPerSymbol: k, re, im };
}

/** Bits (length a multiple of log2 M) → unit-energy symbols. */
export function modulate(bits: Uint8Array, M: ModulationOrder): ComplexArray {
  const c = constellation(M);
  assertBits('bits', bits);
  const k = c.bitsPerSymbol;
  if (bits.length % k !== 0) throw new RangeError(`bits.length must be a multiple of log2(M)=${k}, got ${bits.length}`);
  const n = bits.length / k;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let b = 0; b < k; b++) s = (s << 1) | bits[i * k + b];
    re[i] = c.re[s];
    im[i] = c.im[s];
  }
  return { re, im };
}

export interface DemapOptions {
  /** Per-symbol channel coefficients (receiver CSI). The demapper then works on y/h with noise N0/|h|². */
  readonly h?: ComplexArray;
}

export interface LlrOptions extends DemapOptions {
  /** 'exact' (log-sum-exp, default) or 'maxlog'. */
  readonly method?: LlrMethod;
}

/** Per-symbol coherent combining target: z = y·conj(h)/|h|² and gain g = |h|² (g = 1 without CSI). */
class Equaliser {
  zr = 0;
  zi = 0;
  g = 1;
  constructor(private readonly y: ComplexArray, private readonly h: ComplexArray | undefined) {}
  at(i: number): void {
    const { y, h } = this;
    if (!h) {
      this.zr = y.re[i];
      this.zi = y.im[i];
      return;
    }
    const hr = h.re[i];
    const hi = h.im[i];
    const g = hr * hr + hi * hi;
    this.g = g;
    if (g === 0) {
      this.zr = 0;
      this.zi = 0;
      return;
    }
    this.zr = (y.re[i] * hr + y.im[i] * hi) / g;
    this.zi = (y.im[i] * hr - y.re[i] * hi) / g;
  }
}

function checkInputs(y: ComplexArray, h: ComplexArray | undefined): void {
  assertComplex('y', y);
  if (h !== undefined) {
    assertComplex('h', h);
    if (h.re.length !== y.re.length) throw new RangeError(`h must have the length of y (${y.re.length}), got ${h.re.length}`);
  }
}

/** Nearest-level decision on one axis → Gray label. */
function hardAxis(ax: Axis, z: number): number {
  let l = Math.round((ax.levels - 1 - z / ax.step) / 2);
  if (l < 0) l = 0;
  else if (l > ax.levels - 1) l = ax.levels - 1;
  return ax.label[l];
}

/** Minimum-distance (ML for flat fading with CSI) hard decisions → bits. */
export function demodulateHard(y: ComplexArray, M: ModulationOrder, opts: DemapOptions = {}): Uint8Array {
  const ax = axisFor(M);
  assertObject('options', opts);
  checkInputs(y, opts.h);
  const k = Math.log2(M);
  const n = y.re.length;
  const out = new Uint8Array(n * k);
  const eq = new Equaliser(y, opts.h);
  for (let i = 0; i < n; i++) {
    eq.at(i);
    const labelI = hardAxis(ax, eq.zr);
    for (let b = 0; b < ax.bits; b++) out[i * k + b] = (labelI >> (ax.bits - 1 - b)) & 1;
    if (M === 2) continue;
    const labelQ = hardAxis(ax, eq.zi);
    for (let b = 0; b < ax.bits; b++) out[i * k + ax.bits + b] = (labelQ >> (ax.bits - 1 - b)) & 1;
  }
  return out;
}

/** LLRs of the axis bits at coordinate z with metric −(z−a)²·w, written to out[offset..]. */
function llrAxis(ax: Axis, z: number, w: number, exact: boolean, out: Float64Array, offset: number, metric: Float64Array, expo: Float64Array): void {
  let best = -Infinity;
  for (let l = 0; l < ax.levels; l++) {
    const e = z - ax.amp[l];
    metric[l] = -e * e * w;
    if (metric[l] > best) best = metric[l];
  }
  // one exp per level, shared by all bits of the axis
  if (exact) for (let l = 0; l < ax.levels; l++) expo[l] = Math.exp(metric[l] - best);
  for (let b = 0; b < ax.bits; b++) {
    const shift = ax.bits - 1 - b;
    let m0 = -Infinity;
    let m1 = -Infinity;
    let s0 = 0;
    let s1 = 0;
    for (let l = 0; l < ax.levels; l++) {
      if ((ax.label[l] >> shift) & 1) {
        if (metric[l] > m1) m1 = metric[l];
        s1 += expo[l];
      } else {
        if (metric[l] > m0) m0 = metric[l];
        s0 += expo[l];
      }
    }
    // a group sum underflows only when its best term is > 700 nats below the winner: max-log is exact to ln(L/2) there
    out[offset + b] = exact && s0 > 0 && s1 > 0 ? Math.log(s0 / s1) : m0 - m1;
  }
}

/**
 * Soft demapping: LLRs ln P(b=0|y)/P(b=1|y) for every bit, given the noise variance N0 (a number, or one
 * value per symbol). With `h`, the likelihood is p(y | s) ∝ exp(−|y − h s|²/N0) (perfect receiver CSI).
 */
export function demodulateLlr(y: ComplexArray, M: ModulationOrder, noiseVar: number | Float64Array, opts: LlrOptions = {}): Float64Array {
  const ax = axisFor(M);
  assertObject('options', opts);
  checkInputs(y, opts.h);
  const n = y.re.length;
  if (typeof noiseVar === 'number') assertPositive('noiseVar', noiseVar);
  else if (!(noiseVar instanceof Float64Array)) {
    throw new TypeError(
      `noiseVar must be a positive number or a Float64Array of length ${n}, got ${describe(noiseVar)}`,
    );
  } else if (noiseVar.length !== n) {
    throw new RangeError(
      `noiseVar must be a positive number or a Float64Array of length ${n}, got length ${noiseVar.length}`,
    );
  }
  const method = opts.method ?? 'exact';
  assertOneOf('method', method, ['exact', 'maxlog'] as const);
  const exact = method === 'exact';
  const k = Math.log2(M);
  const out = new Float64Array(n * k);
  const metric = new Float64Array(ax.levels);
  const expo = new Float64Array(ax.levels);
  const eq = new Equaliser(y, opts.h);
  for (let i = 0; i < n; i++) {
    const n0 = typeof noiseVar === 'number' ? noiseVar : noiseVar[i];
    // Infinity is allowed (h = 0 after equalisation): the symbol then carries no information, LLR = 0
    if (!(n0 > 0)) throw new RangeError(`noiseVar[${i}] must be > 0, got ${n0}`);
    eq.at(i);
    const w = eq.g / n0; // per-real-dimension metric weight: |h|²/N0
    llrAxis(ax, eq.zr, w, exact, out, i * k, metric, expo);
    if (M !== 2) llrAxis(ax, eq.zi, w, exact, out, i * k + ax.bits, metric, expo);
  }
  return out;
}

/** Hard decisions from LLRs (L < 0 → 1; ±Infinity are certain decisions, NaN is refused). */
export function hardDecision(llr: Float64Array): Uint8Array {
  if (!(llr instanceof Float64Array)) throw new TypeError(`llr must be a Float64Array, got ${describe(llr)}`);
  const out = new Uint8Array(llr.length);
  for (let i = 0; i < llr.length; i++) {
    if (Number.isNaN(llr[i])) throw new RangeError(`llr[${i}] must be a number, got NaN`);
    out[i] = llr[i] < 0 ? 1 : 0;
  }
  return out;
}
