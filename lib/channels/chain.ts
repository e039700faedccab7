/**
 * Link glue for the codebook paper (docs/papers/codebook.md#system, Fig. 1): m-bit indices → bits → optional LDPC → Gray M-QAM →
 * AWGN or Rayleigh → demapping (→ BP decoding) → bits → indices. Each stage is one of this module's
 * functions; `transmitBits` only wires them.
 *
 * `snrDb` is Es/N0 per channel symbol (average over the fading). To fix Eb/N0 per information bit instead,
 * convert with ebNoToEsNo(ebNoDb, log2 M, code rate).
 * Receiver CSI: `csi: true` (default) gives the demapper the true h (coherent detection, y·conj(h)/|h|², noise N0/|h|²).
 * `csi: false` demaps y as if h = 1 — no phase or amplitude compensation, so under Rayleigh fading (uniform
 * phase) the BER tends to ½: the reference point "fading without channel knowledge".
 */
import { assertFiniteNumber, assertInteger, assertObject, assertOneOf, assertRng } from '../core/index.js';
import { type RngOption, assertBits, bitsToIndices, countBitErrors, indicesToBits, randomBits } from './bits.js';
import { awgn, rayleigh } from './channel.js';
import type { ComplexArray } from './complex.js';
import { type LdpcDecodeOptions, QcLdpcCode } from './ldpc.js';
import { type LlrMethod, type ModulationOrder, MODULATION_ORDERS, demodulateHard, demodulateLlr, hardDecision, modulate } from './modem.js';
import type { BerTrial } from './montecarlo.js';

export type LinkChannel = 'awgn' | 'rayleigh';

export interface LinkOptions {
  /** Modulation order (default 64: the paper's 64-QAM). */
  readonly M?: ModulationOrder;
  /** Es/N0 per channel symbol in dB. */
  readonly snrDb: number;
  /** Default 'rayleigh'. */
  readonly channel?: LinkChannel;
  /** Fading coherence length in symbols (default 1: i.i.d. flat fading). */
  readonly blockLength?: number;
  /** Receiver knows h (default true). */
  readonly csi?: boolean;
  /** Optional channel code, e.g. ieee80211nLdpc(648); messages are zero-padded to whole codewords. */
  readonly ldpc?: QcLdpcCode;
  readonly ldpcOptions?: LdpcDecodeOptions;
  /** Demapper for the coded path (default 'exact'); the uncoded path uses hard minimum-distance decisions. */
  readonly llrMethod?: LlrMethod;
}

/** A link's settings and the generator that draws its noise and fading. */
export interface TransmitOptions extends LinkOptions, RngOption {}

/** transmitIndices: the link, the generator, and the bits per index. */
export interface TransmitIndicesOptions extends TransmitOptions {
  /** Bits per index, 1..31 (MSB first). */
  readonly mBits: number;
}

export interface LinkResult {
  /** Received information bits (same length as sent). */
  readonly bits: Uint8Array;
  readonly bitErrors: number;
  readonly ber: number;
  /** Hard-decision BER of the coded bits before decoding (equals `ber` when uncoded). */
  readonly rawBer: number;
  /** Codewords whose syndrome check failed (0 when uncoded). */
  readonly failedCodewords: number;
  readonly codewords: number;
  readonly symbols: number;
}

function pad(bits: Uint8Array, multiple: number): Uint8Array {
  const len = Math.ceil(bits.length / multiple) * multiple;
  if (len === bits.length) return bits;
  const out = new Uint8Array(len);
  out.set(bits);
  return out;
}

function checkLink(opts: LinkOptions): Required<Pick<LinkOptions, 'M' | 'channel' | 'blockLength' | 'csi' | 'llrMethod'>> {
  assertObject('options', opts);
  const M = opts.M ?? 64;
  const channel = opts.channel ?? 'rayleigh';
  assertOneOf('M', M, MODULATION_ORDERS);
  assertFiniteNumber('snrDb', opts.snrDb);
  assertOneOf('channel', channel, ['awgn', 'rayleigh'] as const);
  const blockLength = opts.blockLength ?? 1;
  if (blockLength !== Infinity) assertInteger('blockLength', blockLength, 1);
  if (opts.ldpc !== undefined && !(opts.ldpc instanceof QcLdpcCode)) throw new TypeError('ldpc must be a QcLdpcCode');
  const llrMethod = opts.llrMethod ?? 'exact';
  assertOneOf('llrMethod', llrMethod, ['exact', 'maxlog'] as const);
  const csi = opts.csi ?? true;
  if (typeof csi !== 'boolean') throw new TypeError(`csi must be true or false, got ${String(csi)}`);
  if (opts.ldpcOptions !== undefined) assertObject('ldpcOptions', opts.ldpcOptions);
  return { M, channel, blockLength, csi, llrMethod };
}

