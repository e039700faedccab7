/**
 * Exact uncoded bit-error rates.
 *
 * Gray square M-QAM on AWGN, Cho & Yoon (IEEE Trans. Commun. 50(7), 2002), written with γ = Es/N0:
 *   P_b = (1/log2 L) Σ_{k=1}^{log2 L} (1/L) Σ_{i=0}^{(1−2^{−k})L−1} w_{k,i} · 2Q(√(a_i γ)),
 *   w_{k,i} = (−1)^{⌊i 2^{k−1}/L⌋} (2^{k−1} − ⌊i 2^{k−1}/L + ½⌋),  a_i = 3(2i+1)²/(M−1),  L = √M.
 * Rayleigh (h ~ CN(0,1), perfect CSI): each Q(√(aγ)) is replaced by its average over γ ~ Exp(mean γ̄),
 *   E[Q(√(aγ))] = ½(1 − √(aγ̄/(2 + aγ̄))).
 * BPSK: AWGN Q(√(2γ)); Rayleigh ½(1 − √(γ̄/(1 + γ̄))) (γ = Eb/N0 = Es/N0).
 */
import { assertFiniteNumber, assertOneOf } from '../core/index.js';
import { type ModulationOrder, MODULATION_ORDERS } from './modem.js';

export type BerChannel = 'awgn' | 'rayleigh';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Complementary error function, relative error ≲ 1e-13 (series below 3, continued fraction above). */
export function erfc(x: number): number {
  assertFiniteNumber('x', x);
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    // erf(x) = 2/√π e^{−x²} Σ_n 2^n x^{2n+1} / (1·3·…·(2n+1)): all terms positive, no cancellation
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated backwards
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Gaussian tail Q(x) = P(N(0,1) > x). */
export function qfunc(x: number): number {
  assertFiniteNumber('x', x);
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Rayleigh average of Q(√(a γ)) over γ ~ Exp(mean γ̄). */
function rayleighQ(a: number, gammaBar: number): number {
  const ag = a * gammaBar;
  return 0.5 * (1 - Math.sqrt(ag / (2 + ag)));
}

/** Exact BER of BPSK at γ = Eb/N0 = Es/N0 (linear). */
export function bpskBer(snrDb: number, channel: BerChannel = 'awgn'): number {
  assertFiniteNumber('snrDb', snrDb);
  assertOneOf('channel', channel, ['awgn', 'rayleigh'] as const);
  const g = 10 ** (snrDb / 10);
  return channel === 'awgn' ? qfunc(Math.sqrt(2 * g)) : 0.5 * (1 - Math.sqrt(g / (1 + g)));
}

/** Exact BER of Gray M-QAM (M = 2 gives BPSK) at Es/N0 = snrDb on AWGN or Rayleigh flat fading with CSI. */
export function qamBer(M: ModulationOrder, snrDb: number, channel: BerChannel): number {
  assertOneOf('M', M, MODULATION_ORDERS);
  assertFiniteNumber('snrDb', snrDb);
  assertOneOf('channel', channel, ['awgn', 'rayleigh'] as const);
  if (M === 2) return bpskBer(snrDb, channel);
  const g = 10 ** (snrDb / 10);
  const L = Math.round(Math.sqrt(M));
  const nk = Math.log2(L);
  let pb = 0;
  for (let k = 1; k <= nk; k++) {
    const p = 2 ** (k - 1);
    let s = 0;
    for (let i = 0; i <= (1 - 2 ** -k) * L - 1; i++) {
      const w = (-1) ** Math.floor((i * p) / L) * (p - Math.floor((i * p) / L + 0.5));
      const a = (3 * (2 * i + 1) ** 2) / (M - 1);
      const q = channel === 'awgn' ? qfunc(Math.sqrt(a * g)) : rayleighQ(a, g);
      s += w * 2 * q;
    }
    pb += s / L;
  }
  return pb / nk;
}
