/**
 * Channels as small composable functions (Sionna style: signal in, signal out, one seeded Rng passed in as the
 * `rng` field of the options, like every random function of this package: `awgn(x, { snrDb, rng })`).
 *
 * SNR convention: complex baseband, SNR = Es/N0 where Es is the average symbol energy E|x|² (1 for the modems
 * of this module, or measured with `signalPower: 'measured'`) and the noise is CN(0, N0), i.e. N0/2 per real
 * dimension. For BPSK Es/N0 = Eb/N0; for M-QAM Eb/N0 = Es/N0 / log2 M; with a rate-R code Es/N0 = R·log2M·Eb/N0.
 *
 * Fading: y = h·x + n with h ~ CN(0, 1) (E|h|² = 1, so the average received SNR equals the nominal SNR).
 * `blockLength` = coherence length in symbols: h is constant over consecutive blocks of that many symbols and
 * independent between blocks (1 = fast i.i.d. Rayleigh, Infinity = one h for the whole call).
 *
 * Receiver CSI (the channel functions only produce y and h; the receiver decides what to use):
 * - with CSI: pass `h` to demodulateHard/demodulateLlr (likelihood exp(−|y − h s|²/N0)), or equalise first with
 *   `equalize(y, h, N0)` (y·conj(h)/|h|², per-symbol noise N0/|h|²) and demap without h — the two are identical.
 * - without CSI: demap y directly (no `h`): the receiver assumes h = 1 and compensates neither phase nor
 *   amplitude, with LLRs computed for noise N0. Under Rayleigh fading (uniform phase) this is a coin flip for
 *   BPSK/QPSK and the axis MSBs of QAM.
 */
import { assertFiniteNumber, assertInRange, assertInteger, assertObject, assertPositive, assertRng,
  assertSize } from '../core/index.js';
import { assertBits, type RngOption } from './bits.js';
import { type ComplexArray, assertComplex, averagePower } from './complex.js';

/** dB → linear ratio. */
export function dbToLinear(db: number): number {
  assertFiniteNumber('db', db);
  return 10 ** (db / 10);
}

/** N0 for a given Es/N0 in dB and signal energy Es (default 1). */
export function noiseVariance(snrDb: number, signalPower = 1): number {
  assertFiniteNumber('snrDb', snrDb);
  assertFiniteNumber('signalPower', signalPower);
  if (signalPower <= 0) throw new RangeError(`signalPower must be > 0, got ${signalPower}`);
  return signalPower / dbToLinear(snrDb);
}

/** Es/N0 (dB) for a given Eb/N0 (dB), bits per symbol and code rate. */
export function ebNoToEsNo(ebNoDb: number, bitsPerSymbol: number, codeRate = 1): number {
  assertFiniteNumber('ebNoDb', ebNoDb);
  assertInteger('bitsPerSymbol', bitsPerSymbol, 1, 64);
  assertInRange('codeRate', codeRate, Number.MIN_VALUE, 1);
  return ebNoDb + 10 * Math.log10(bitsPerSymbol * codeRate);
}

export interface AwgnOptions {
  /** Es used to set N0 = Es/(Es/N0): a number (default 1, the nominal unit-energy modem) or 'measured' (mean |x|²). */
  readonly signalPower?: number | 'measured';
}

export interface AwgnChannelOptions extends AwgnOptions, RngOption {
  /** Es/N0 in dB. */
  readonly snrDb: number;
}

function signalPowerOf(x: ComplexArray, sp: unknown): number {
  if (sp === undefined) return 1;
  if (sp === 'measured') return averagePower(x);
  if (typeof sp !== 'number' || !Number.isFinite(sp) || sp <= 0) {
    throw new RangeError(`signalPower must be a number > 0 or 'measured', got ${String(sp)}`);
  }
  return sp;
}

export interface AwgnResult {
  readonly y: ComplexArray;
  /** N0 actually used (the complex noise variance). */
  readonly noiseVar: number;
}

/** Complex AWGN at Es/N0 = snrDb. */
export function awgn(x: ComplexArray, opts: AwgnChannelOptions): AwgnResult {
  assertComplex('x', x);
  assertObject('options', opts);
  const { snrDb, rng } = opts;
  assertFiniteNumber('snrDb', snrDb);
  assertRng('rng', rng);
  const noiseVar = noiseVariance(snrDb, signalPowerOf(x, opts.signalPower));
  const sigma = Math.sqrt(noiseVar / 2);
  const n = x.re.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = x.re[i] + sigma * rng.normal();
    im[i] = x.im[i] + sigma * rng.normal();
  }
  return { y: { re, im }, noiseVar };
}

