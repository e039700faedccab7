/**
 * Quasi-cyclic LDPC codes: IEEE 802.11n/ac rate-1/2 codes (n = 648, 1296, 1944), a linear-time systematic
 * encoder exploiting the dual-diagonal parity part, and a flooding belief-propagation decoder on LLRs
 * (sum-product or normalised min-sum) with early stop on a zero syndrome.
 *
 * Base-matrix convention (as in the standard): entry s ≥ 0 is the Z×Z identity cyclically shifted right by s
 * (block row r has its 1 in block column (r + s) mod Z); −1 is the all-zero block. Codeword c = [u | p]:
 * the first k bits are the message (systematic), then the parity blocks in base-matrix column order.
 * LLR convention: ln P(c=0)/P(c=1), positive ⇒ 0 (the modem demappers' convention).
 */
import { assertInRange, assertInteger, assertOneOf } from '../core/index.js';
import { assertBits } from './bits.js';

// IEEE Std 802.11n-2009 Annex R "LDPC matrix definitions" (carried unchanged into 802.11-2012/ac/ax), rate 1/2.
// Transcribed from two independent public listings that agree entry for entry: tavildar/LDPC
// LdpcM/LDPCCode.m (H_648_1_2, H_1296_1_2, H_1944_1_2) and an IEEE P802.11n/D11.0 Annex R transcription
// (Tables R.1(a), R.2(a), R.3(a)); the n = 648 matrix also matches several MATLAB scripts citing "IEEE 802.11n HT LDPC".
const _ = -1;
export const IEEE80211N_R12_BASE: Readonly<Record<648 | 1296 | 1944, readonly (readonly number[])[]>> = {
  648: [
    [0, _, _, _, 0, 0, _, _, 0, _, _, 0, 1, 0, _, _, _, _, _, _, _, _, _, _],
    [22, 0, _, _, 17, _, 0, 0, 12, _, _, _, _, 0, 0, _, _, _, _, _, _, _, _, _],
    [6, _, 0, _, 10, _, _, _, 24, _, 0, _, _, _, 0, 0, _, _, _, _, _, _, _, _],
    [2, _, _, 0, 20, _, _, _, 25, 0, _, _, _, _, _, 0, 0, _, _, _, _, _, _, _],
    [23, _, _, _, 3, _, _, _, 0, _, 9, 11, _, _, _, _, 0, 0, _, _, _, _, _, _],
    [24, _, 23, 1, 17, _, 3, _, 10, _, _, _, _, _, _, _, _, 0, 0, _, _, _, _, _],
    [25, _, _, _, 8, _, _, _, 7, 18, _, _, 0, _, _, _, _, _, 0, 0, _, _, _, _],
    [13, 24, _, _, 0, _, 8, _, 6, _, _, _, _, _, _, _, _, _, _, 0, 0, _, _, _],
    [7, 20, _, 16, 22, 10, _, _, 23, _, _, _, _, _, _, _, _, _, _, _, 0, 0, _, _],
    [11, _, _, _, 19, _, _, _, 13, _, 3, 17, _, _, _, _, _, _, _, _, _, 0, 0, _],
    [25, _, 8, _, 23, 18, _, 14, 9, _, _, _, _, _, _, _, _, _, _, _, _, _, 0, 0],
    [3, _, _, _, 16, _, _, 2, 25, 5, _, _, 1, _, _, _, _, _, _, _, _, _, _, 0],
  ],
  1296: [
    [40, _, _, _, 22, _, 49, 23, 43, _, _, _, 1, 0, _, _, _, _, _, _, _, _, _, _],
    [50, 1, _, _, 48, 35, _, _, 13, _, 30, _, _, 0, 0, _, _, _, _, _, _, _, _, _],
    [39, 50, _, _, 4, _, 2, _, _, _, _, 49, _, _, 0, 0, _, _, _, _, _, _, _, _],
    [33, _, _, 38, 37, _, _, 4, 1, _, _, _, _, _, _, 0, 0, _, _, _, _, _, _, _],
    [45, _, _, _, 0, 22, _, _, 20, 42, _, _, _, _, _, _, 0, 0, _, _, _, _, _, _],
    [51, _, _, 48, 35, _, _, _, 44, _, 18, _, _, _, _, _, _, 0, 0, _, _, _, _, _],
    [47, 11, _, _, _, 17, _, _, 51, _, _, _, 0, _, _, _, _, _, 0, 0, _, _, _, _],
    [5, _, 25, _, 6, _, 45, _, 13, 40, _, _, _, _, _, _, _, _, _, 0, 0, _, _, _],
    [33, _, _, 34, 24, _, _, _, 23, _, _, 46, _, _, _, _, _, _, _, _, 0, 0, _, _],
    [1, _, 27, _, 1, _, _, _, 38, _, 44, _, _, _, _, _, _, _, _, _, _, 0, 0, _],
    [_, 18, _, _, 23, _, _, 8, 0, 35, _, _, _, _, _, _, _, _, _, _, _, _, 0, 0],
    [49, _, 17, _, 30, _, _, _, 34, _, _, 19, 1, _, _, _, _, _, _, _, _, _, _, 0],
  ],
  1944: [
    [57, _, _, _, 50, _, 11, _, 50, _, 79, _, 1, 0, _, _, _, _, _, _, _, _, _, _],
    [3, _, 28, _, 0, _, _, _, 55, 7, _, _, _, 0, 0, _, _, _, _, _, _, _, _, _],
    [30, _, _, _, 24, 37, _, _, 56, 14, _, _, _, _, 0, 0, _, _, _, _, _, _, _, _],
    [62, 53, _, _, 53, _, _, 3, 35, _, _, _, _, _, _, 0, 0, _, _, _, _, _, _, _],
    [40, _, _, 20, 66, _, _, 22, 28, _, _, _, _, _, _, _, 0, 0, _, _, _, _, _, _],
    [0, _, _, _, 8, _, 42, _, 50, _, _, 8, _, _, _, _, _, 0, 0, _, _, _, _, _],
    [69, 79, 79, _, _, _, 56, _, 52, _, _, _, 0, _, _, _, _, _, 0, 0, _, _, _, _],
    [65, _, _, _, 38, 57, _, _, 72, _, 27, _, _, _, _, _, _, _, _, 0, 0, _, _, _],
    [64, _, _, _, 14, 52, _, _, 30, _, _, 32, _, _, _, _, _, _, _, _, 0, 0, _, _],
    [_, 45, _, 70, 0, _, _, _, 77, 9, _, _, _, _, _, _, _, _, _, _, _, 0, 0, _],
    [2, 56, _, 57, 35, _, _, _, _, _, 12, _, _, _, _, _, _, _, _, _, _, _, 0, 0],
    [24, _, 61, _, 60, _, _, 27, 51, _, _, 16, 1, _, _, _, _, _, _, _, _, _, _, 0],
  ],
};