/** Sends information bits through the (coded) modem and channel; returns what the receiver decides. */
export function transmitBits(bits: Uint8Array, opts: TransmitOptions): LinkResult {
  assertBits('bits', bits);
  const { M, channel, blockLength, csi, llrMethod } = checkLink(opts);
  const { rng } = opts;
  assertRng('rng', rng);
  const code = opts.ldpc;
  const k = Math.log2(M);
  const info = code ? pad(bits, code.k) : bits;
  const codewords = code ? info.length / code.k : 0;
  let coded = info;
  if (code) {
    coded = new Uint8Array(codewords * code.n);
    for (let f = 0; f < codewords; f++) coded.set(code.encode(info.subarray(f * code.k, (f + 1) * code.k)), f * code.n);
  }
  const tx = pad(coded, k);
  const x = modulate(tx, M);
  let y: ComplexArray;
  let noiseVar: number;
  let h: ComplexArray | undefined;
  if (channel === 'awgn') ({ y, noiseVar } = awgn(x, { snrDb: opts.snrDb, rng }));
  else ({ y, noiseVar, h } = rayleigh(x, { snrDb: opts.snrDb, rng, blockLength }));
  const hRx = csi ? h : undefined;
  let rxInfo: Uint8Array;
  let rawErrors: number;
  let failed = 0;
  if (!code) {
    rxInfo = demodulateHard(y, M, { h: hRx }).subarray(0, bits.length);
    rawErrors = countBitErrors(rxInfo, bits);
  } else {
    const llr = demodulateLlr(y, M, noiseVar, { h: hRx, method: llrMethod }).subarray(0, coded.length);
    rawErrors = countBitErrors(hardDecision(llr), coded);
    const dec = new Uint8Array(info.length);
    for (let f = 0; f < codewords; f++) {
      const res = code.decode(llr.slice(f * code.n, (f + 1) * code.n), opts.ldpcOptions);
      if (!res.converged) failed++;
      dec.set(res.message, f * code.k);
    }
    rxInfo = dec.subarray(0, bits.length);
  }
  const bitErrors = countBitErrors(rxInfo, bits);
  return {
    bits: rxInfo.slice(),
    bitErrors,
    ber: bits.length ? bitErrors / bits.length : 0,
    rawBer: coded.length ? rawErrors / coded.length : 0,
    failedCodewords: failed,
    codewords,
    symbols: x.re.length,
  };
}

export interface IndexLinkResult extends LinkResult {
  /** Received m-bit indices. */
  readonly indices: Uint32Array;
  /** Fraction of indices received wrong. */
  readonly indexErrorRate: number;
}

/** The codebook paper's chain: VQ indices of `mBits` bits each, MSB first, through `transmitBits`. */
export function transmitIndices(indices: ArrayLike<number>, opts: TransmitIndicesOptions): IndexLinkResult {
  assertObject('options', opts);
  const { mBits } = opts;
  const bits = indicesToBits(indices, mBits);
  const res = transmitBits(bits, opts);
  const rx = bitsToIndices(res.bits, mBits);
  let wrong = 0;
  for (let i = 0; i < rx.length; i++) if (rx[i] !== indices[i]) wrong++;
  return { ...res, indices: rx, indexErrorRate: rx.length ? wrong / rx.length : 0 };
}

/** A BerTrial for simulateBer: random information bits through `transmitBits` with these options. */
export function linkTrial(opts: LinkOptions): BerTrial {
  checkLink(opts);
  return (batchBits, { rng }) => {
    const bits = randomBits(batchBits, { rng });
    const res = transmitBits(bits, { ...opts, rng });
    return { errors: res.bitErrors, bits: bits.length };
  };
}
