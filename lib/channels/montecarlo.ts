/**
 * Monte-Carlo bit-error-rate estimation in batches with a stopping rule (target error count or bit budget),
 * and Wilson score intervals.
 *
 * The interval treats the unit of sampling as independent Bernoulli trials. Bit errors within one symbol (and
 * within one fading block) are correlated, which makes a per-bit interval too narrow; pass
 * `bitsPerIndependentUnit` (e.g. log2 M, or log2 M · blockLength under block fading) to compute the interval on
 * that many bits per trial: a conservative (wider) interval whatever the correlation inside a unit.
 */
import { type Rng, assertFiniteNumber, assertFunction, assertInRange, assertInteger, assertObject,
  assertRng } from '../core/index.js';
import { erfc } from './ber.js';

/** Standard-normal quantile Φ⁻¹(p) (Acklam's rational approximation, refined by one Halley step on erfc). */
export function normalQuantile(p: number): number {
  assertFiniteNumber('p', p);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Wilson score interval for `successes` out of `trials` at two-sided `confidence`. */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): [number, number] {
  assertFiniteNumber('successes', successes);
  if (typeof trials !== 'number' || !Number.isFinite(trials) || trials <= 0) {
    throw new RangeError(`trials must be a finite number > 0, got ${String(trials)}`);
  }
  if (successes < 0 || successes > trials) throw new RangeError(`successes must be in [0, trials=${trials}], got ${successes}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const z = normalQuantile(0.5 + confidence / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** One batch of a simulation: how many bits were sent and how many were wrong. */
export interface BatchOutcome {
  readonly errors: number;
  readonly bits: number;
}

/** Runs one batch of about `batchBits` bits (the trial decides the exact count), drawing from `rng`. */
export type BerTrial = (batchBits: number, opts: { readonly rng: Rng }) => BatchOutcome;

/** The most bits one simulateBer call sends (maxBits, targetErrors): 1e10, hours of simulation already. */
export const MAX_SIMULATED_BITS = 1e10;

/** The most bits one batch may request (batchBits): 2^24. */
export const MAX_BATCH_BITS = 2 ** 24;

export interface SimulateBerOptions {
  readonly rng: Rng;
  /** Stop once this many bit errors were counted (default 1000; at most MAX_SIMULATED_BITS). */
  readonly targetErrors?: number;
  /** Stop once this many bits were sent (default 1e7; at most MAX_SIMULATED_BITS). */
  readonly maxBits?: number;
  /** Bits requested per batch (default 10 000; at most MAX_BATCH_BITS). */
  readonly batchBits?: number;
  /** Confidence of `ci` (default 0.95); `ci95` is always at 95 %. */
  readonly confidence?: number;
  /** Bits per independent unit for the intervals (default 1); see the module comment. */
  readonly bitsPerIndependentUnit?: number;
}

export interface BerEstimate {
  readonly ber: number;
  readonly errors: number;
  readonly bits: number;
  readonly batches: number;
  /** Wilson 95 % interval. */
  readonly ci95: [number, number];
  /** Wilson interval at `confidence`. */
  readonly ci: [number, number];
  readonly confidence: number;
  /** True when the run stopped on targetErrors (false: on maxBits). */
  readonly reachedTarget: boolean;
}

/** Repeats `trial` until targetErrors or maxBits, then returns the BER and its confidence intervals. */
export function simulateBer(trial: BerTrial, opts: SimulateBerOptions): BerEstimate {
  assertFunction('trial', trial);
  assertObject('options', opts);
  const { rng } = opts;
  assertRng('rng', rng);
  const targetErrors = opts.targetErrors ?? 1000;
  const maxBits = opts.maxBits ?? 1e7;
  const batchBits = opts.batchBits ?? 10_000;
  const confidence = opts.confidence ?? 0.95;
  const unit = opts.bitsPerIndependentUnit ?? 1;
  assertInteger('targetErrors', targetErrors, 1, MAX_SIMULATED_BITS);
  assertInRange('maxBits', maxBits, 1, MAX_SIMULATED_BITS);
  assertInteger('batchBits', batchBits, 1, MAX_BATCH_BITS);
  assertInRange('bitsPerIndependentUnit', unit, Number.MIN_VALUE, MAX_BATCH_BITS);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  let errors = 0;
  let bits = 0;
  let batches = 0;
  while (errors < targetErrors && bits < maxBits) {
    const out = trial(Math.min(batchBits, Math.max(1, Math.ceil(maxBits - bits))), { rng });
    if (out === null || typeof out !== 'object' || !(out.bits > 0) || !(out.errors >= 0) || out.errors > out.bits) {
      throw new RangeError(`trial must return 0 <= errors <= bits with bits > 0, got ${JSON.stringify(out)}`);
    }
    errors += out.errors;
    bits += out.bits;
    batches++;
  }
  const ci = (c: number): [number, number] => wilsonInterval(errors / unit, bits / unit, c);
  return { ber: errors / bits, errors, bits, batches, ci95: ci(0.95), ci: ci(confidence), confidence, reachedTarget: errors >= targetErrors };
}