export type LdpcAlgorithm = 'sum-product' | 'min-sum';

export interface LdpcDecodeOptions {
  /** Maximum BP iterations (default 50). */
  readonly maxIterations?: number;
  /** 'sum-product' (default) or normalised 'min-sum'. */
  readonly algorithm?: LdpcAlgorithm;
  /** Min-sum normalisation factor α ∈ (0, 1] (default 0.75). */
  readonly normalization?: number;
  /**
   * console.warn when the syndrome check fails after maxIterations. Off by default: in error-rate simulations a
   * failed frame is an expected outcome (it is reported in `converged`), not a solver malfunction.
   */
  readonly warn?: boolean;
}

export interface LdpcDecodeResult {
  /** Hard-decided codeword (n bits). */
  readonly codeword: Uint8Array;
  /** Its systematic part (the first k bits). */
  readonly message: Uint8Array;
  /** Posterior LLRs (n). */
  readonly llr: Float64Array;
  readonly iterations: number;
  /** True when H·ĉ = 0 (the syndrome check passed). */
  readonly converged: boolean;
}

/** Largest lifting size Z (802.11n uses 27..81, 5G NR up to 384). */
export const MAX_LIFTING = 4096;

/** Most BP iterations one decode may run. */
export const MAX_BP_ITERATIONS = 10_000;

