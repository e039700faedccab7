/**
 * The ZEPE paper's experiments (Kim et al., rate–distortion with zero perception error), as functions that return
 * plain rows for figures and tables. The solvers are in lib/info; this file only sets up the paper's sources and
 * reads results off the solvers, so every number in the notebook is computed here.
 */
import {
  blahutArimoto, discretizeGaussian, entropy, gaussianDR, gaussianPerfectPerceptionDR, lemma2ClosedForm, rdCurve, rdpCurve,
  zepe, zepeCurve, zepeSemantic, type DenseMatrix,
} from '../info/index.js';
import { assertInteger, assertPositive } from '../core/index.js';

export interface DiscreteSource {
  px: Float64Array;
  distortion: DenseMatrix;
  /** The letters (reproduction alphabet = source alphabet). */
  letters: Float64Array;
}

/** Example 1: X = Y = {1..6}, P(x) = x/21, d(x, y) = (2/5)|x − y|². */
export function example1(): DiscreteSource {
  const letters = Float64Array.from({ length: 6 }, (_, i) => i + 1);
  const px = letters.map((x) => x / 21);
  return { px, letters, distortion: squaredErrorMatrix(letters, 2 / 5) };
}

export function squaredErrorMatrix(letters: Float64Array, scale = 1): DenseMatrix {
  const n = letters.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = scale * (letters[i] - letters[j]) ** 2;
  return { data, rows: n, cols: n };
}

export interface CurveRow extends Record<string, number | string | null> {
  curve: string;
  distortion: number;
  rate: number;
}

/** Linear interpolation of rate at a distortion on a curve sorted by distortion (null outside its range). */
export function rateAt(points: readonly { distortion: number; rate: number }[], d: number): number | null {
  if (points.length === 0 || d < points[0].distortion || d > points[points.length - 1].distortion) return null;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1], b = points[i];
    if (d <= b.distortion) return b.distortion === a.distortion ? Math.min(a.rate, b.rate) : a.rate + ((d - a.distortion) / (b.distortion - a.distortion)) * (b.rate - a.rate);
  }
  return points[points.length - 1].rate;
}

/** Fig. 1: conventional and ZEPE R(D) of Example 1, and the KL divergence D(P‖Q_Y) of each reconstruction. */
export function fig1(points = 240) {
  assertInteger('points', points, 8, 100_000);
  const src = example1();
  const t0 = performance.now();
  const conventional = rdCurve({ px: src.px, distortion: src.distortion, points });
  const zepePts = zepeCurve({ px: src.px, distortion: src.distortion, points });
  const seconds = (performance.now() - t0) / 1000;
  const rd: CurveRow[] = [
    ...conventional.map((p) => ({ curve: 'conventional R(D)', distortion: p.distortion, rate: p.rate })),
    ...zepePts.map((p) => ({ curve: 'ZEPE R(D)', distortion: p.distortion, rate: p.rate })),
  ];
  const kl = [
    ...conventional.map((p) => ({ curve: 'conventional', distortion: p.distortion, kl_bits: p.perceptionKL ?? null })),
    ...zepePts.map((p) => ({ curve: 'ZEPE', distortion: p.distortion, kl_bits: p.perceptionKL })),
  ];
  // Where the conventional optimum drops a reproduction letter, D(P‖Q_Y) is +∞.
  const infinite = conventional.filter((p) => p.perceptionKL === Infinity);
  const firstInfinite = infinite.length > 0 ? Math.min(...infinite.map((p) => p.distortion)) : null;
  const gaps = conventional
    .filter((p) => p.distortion > 0 && p.rate > 0)
    .map((p) => ({ distortion: p.distortion, conventional: p.rate, zepe: rateAt(zepePts, p.distortion) }))
    .filter((g): g is { distortion: number; conventional: number; zepe: number } => g.zepe !== null);
  const minGap = Math.min(...gaps.map((g) => g.zepe - g.conventional));
  const allConverged = conventional.every((p) => p.converged) && zepePts.every((p) => p.converged);
  return {
    source: src,
    rd,
    kl,
    seconds,
    summary: {
      pointsConventional: conventional.length,
      pointsZepe: zepePts.length,
      hx: entropy(src.px),
      dmaxConventional: conventional[conventional.length - 1].distortion,
      dmaxZepe: zepePts[zepePts.length - 1].distortion,
      klInfiniteFromDistortion: firstInfinite,
      maxFiniteKL: Math.max(...conventional.map((p) => p.perceptionKL ?? 0).filter(Number.isFinite)),
      maxZepeKL: Math.max(...zepePts.map((p) => p.perceptionKL)),
      minRateGapZepeMinusConventional: minGap,
      allConverged,
    },
  };
}

