/**
 * Bandwidth bookkeeping between channel uses and source bits. One complex channel use = one QAM symbol = two real
 * channel uses. A digital link with M-QAM and code rate R carries log2(M)·R information bits per complex use
 * (64-QAM, R = 1/2: 3 bits); a capacity-achieving code on AWGN carries log2(1 + SNR) bits per complex use.
 */
import { assertFiniteNumber, assertInRange, assertNonNegative, assertObject, assertOneOf,
  assertInteger } from '../core/index.js';
import { type ModulationOrder, MODULATION_ORDERS, dbToLinear } from '../channels/index.js';

export type ChannelUseKind = 'complex' | 'real';

export interface DigitalLinkShape {
  /** Default 64. */
  readonly M?: ModulationOrder;
  /** Channel code rate in (0, 1] (default 1/2). */
  readonly codeRate?: number;
  /** Whether `channelUses` counts complex symbols (default) or real dimensions. */
  readonly uses?: ChannelUseKind;
  /**
   * Codeword length n: when given, only whole codewords count (floor to a multiple of n coded bits), so the
   * padded stream never exceeds the channel uses. Without it the budget is channelUses·log2M·R and padding the
   * last codeword may overshoot by < n coded bits.
   */
  readonly codewordLength?: number;
}

/** Largest codeword length n (bits) the budget helpers accept. */
const MAX_CODEWORD_LENGTH = 2 ** 20;

function complexUses(channelUses: number, uses: ChannelUseKind | undefined): number {
  assertNonNegative('channelUses', channelUses);
  const kind = uses === undefined ? 'complex' : uses;
  assertOneOf('uses', kind, ['complex', 'real'] as const);
  return kind === 'real' ? channelUses / 2 : channelUses;
}

function linkShape(shape: DigitalLinkShape): { bps: number; rate: number } {
  assertObject('shape', shape);
  const M = shape.M ?? 64;
  assertOneOf('M', M, MODULATION_ORDERS);
  const rate = shape.codeRate ?? 0.5;
  assertInRange('codeRate', rate, Number.MIN_VALUE, 1);
  return { bps: Math.log2(M), rate };
}

/** Source (information) bits a digital link carries in `channelUses`: floor(uses · log2 M · R). */
export function sourceBitBudget(channelUses: number, shape: DigitalLinkShape = {}): number {
  assertObject('shape', shape);
  const c = complexUses(channelUses, shape.uses);
  const { bps, rate } = linkShape(shape);
  const coded = Math.floor(c * bps + 1e-9);
  if (shape.codewordLength === undefined) return Math.floor(coded * rate + 1e-9);
  assertInteger('codewordLength', shape.codewordLength, 1, MAX_CODEWORD_LENGTH);
  const n = shape.codewordLength;
  return Math.floor(coded / n) * Math.round(n * rate);
}

/** Complex channel uses the separate link spends on `sourceBits`: whole codewords of n coded bits, then symbols. */
export function channelUsesFor(sourceBits: number, shape: DigitalLinkShape & { readonly codewordLength: number }): number {
  assertInteger('sourceBits', sourceBits, 0, Number.MAX_SAFE_INTEGER);
  const { bps, rate } = linkShape(shape);
  assertInteger('codewordLength', shape.codewordLength, 1, MAX_CODEWORD_LENGTH);
  const k = Math.round(shape.codewordLength * rate);
  if (k < 1) {
    throw new RangeError(
      `codewordLength × codeRate must be at least 1 information bit, got ${shape.codewordLength} × ${rate}`,
    );
  }
  return Math.ceil((Math.ceil(sourceBits / k) * shape.codewordLength) / bps);
}

/** Bits an AWGN channel can carry at capacity in `channelUses`: complex: N·log2(1+SNR); real: (N/2)·log2(1+SNR). */
export function capacityBitBudget(channelUses: number, snrDb: number, uses: ChannelUseKind = 'complex'): number {
  const c = complexUses(channelUses, uses);
  assertFiniteNumber('snrDb', snrDb);
  return c * Math.log2(1 + dbToLinear(snrDb));
}