const LLR_CLIP = 40; // |LLR| cap: keeps the tanh/phi rule finite without losing decisions

const TANH_MAX = Math.tanh(LLR_CLIP / 2 / 2); // caps check messages at |r| = LLR_CLIP / 2 = 20

/** A binary QC-LDPC code given by a base matrix and lifting size Z. */
export class QcLdpcCode {
  readonly n: number;
  readonly k: number;
  /** Number of parity checks (rows of H). */
  readonly checks: number;
  readonly z: number;
  readonly rate: number;
  readonly base: readonly (readonly number[])[];
  /** CSR over checks: edges of check c are checkStart[c] .. checkStart[c+1]−1, their variables edgeVar[e]. */
  readonly checkStart: Int32Array;
  readonly edgeVar: Int32Array;
  private readonly dualDiagonal: boolean;
  private readonly scratch: Float64Array;

  constructor(base: readonly (readonly number[])[], z: number) {
    assertInteger('z', z, 1, MAX_LIFTING);
    if (!Array.isArray(base) || base.length === 0) throw new RangeError('base must be a non-empty array of rows');
    if (!Array.isArray(base[0])) throw new TypeError('base must be an array of rows (arrays of shifts)');
    const nb = base[0].length;
    const mb = base.length;
    if (nb <= mb) throw new RangeError(`base must have more columns than rows, got ${mb}×${nb}`);
    for (let i = 0; i < mb; i++) {
      const row = base[i];
      if (!Array.isArray(row) || row.length !== nb) {
        throw new RangeError(`base[${i}] must have ${nb} entries, got ${row.length}`);
      }
      for (let j = 0; j < nb; j++) {
        const s = row[j];
        if (!Number.isInteger(s) || s < -1 || s >= z) throw new RangeError(`base[${i}][${j}] must be −1 or an integer in 0..${z - 1}, got ${s}`);
      }
    }
    this.base = base.map((r) => [...r]);
    this.z = z;
    this.n = nb * z;
    this.checks = mb * z;
    this.k = this.n - this.checks;
    this.rate = this.k / this.n;
    [this.checkStart, this.edgeVar] = this.buildEdges();
    this.dualDiagonal = this.detectDualDiagonal();
    this.scratch = new Float64Array(this.edgeVar.length);
  }

  private buildEdges(): [Int32Array, Int32Array] {
    const { z, base } = this;
    const start = new Int32Array(this.checks + 1);
    const vars: number[] = [];
    for (let i = 0; i < base.length; i++) {
      for (let r = 0; r < z; r++) {
        for (let j = 0; j < base[i].length; j++) {
          const s = base[i][j];
          if (s >= 0) vars.push(j * z + ((r + s) % z));
        }
        start[i * z + r + 1] = vars.length;
      }
    }
    return [start, Int32Array.from(vars)];
  }

  /** 802.11n structure: parity column kb = (x, …, 0 at one middle row, …, x), then a 0-shift dual diagonal. */
  private detectDualDiagonal(): boolean {
    const mb = this.base.length;
    const kb = this.base[0].length - mb;
    const col = this.base.map((r) => r[kb]);
    const nz = col.map((s, i) => (s >= 0 ? i : -1)).filter((i) => i >= 0);
    const mid = nz.length === 3 ? nz[1] : -1;
    let ok = nz.length === 3 && nz[0] === 0 && nz[2] === mb - 1 && col[0] === col[mb - 1] && col[mid] === 0;
    for (let j = 1; ok && j < mb; j++) {
      for (let i = 0; i < mb; i++) {
        const want = i === j - 1 || i === j ? 0 : -1;
        if (this.base[i][kb + j] !== want) ok = false;
      }
    }
    return ok;
  }