/** The erratum: Lemma 2's closed form (8)–(9) against the exact Sinkhorn optimum at the same λ. */
export function lemma2Erratum(lambdas: readonly number[] = [0.1, 0.3, 0.5, 1, 2, 4, 8]) {
  const src = example1();
  return lambdas.map((lambda) => {
    assertPositive('lambda', lambda);
    const closed = lemma2ClosedForm({ px: src.px, distortion: src.distortion, lambda });
    const exact = zepe({ px: src.px, distortion: src.distortion, lambda });
    return {
      lambda,
      closed_form_max_row_sum_error: closed.maxRowSumError,
      closed_form_max_marginal_error: closed.maxMarginalError,
      exact_max_row_sum_error: exact.rowSumResidual,
      exact_max_marginal_error: exact.marginalResidual,
      exact_rate_bits: exact.rate,
      exact_distortion: exact.distortion,
    };
  });
}

/**
 * "Doubling the MSE": a Gaussian N(0, σ²) discretised on n points, through Blahut–Arimoto and the ZEPE solver,
 * against D(R) = σ²2^(−2R) and the perfect-perception D_p(R) = 2σ²(1 − √(1 − 2^(−2R))).
 */
export function gaussianDoubling(opts: { n?: number; points?: number; sigma2?: number } = {}) {
  const sigma2 = opts.sigma2 ?? 1;
  const g = discretizeGaussian({ sigma2, n: opts.n ?? 81, span: 4 });
  const points = opts.points ?? 30;
  // For squared error the slope is β = 1/(2D) nats per unit distortion: aim the slopes at rates 0.05–2.5 bits
  // (where an 81-letter grid is faithful) instead of sweeping the whole curve.
  const dHi = sigma2 * 2 ** (-2 * 0.05), dLo = sigma2 * 2 ** (-2 * 2.5);
  const slopes = Array.from({ length: points }, (_, i) => 1 / (2 * dHi * (dLo / dHi) ** (i / (points - 1))));
  // Blahut's bound gap closes sublinearly on fine alphabets (the rate itself is accurate to ~1e-9): tol 1e-5 bit.
  const conv = rdCurve({ px: g.px, distortion: g.distortion, betas: slopes, tol: 1e-5 });
  const zp = zepeCurve({ px: g.px, distortion: g.distortion, lambdas: slopes.flatMap((b) => [b, 2 * b]) });
  // Compare where the discretisation is faithful: rates well below log2(n) and above 0.
  const inRange = (r: number) => r > 0.05 && r < 2.5;
  const rows: Record<string, number | string>[] = [];
  for (const p of conv) if (inRange(p.rate)) rows.push({ curve: 'conventional (discretised)', rate: p.rate, distortion: p.distortion });
  for (const p of zp) if (inRange(p.rate)) rows.push({ curve: 'ZEPE (discretised)', rate: p.rate, distortion: p.distortion });
  const grid = Array.from({ length: 60 }, (_, i) => 0.05 + (i * 2.45) / 59);
  for (const r of grid) {
    rows.push({ curve: 'D(R) = σ²2^(−2R)', rate: r, distortion: gaussianDR(g.variance, r) });
    rows.push({ curve: 'D_p(R) = 2σ²(1−√(1−2^(−2R)))', rate: r, distortion: gaussianPerfectPerceptionDR(g.variance, r) });
  }
  const ratios = zp.filter((p) => inRange(p.rate)).map((p) => {
    const dConv = distortionAtRate(conv, p.rate);
    return {
      rate: p.rate,
      ratio_discrete: dConv === null ? null : p.distortion / dConv,
      ratio_closed_form: gaussianPerfectPerceptionDR(g.variance, p.rate) / gaussianDR(g.variance, p.rate),
      zepe_vs_closed_form: p.distortion / gaussianPerfectPerceptionDR(g.variance, p.rate),
    };
  });
  return { rows, ratios, variance: g.variance, n: g.px.length };
}

/** Distortion at a rate on a curve (rates decrease with distortion). */
export function distortionAtRate(points: readonly { distortion: number; rate: number }[], r: number): number | null {
  const byRate = [...points].sort((a, b) => a.rate - b.rate);
  if (byRate.length === 0 || r < byRate[0].rate || r > byRate[byRate.length - 1].rate) return null;
  for (let i = 1; i < byRate.length; i++) {
    const a = byRate[i - 1], b = byRate[i];
    if (r <= b.rate) return b.rate === a.rate ? Math.min(a.distortion, b.distortion) : a.distortion + ((r - a.rate) / (b.rate - a.rate)) * (b.distortion - a.distortion);
  }
  return byRate[byRate.length - 1].distortion;
}