export interface FadingOptions {
  /** Coherence block length in symbols (integer ≥ 1 or Infinity); default 1 (i.i.d. flat fading). */
  readonly blockLength?: number;
}

export interface FadingCoefficientOptions extends FadingOptions, RngOption {}

export interface RayleighOptions extends FadingOptions, AwgnChannelOptions {}

function checkBlockLength(b: number): void {
  if (b !== Infinity) assertInteger('blockLength', b, 1);
}

/** n ≤ MAX_ELEMENTS Rayleigh coefficients h ~ CN(0, 1), constant over blocks of `blockLength` symbols. */
export function rayleighCoefficients(n: number, opts: FadingCoefficientOptions): ComplexArray {
  assertSize('n', n);
  assertObject('options', opts);
  const { rng } = opts;
  assertRng('rng', rng);
  const block = opts.blockLength ?? 1;
  checkBlockLength(block);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const s = Math.SQRT1_2;
  let hr = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    if (i % block === 0) {
      hr = s * rng.normal();
      hi = s * rng.normal();
    }
    re[i] = hr;
    im[i] = hi;
  }
  return { re, im };
}

/** Multiply x by h element-wise (no noise). */
export function applyFading(x: ComplexArray, h: ComplexArray): ComplexArray {
  assertComplex('x', x);
  assertComplex('h', h);
  if (h.re.length !== x.re.length) throw new RangeError(`h must have the length of x (${x.re.length}), got ${h.re.length}`);
  const n = x.re.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = h.re[i] * x.re[i] - h.im[i] * x.im[i];
    im[i] = h.re[i] * x.im[i] + h.im[i] * x.re[i];
  }
  return { re, im };
}

export interface RayleighResult extends AwgnResult {
  /** The fading coefficients (what a receiver with perfect CSI knows). */
  readonly h: ComplexArray;
}

/**
 * y = h·x + n: Rayleigh flat/block fading followed by AWGN at average Es/N0 = snrDb (Es of x, since E|h|² = 1;
 * 'measured' uses mean |x|² of the input, before fading).
 */
export function rayleigh(x: ComplexArray, opts: RayleighOptions): RayleighResult {
  assertComplex('x', x);
  assertObject('options', opts);
  const { snrDb, rng } = opts;
  assertFiniteNumber('snrDb', snrDb);
  assertRng('rng', rng);
  const signalPower = signalPowerOf(x, opts.signalPower);
  const h = rayleighCoefficients(x.re.length, { rng, blockLength: opts.blockLength });
  const { y, noiseVar } = awgn(applyFading(x, h), { snrDb, rng, signalPower });
  return { y, noiseVar, h };
}

export interface Equalised {
  /** y·conj(h)/|h|² (zero-forcing; for flat fading this loses nothing). */
  readonly y: ComplexArray;
  /** Effective noise variance per symbol: N0/|h|² (Infinity where h = 0). */
  readonly noiseVar: Float64Array;
}

/** Zero-forcing equalisation with perfect CSI; feed the result to the demappers without `h`. */
export function equalize(y: ComplexArray, h: ComplexArray, noiseVar: number): Equalised {
  assertComplex('y', y);
  assertComplex('h', h);
  if (h.re.length !== y.re.length) throw new RangeError(`h must have the length of y (${y.re.length}), got ${h.re.length}`);
  assertPositive('noiseVar', noiseVar);
  const n = y.re.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const nv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = h.re[i] * h.re[i] + h.im[i] * h.im[i];
    if (g === 0) {
      nv[i] = Infinity;
      continue;
    }
    re[i] = (y.re[i] * h.re[i] + y.im[i] * h.im[i]) / g;
    im[i] = (y.im[i] * h.re[i] - y.re[i] * h.im[i]) / g;
    nv[i] = noiseVar / g;
  }
  return { y: { re, im }, noiseVar: nv };
}

export interface BscOptions extends RngOption {
  /** Crossover probability ∈ [0, 0.5]. */
  readonly eps: number;
}

/** Binary symmetric channel: each bit flipped independently with probability eps ∈ [0, 0.5]. */
export function bsc(bits: Uint8Array, opts: BscOptions): Uint8Array {
  assertBits('bits', bits);
  assertObject('options', opts);
  const { eps, rng } = opts;
  assertInRange('eps', eps, 0, 0.5);
  assertRng('rng', rng);
  const out = new Uint8Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = bits[i] ^ (rng.uniform() < eps ? 1 : 0);
  return out;
}