  /** Systematic encoding in O(edges): c = [u | p] with H·c = 0. */
  encode(message: Uint8Array): Uint8Array {
    assertBits('message', message);
    if (message.length !== this.k) throw new RangeError(`message must have k=${this.k} bits, got ${message.length}`);
    if (!this.dualDiagonal) throw new RangeError('base has no 802.11n-style dual-diagonal parity part: encode() unsupported');
    const { z, base } = this;
    const mb = base.length;
    const kb = base[0].length - mb;
    const c = new Uint8Array(this.n);
    c.set(message);
    // λ_i = Σ_j P^{s_ij} u_j over systematic blocks, one Z-vector per block row
    const lambda = new Uint8Array(mb * z);
    for (let i = 0; i < mb; i++) {
      for (let j = 0; j < kb; j++) {
        const s = base[i][j];
        if (s < 0) continue;
        for (let r = 0; r < z; r++) lambda[i * z + r] ^= message[j * z + ((r + s) % z)];
      }
    }
    // Summing all block rows cancels the dual diagonal and leaves P^x+I+P^x = I on p_0: p_0 = Σ_i λ_i
    const p0 = kb * z;
    for (let i = 0; i < mb; i++) for (let r = 0; r < z; r++) c[p0 + r] ^= lambda[i * z + r];
    // Row i: λ_i + P^{s_i,kb} p_0 + p_i + p_{i+1} = 0 (p_i absent for i = 0) ⇒ p_{i+1}
    for (let i = 0; i < mb - 1; i++) {
      const s = base[i][kb];
      const next = (kb + i + 1) * z;
      for (let r = 0; r < z; r++) {
        let v = lambda[i * z + r];
        if (s >= 0) v ^= c[p0 + ((r + s) % z)];
        if (i >= 1) v ^= c[(kb + i) * z + r];
        c[next + r] = v;
      }
    }
    return c;
  }

  /** Syndrome H·c mod 2 (one bit per check). */
  syndrome(codeword: Uint8Array): Uint8Array {
    if (!(codeword instanceof Uint8Array) || codeword.length !== this.n) {
      throw new RangeError(`codeword must be a Uint8Array of n=${this.n} bits`);
    }
    const out = new Uint8Array(this.checks);
    for (let ch = 0; ch < this.checks; ch++) {
      let p = 0;
      for (let e = this.checkStart[ch]; e < this.checkStart[ch + 1]; e++) p ^= codeword[this.edgeVar[e]];
      out[ch] = p & 1;
    }
    return out;
  }

  isCodeword(codeword: Uint8Array): boolean {
    return this.syndrome(codeword).every((b) => b === 0);
  }

  /** Flooding BP on channel LLRs (ln P(0)/P(1)); stops early once the hard decision satisfies H·ĉ = 0. */
  decode(channelLlr: Float64Array, opts: LdpcDecodeOptions = {}): LdpcDecodeResult {
    if (!(channelLlr instanceof Float64Array) || channelLlr.length !== this.n) {
      throw new RangeError(`channelLlr must be a Float64Array of length n=${this.n}`);
    }
    const maxIt = opts.maxIterations ?? 50;
    assertInteger('maxIterations', maxIt, 1, MAX_BP_ITERATIONS);
    const algorithm = opts.algorithm ?? 'sum-product';
    assertOneOf('algorithm', algorithm, ['sum-product', 'min-sum'] as const);
    const alpha = opts.normalization ?? 0.75;
    assertInRange('normalization', alpha, Number.MIN_VALUE, 1);
    for (let v = 0; v < this.n; v++) {
      if (Number.isNaN(channelLlr[v])) throw new RangeError(`channelLlr[${v}] must be a number, got NaN`);
    }
    const E = this.edgeVar.length;
    const q = new Float64Array(E); // variable → check
    const r = new Float64Array(E); // check → variable
    const post = new Float64Array(this.n);
    const hard = new Uint8Array(this.n);
    for (let e = 0; e < E; e++) q[e] = clip(channelLlr[this.edgeVar[e]]);
    let it = 0;
    let ok = false;
    while (it < maxIt) {
      it++;
      if (algorithm === 'min-sum') this.checkMinSum(q, r, alpha);
      else this.checkSumProduct(q, r);
      post.set(channelLlr);
      for (let e = 0; e < E; e++) post[this.edgeVar[e]] += r[e];
      for (let v = 0; v < this.n; v++) hard[v] = post[v] < 0 ? 1 : 0;
      if (this.syndromeZero(hard)) {
        ok = true;
        break;
      }
      for (let e = 0; e < E; e++) q[e] = clip(post[this.edgeVar[e]] - r[e]);
    }
    if (!ok && opts.warn) console.warn(`LDPC decoder: syndrome check failed after ${it} iterations`);
    return { codeword: hard, message: hard.slice(0, this.k), llr: post, iterations: it, converged: ok };
  }