/** The R-D-P family between the two curves: R(D, δ) of Example 1 for several KL budgets δ (bits). */
export function rdpFamily(deltas: readonly number[] = [Infinity, 0.1, 0.03, 0.01, 0.001, 0], points = 40) {
  const src = example1();
  const rows: Record<string, number | string>[] = [];
  for (const delta of deltas) {
    const label = delta === Infinity ? 'δ = ∞ (conventional)' : delta === 0 ? 'δ = 0 (ZEPE)' : `δ = ${delta}`;
    for (const p of rdpCurve({ px: src.px, distortion: src.distortion, delta, points })) {
      rows.push({ curve: label, delta: delta === Infinity ? 'inf' : delta, distortion: p.distortion, rate: p.rate, kl_bits: p.perceptionKL });
    }
  }
  return rows;
}

/**
 * Lemma 3 on a semantic source: Z picks one of a few classes, each with its own P(x|z) on a shared alphabet.
 * Compares R_sc + H(Z) (send the class, then code X given Z with ZEPE per class) with plain ZEPE on the mixture.
 */
export function semanticSource(): { pz: Float64Array; pxGivenZ: DenseMatrix; letters: Float64Array; distortion: DenseMatrix } {
  const letters = Float64Array.from({ length: 12 }, (_, i) => i + 1);
  const centres = [3, 6.5, 10];
  const widths = [1.2, 1.5, 1.0];
  const pz = Float64Array.from([0.5, 0.3, 0.2]);
  const data = new Float64Array(centres.length * letters.length);
  centres.forEach((c, z) => {
    let s = 0;
    letters.forEach((x, i) => { const v = Math.exp(-((x - c) ** 2) / (2 * widths[z] ** 2)); data[z * letters.length + i] = v; s += v; });
    for (let i = 0; i < letters.length; i++) data[z * letters.length + i] /= s;
  });
  return { pz, pxGivenZ: { data, rows: centres.length, cols: letters.length }, letters, distortion: squaredErrorMatrix(letters, 0.4) };
}

export function lemma3Curves(points = 30) {
  const s = semanticSource();
  const n = s.letters.length;
  const mix = new Float64Array(n);
  for (let z = 0; z < s.pz.length; z++) for (let i = 0; i < n; i++) mix[i] += s.pz[z] * s.pxGivenZ.data[z * n + i];
  const plain = zepeCurve({ px: mix, distortion: s.distortion, points });
  const dMax = plain[plain.length - 1].distortion;
  const rows: Record<string, number | string>[] = plain.map((p) => ({ curve: 'plain ZEPE on the mixture', distortion: p.distortion, rate: p.rate }));
  // Per-class ZEPE cannot reach a distortion above the largest per-class independent-coupling distortion.
  const targets = Array.from({ length: points }, (_, i) => (dMax * (i + 0.5)) / points);
  const semantic: { distortion: number; rateSc: number; hz: number; total: number; lambda: number }[] = [];
  for (const t of targets) {
    try {
      const r = zepeSemantic({ pz: s.pz, pxGivenZ: s.pxGivenZ, distortion: s.distortion, targetDistortion: t });
      // Past the per-class maximum every target gives the same zero-rate point: keep it once.
      if (semantic.length > 0 && r.lambda === 0 && semantic[semantic.length - 1].lambda === 0) continue;
      semantic.push({ distortion: r.distortion, rateSc: r.rateSc, hz: r.hz, total: r.total, lambda: r.lambda });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err; // unreachable target for the per-class problem
    }
  }
  for (const r of semantic) {
    rows.push({ curve: 'R_sc + H(Z) (Lemma 3)', distortion: r.distortion, rate: r.total });
    rows.push({ curve: 'R_sc = I(X;Y|Z)', distortion: r.distortion, rate: r.rateSc });
  }
  return { rows, semantic, hz: entropy(s.pz), hx: entropy(mix), plainAtZeroRate: dMax };
}

/** One conventional and one ZEPE solution at the same distortion: their reconstructions' marginals side by side. */
export function marginalsAtDistortion(target: number) {
  const src = example1();
  const z = zepe({ px: src.px, distortion: src.distortion, targetDistortion: target });
  // Conventional at the same distortion: bisection on β.
  let lo = 1e-3, hi = 1e3;
  let best = blahutArimoto({ px: src.px, distortion: src.distortion, beta: Math.sqrt(lo * hi) });
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(lo * hi);
    best = blahutArimoto({ px: src.px, distortion: src.distortion, beta: mid });
    if (Math.abs(best.distortion - target) < 1e-9) break;
    if (best.distortion > target) lo = mid; else hi = mid;
  }
  return Array.from(src.letters, (x, i) => ({ letter: x, source_P: src.px[i], conventional_QY: best.outputMarginal[i], zepe_QY: z.outputMarginal[i] }));
}