  private syndromeZero(bits: Uint8Array): boolean {
    for (let ch = 0; ch < this.checks; ch++) {
      let p = 0;
      for (let e = this.checkStart[ch]; e < this.checkStart[ch + 1]; e++) p ^= bits[this.edgeVar[e]];
      if (p & 1) return false;
    }
    return true;
  }

  /** Tanh rule r_e = 2 atanh Π_{e'≠e} tanh(q_e'/2), leave-one-out products by prefix/suffix (no division by 0). */
  private checkSumProduct(q: Float64Array, r: Float64Array): void {
    const cs = this.checkStart;
    const t = this.scratch;
    for (let ch = 0; ch < this.checks; ch++) {
      const a = cs[ch];
      const b = cs[ch + 1];
      let prefix = 1;
      for (let e = a; e < b; e++) {
        const x = Math.exp(-q[e]); // q is clipped to ±LLR_CLIP, so x is finite
        t[e] = (1 - x) / (1 + x); // tanh(q/2) with one exp
        r[e] = prefix; // product of tanh over edges before e
        prefix *= t[e];
      }
      let suffix = 1;
      for (let e = b - 1; e >= a; e--) {
        let p = r[e] * suffix;
        suffix *= t[e];
        if (p > TANH_MAX) p = TANH_MAX;
        else if (p < -TANH_MAX) p = -TANH_MAX;
        r[e] = Math.log((1 + p) / (1 - p)); // 2 atanh(p)
      }
    }
  }

  /** Normalised min-sum: r_e = α · sign · min_{e'≠e} |q_e'|. */
  private checkMinSum(q: Float64Array, r: Float64Array, alpha: number): void {
    const cs = this.checkStart;
    for (let ch = 0; ch < this.checks; ch++) {
      let min1 = Infinity;
      let min2 = Infinity;
      let arg = -1;
      let sgn = 1;
      for (let e = cs[ch]; e < cs[ch + 1]; e++) {
        const a = Math.abs(q[e]);
        if (a < min1) {
          min2 = min1;
          min1 = a;
          arg = e;
        } else if (a < min2) min2 = a;
        if (q[e] < 0) sgn = -sgn;
      }
      for (let e = cs[ch]; e < cs[ch + 1]; e++) {
        const m = e === arg ? min2 : min1;
        r[e] = alpha * (q[e] < 0 ? -sgn : sgn) * m;
      }
    }
  }
}

function clip(x: number): number {
  return x > LLR_CLIP ? LLR_CLIP : x < -LLR_CLIP ? -LLR_CLIP : x;
}

const CACHE = new Map<number, QcLdpcCode>();

/** The IEEE 802.11n/ac rate-1/2 LDPC code of length n (648: Z = 27, 1296: Z = 54, 1944: Z = 81). */
export function ieee80211nLdpc(n: 648 | 1296 | 1944 = 648): QcLdpcCode {
  assertOneOf('n', n, [648, 1296, 1944] as const);
  let code = CACHE.get(n);
  if (!code) {
    code = new QcLdpcCode(IEEE80211N_R12_BASE[n], n / 24);
    CACHE.set(n, code);
  }
  return code;
}
