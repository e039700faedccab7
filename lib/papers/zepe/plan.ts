/**
 * The ZEPE paper's experiments (Choi, Nam, Park, Ko and Kim, "Zero perception error rate-distortion for semantic
 * communication"; docs/papers/zepe.md), as functions that return typed rows for figures, tables and claims. The
 * exact solvers are in lib/info; this file sets up the paper's sources, reads results off the solvers, and plans
 * the Fig. 3 runs (planTrials) whose runner is lib/papers/zepe/hybrid.ts.
 */
import {
  blahutArimoto, discretizeGaussian, entropy, gaussianDR, gaussianZepeMultiplier, gaussianPerfectPerceptionDR, lemma2ClosedForm, rdCurve, rdpCurve,
  zepe, zepeCurve, zepeSemantic, rdSupportExit, mutualInformation, klDivergence, type DenseMatrix,
} from '../../info/index.js';
import { assertInteger, assertOneOf, assertPositive } from '../../core/index.js';
import { HYBRID_DATASETS, type HybridDataset } from './models.js';
import type { HybridExperimentOptions, HybridProfile } from './hybrid.js';

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

/** A point of a rate–distortion curve (Fig. 1, Lemma 3). */
export type CurveRow = { curve: string; distortion: number; rate: number };
/** The KL panel of Fig. 1: D(P‖Q_Y) in bits (+∞ where the conventional optimum drops a letter). */
export type KlRow = { curve: string; distortion: number; kl_bits: number | null };

/** Fig. 1's numbers that the claims read (exact solvers; no sampling). */
export interface Fig1Summary {
  pointsConventional: number;
  pointsZepe: number;
  hx: number;
  dmaxConventional: number;
  dmaxZepe: number;
  /**
   * The exact distortion D* where the conventional optimum first drops a reproduction letter (lib/info
   * rdSupportExit: Kuhn–Tucker conditions by Newton's method); null if the solver did not converge.
   */
  supportExit: { distortion: number; beta: number; letter: number; rate: number; residual: number; iterations: number } | null;
  /** Smallest distortion on the conventional grid where D(P‖Q_Y) = +∞ (null: never). */
  klInfiniteFromDistortion: number | null;
  /** Largest grid distortion below that with a finite KL (null when klInfiniteFromDistortion is). */
  klFiniteUpToDistortion: number | null;
  maxFiniteKL: number;
  maxZepeKL: number;
  minRateGapZepeMinusConventional: number;
  allConverged: boolean;
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
export function fig1(points = 240): { source: DiscreteSource; rd: CurveRow[]; kl: KlRow[]; seconds: number; summary: Fig1Summary } {
  assertInteger('points', points, 8, 100_000);
  const src = example1();
  const t0 = performance.now();
  const conventional = rdCurve({ px: src.px, distortion: src.distortion, points });
  const zepePts = zepeCurve({ px: src.px, distortion: src.distortion, points });
  const exit = rdSupportExit({ px: src.px, distortion: src.distortion });
  const seconds = (performance.now() - t0) / 1000;
  const dStar = exit.converged ? exit.distortion : null;
  // Classify each grid point by the exact D*: below it the optimum uses every letter (the KL of the BA channel is
  // that of the optimum, finite); above it letter y₀ has Q_Y = 0 < P, so D(P‖Q_Y) = +∞. BA's own cutoff
  // (OFF_SUPPORT_RATIO) would call points in a band just above D* finite.
  const klOf = (p: { distortion: number; perceptionKL: number | null }): number | null =>
    dStar !== null && p.distortion > dStar ? Infinity : (p.perceptionKL ?? null);
  const rd: CurveRow[] = [
    ...conventional.map((p) => ({ curve: 'conventional R(D)', distortion: p.distortion, rate: p.rate })),
    ...zepePts.map((p) => ({ curve: 'ZEPE R(D)', distortion: p.distortion, rate: p.rate })),
  ];
  const kl: KlRow[] = [
    ...conventional.map((p) => ({ curve: 'conventional', distortion: p.distortion, kl_bits: klOf(p) })),
    ...zepePts.map((p) => ({ curve: 'ZEPE', distortion: p.distortion, kl_bits: p.perceptionKL })),
  ];
  // Where the conventional optimum drops a reproduction letter, D(P‖Q_Y) is +∞.
  const infinite = conventional.filter((p) => klOf(p) === Infinity);
  const firstInfinite = infinite.length > 0 ? Math.min(...infinite.map((p) => p.distortion)) : null;
  const finiteBelow = firstInfinite === null ? [] : conventional.filter((p) => p.distortion < firstInfinite && klOf(p) !== Infinity);
  const lastFinite = finiteBelow.length > 0 ? Math.max(...finiteBelow.map((p) => p.distortion)) : firstInfinite === null ? null : 0;
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
      supportExit: exit.converged
        ? { distortion: exit.distortion, beta: exit.beta, letter: exit.letter, rate: exit.rate, residual: exit.residual, iterations: exit.iterations }
        : null,
      klInfiniteFromDistortion: firstInfinite,
      klFiniteUpToDistortion: lastFinite,
      maxFiniteKL: Math.max(...conventional.map((p) => klOf(p) ?? 0).filter(Number.isFinite)),
      maxZepeKL: Math.max(...zepePts.map((p) => p.perceptionKL)),
      minRateGapZepeMinusConventional: minGap,
      allConverged,
    },
  };
}

/** One λ of the erratum table: Lemma 2 as printed vs the exact optimum (residuals are max-abs errors). */
export type Lemma2Row = {
  lambda: number;
  closed_form_max_row_sum_error: number;
  closed_form_max_marginal_error: number;
  exact_max_row_sum_error: number;
  exact_max_marginal_error: number;
  exact_rate_bits: number;
  exact_distortion: number;
};

/** The erratum: Lemma 2's closed form (8)–(9) against the exact Sinkhorn optimum at the same λ. */
export function lemma2Erratum(lambdas: readonly number[] = [0.1, 0.3, 0.5, 1, 2, 4, 8]): Lemma2Row[] {
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

/** A point of the Lemma 2 overlay: the printed closed form, rows normalised, beside the exact ZEPE rate at its distortion. */
export type Lemma2OverlayPoint = {
  lambda: number;
  distortion: number;
  /** I(X;Y) of the row-normalised closed form (bits), against its own output marginal. */
  rate_bits: number;
  /** The exact ZEPE rate at the same distortion (bits). */
  zepe_rate_bits: number;
  /** rate_bits − zepe_rate_bits. */
  rate_difference_bits: number;
  /** D(P‖Q_Y) of the row-normalised closed form (bits): > 0, so it breaks the ZEPE constraint it was meant to meet. */
  kl_bits: number;
};

export interface Lemma2Overlay {
  points: Lemma2OverlayPoint[];
  /** The point of largest |rate difference| (grid, then golden-section refinement in log λ). */
  worst: Lemma2OverlayPoint;
  /** Largest D(P‖Q_Y) of the normalised closed form over the grid (bits). */
  maxKL: number;
}

/** Lemma 2's (8)–(9) at λ, each row divided by its sum: a test channel; its distortion, rate and perception error. */
function lemma2Normalised(src: DiscreteSource, lambda: number): Lemma2OverlayPoint {
  const c = lemma2ClosedForm({ px: src.px, distortion: src.distortion, lambda });
  const n = src.px.length;
  const joint: number[][] = [];
  const qy = new Float64Array(n);
  let dist = 0;
  for (let x = 0; x < n; x++) {
    const rs = 1 + c.rowSumErrors[x];
    joint.push(Array.from({ length: n }, (_, y) => (src.px[x] * c.conditional.data[x * n + y]) / rs));
    for (let y = 0; y < n; y++) { qy[y] += joint[x][y]; dist += joint[x][y] * src.distortion.data[x * n + y]; }
  }
  const rate = mutualInformation(joint);
  const exact = zepe({ px: src.px, distortion: src.distortion, targetDistortion: dist });
  return {
    lambda, distortion: dist, rate_bits: rate, zepe_rate_bits: exact.rate, rate_difference_bits: rate - exact.rate,
    kl_bits: klDivergence(src.px, qy),
  };
}

/**
 * Lemma 2 as printed, made a test channel by normalising its rows (the least repair that gives a conditional
 * distribution), against the exact ZEPE optimum: for each λ its (D, R), the exact ZEPE rate at that D, and the
 * largest rate difference. The grid is log-spaced in λ over [0.01, 100] (Example 1's whole curve); the extremum
 * is then refined by golden-section search on log λ between the grid neighbours of the largest |difference|.
 */
export function lemma2Overlay(points = 60): Lemma2Overlay {
  assertInteger('points', points, 4, 10_000);
  const src = example1();
  const lambdas = Array.from({ length: points }, (_, i) => 0.01 * 1e4 ** (i / (points - 1)));
  const pts = lambdas.map((l) => lemma2Normalised(src, l));
  const k = pts.reduce((b, p, i) => (Math.abs(p.rate_difference_bits) > Math.abs(pts[b].rate_difference_bits) ? i : b), 0);
  let a = Math.log(lambdas[Math.max(0, k - 1)]), b = Math.log(lambdas[Math.min(points - 1, k + 1)]);
  const g = (Math.sqrt(5) - 1) / 2;
  const f = (t: number) => Math.abs(lemma2Normalised(src, Math.exp(t)).rate_difference_bits);
  let c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
  for (let it = 0; it < 60 && b - a > 1e-10; it++) {
    if (fc > fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); } else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
  }
  const refined = lemma2Normalised(src, Math.exp((a + b) / 2));
  const worst = Math.abs(refined.rate_difference_bits) >= Math.abs(pts[k].rate_difference_bits) ? refined : pts[k];
  return { points: pts, worst, maxKL: Math.max(...pts.map((p) => p.kl_bits)) };
}

/** A point of the Gaussian comparison (discrete solvers and closed forms). */
export type GaussianRow = { curve: string; rate: number; distortion: number };
/** D_ZEPE(R)/D(R) at a ZEPE point's rate: discrete solvers and the closed form. */
export type RatioRow = { rate: number; ratio_discrete: number | null; ratio_closed_form: number; zepe_vs_closed_form: number };

/** Rates (bits) the Gaussian comparison aims at: from GAUSSIAN_RATE_MIN to GAUSSIAN_RATE_MAX. */
export const GAUSSIAN_RATE_MIN = 0.01; // D_p/D = 1.79 there
export const GAUSSIAN_RATE_MAX = 2.5;

/**
 * "Doubling the MSE": a Gaussian N(0, σ²) discretised on n points, through Blahut–Arimoto and the ZEPE solver,
 * against D(R) = σ²2^(−2R) and the perfect-perception D_p(R) = 2σ²(1 − √(1 − 2^(−2R))). The ratio
 * D_p(R)/D(R) = 2/(1 + √(1 − 2^(−2R))) tends to 2 as R → 0 (like 2 − 2√(2R ln 2)), so the grid is log-spaced in
 * √rate from GAUSSIAN_RATE_MIN = 0.01 bit: each solver is aimed at those rates through its own slope (conventional
 * β = 1/(2D(R)), ZEPE λ = lib/info's gaussianZepeMultiplier: the conventional slope stays above 1/(2σ²) and
 * would stop the ZEPE curve near 0.4 bit), the conventional grid a little wider so that every ZEPE rate
 * falls inside it; the conventional D at a ZEPE point's rate is interpolated in log D (D(R) = σ²2^(−2R) is
 * log-linear in R).
 */
export function gaussianDoubling(opts: { n?: number; points?: number; sigma2?: number } = {}): { rows: GaussianRow[]; ratios: RatioRow[]; variance: number; n: number } {
  const sigma2 = opts.sigma2 ?? 1;
  const g = discretizeGaussian({ sigma2, n: opts.n ?? 81, span: 4 });
  const points = opts.points ?? 30;
  assertInteger('points', points, 2, 1000);
  // Evenly spaced in √R: D_p/D ≈ 2 − 2√(2R ln 2) changes fastest near R = 0, D(R) is smooth in R further up.
  const rates = (lo: number, hi: number) => Array.from({ length: points }, (_, i) => (Math.sqrt(lo) + ((Math.sqrt(hi) - Math.sqrt(lo)) * i) / (points - 1)) ** 2);
  const slopes = rates(0.8 * GAUSSIAN_RATE_MIN, 1.05 * GAUSSIAN_RATE_MAX).map((r) => 1 / (2 * gaussianDR(g.variance, r)));
  // Blahut's bound gap closes sublinearly on fine alphabets (the rate itself is accurate to ~1e-9): tol 1e-5 bit.
  const conv = rdCurve({ px: g.px, distortion: g.distortion, betas: slopes, tol: 1e-5 });
  const zp = zepeCurve({ px: g.px, distortion: g.distortion, lambdas: rates(GAUSSIAN_RATE_MIN, GAUSSIAN_RATE_MAX).map((r) => gaussianZepeMultiplier(g.variance, r)) });
  const inRange = (r: number) => r > 0 && r <= 1.05 * GAUSSIAN_RATE_MAX;
  const rows: GaussianRow[] = [];
  for (const p of conv) if (inRange(p.rate)) rows.push({ curve: 'conventional (discretised)', rate: p.rate, distortion: p.distortion });
  for (const p of zp) if (inRange(p.rate)) rows.push({ curve: 'ZEPE (discretised)', rate: p.rate, distortion: p.distortion });
  for (let i = 0; i < 60; i++) {
    const r = GAUSSIAN_RATE_MIN * (GAUSSIAN_RATE_MAX / GAUSSIAN_RATE_MIN) ** (i / 59);
    rows.push({ curve: 'D(R) = σ²2^(−2R)', rate: r, distortion: gaussianDR(g.variance, r) });
    rows.push({ curve: 'D_p(R) = 2σ²(1−√(1−2^(−2R)))', rate: r, distortion: gaussianPerfectPerceptionDR(g.variance, r) });
  }
  const ratios: RatioRow[] = zp.filter((p) => inRange(p.rate)).map((p) => {
    const dConv = distortionAtRate(conv, p.rate, { logDistortion: true });
    return {
      rate: p.rate,
      ratio_discrete: dConv === null ? null : p.distortion / dConv,
      ratio_closed_form: gaussianPerfectPerceptionDR(g.variance, p.rate) / gaussianDR(g.variance, p.rate),
      zepe_vs_closed_form: p.distortion / gaussianPerfectPerceptionDR(g.variance, p.rate),
    };
  });
  return { rows, ratios, variance: g.variance, n: g.px.length };
}

/**
 * Distortion at a rate on a curve (rates decrease with distortion), interpolated linearly between the two
 * neighbouring points — in log D with `logDistortion` (exact for D ∝ 2^(−2R), the Gaussian's form).
 */
export function distortionAtRate(points: readonly { distortion: number; rate: number }[], r: number, opts: { logDistortion?: boolean } = {}): number | null {
  const byRate = [...points].sort((a, b) => a.rate - b.rate);
  if (byRate.length === 0 || r < byRate[0].rate || r > byRate[byRate.length - 1].rate) return null;
  const log = opts.logDistortion === true;
  for (let i = 1; i < byRate.length; i++) {
    const a = byRate[i - 1], b = byRate[i];
    if (r > b.rate) continue;
    if (b.rate === a.rate) return Math.min(a.distortion, b.distortion);
    const w = (r - a.rate) / (b.rate - a.rate);
    return log ? Math.exp(Math.log(a.distortion) + w * (Math.log(b.distortion) - Math.log(a.distortion))) : a.distortion + w * (b.distortion - a.distortion);
  }
  return byRate[byRate.length - 1].distortion;
}

/** A point of R(D, δ); delta 'inf' for the conventional curve. */
export type RdpRow = { curve: string; delta: number | 'inf'; distortion: number; rate: number; kl_bits: number | null };

/** The R-D-P family between the two curves: R(D, δ) of Example 1 for several KL budgets δ (bits). */
export function rdpFamily(deltas: readonly number[] = [Infinity, 0.1, 0.03, 0.01, 0.001, 0], points = 40): RdpRow[] {
  const src = example1();
  const rows: RdpRow[] = [];
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

/** One solved target of the semantic (Lemma 3) problem. */
export type Lemma3Point = { distortion: number; rateSc: number; hz: number; total: number; lambda: number | null };

/** One class of a Lemma 3 solution: its budget D(z), the distortion it reaches, its multiplier λ(z) and rate (bits). */
export type Lemma3ClassRow = { budget: string; z: number; p_z: number; budget_Dz: number | null; distortion_Dz: number; lambda_z: number; rate_bits: number };

/**
 * Lemma 3 curves: plain ZEPE on the mixture; problem (21) with the same budget D(z) = D for every class (each class
 * solved on its own with its own λ(z); a class whose independent coupling already meets D sends nothing); and the
 * optimal split of a total budget Σ_z p(z) D(z) = D (one common λ), the lower envelope over all per-class budgets.
 * Every curve is drawn against the total distortion it reaches, E d(X, Y).
 */
export function lemma3Curves(points = 30): {
  rows: CurveRow[]; semantic: Lemma3Point[]; perClass: Lemma3Point[]; hz: number; hx: number; plainAtZeroRate: number;
} {
  assertInteger('points', points, 2, 10_000);
  const s = semanticSource();
  const n = s.letters.length;
  const mix = new Float64Array(n);
  for (let z = 0; z < s.pz.length; z++) for (let i = 0; i < n; i++) mix[i] += s.pz[z] * s.pxGivenZ.data[z * n + i];
  const plain = zepeCurve({ px: mix, distortion: s.distortion, points });
  const dMax = plain[plain.length - 1].distortion;
  const rows: CurveRow[] = plain.map((p) => ({ curve: 'plain ZEPE on the mixture', distortion: p.distortion, rate: p.rate }));
  // Per-class ZEPE cannot reach a distortion above the largest per-class independent-coupling distortion.
  const targets = Array.from({ length: points }, (_, i) => (dMax * (i + 0.5)) / points);
  const base = { pz: s.pz, pxGivenZ: s.pxGivenZ, distortion: s.distortion };
  const sweep = (solve: (t: number) => ReturnType<typeof zepeSemantic>): Lemma3Point[] => {
    const out: Lemma3Point[] = [];
    let lastIdle = false;
    for (const t of targets) {
      const r = solve(t);
      // Past the per-class maximum every target gives the same zero-rate point (every class at its independent
      // coupling, λ(z) = 0): keep it once.
      const idle = r.perZ.every((e) => e.lambda === 0);
      if (idle && lastIdle) continue;
      lastIdle = idle;
      out.push({ distortion: r.distortion, rateSc: r.rateSc, hz: r.hz, total: r.total, lambda: r.lambda });
    }
    return out;
  };
  const semantic = sweep((t) => zepeSemantic({ ...base, targetDistortion: t }));
  const perClass = sweep((t) => zepeSemantic({ ...base, classDistortions: Array.from(s.pz, () => t) }));
  for (const r of perClass) rows.push({ curve: 'R_sc + H(Z), (21) with D(z) = D for every z', distortion: r.distortion, rate: r.total });
  for (const r of semantic) {
    rows.push({ curve: 'R_sc + H(Z), best split of Σ p(z)D(z) (common λ)', distortion: r.distortion, rate: r.total });
    rows.push({ curve: 'R_sc = I(X;Y|Z), best split', distortion: r.distortion, rate: r.rateSc });
  }
  return { rows, semantic, perClass, hz: entropy(s.pz), hx: entropy(mix), plainAtZeroRate: dMax };
}

/**
 * Lemma 3 class by class at one budget D: (21) with D(z) = D for every class (λ(z) differ), beside the optimal split
 * of the total budget Σ_z p(z) D(z) = D (λ(z) all equal, the D(z) differ).
 */
export function lemma3Classes(D: number): Lemma3ClassRow[] {
  assertPositive('D', D);
  const s = semanticSource();
  const base = { pz: s.pz, pxGivenZ: s.pxGivenZ, distortion: s.distortion };
  const each = zepeSemantic({ ...base, classDistortions: Array.from(s.pz, () => D) });
  const split = zepeSemantic({ ...base, targetDistortion: D });
  return [
    ...each.perZ.map((e) => ({ budget: `D(z) = ${D} for every z`, z: e.z, p_z: e.pz, budget_Dz: D, distortion_Dz: e.distortion, lambda_z: e.lambda, rate_bits: e.rate })),
    ...split.perZ.map((e) => ({ budget: `Σ p(z)D(z) = ${D}, best split`, z: e.z, p_z: e.pz, budget_Dz: null, distortion_Dz: e.distortion, lambda_z: e.lambda, rate_bits: e.rate })),
  ];
}

/** Blahut's certified bound gap (bits) asked of the conventional solver when it is evaluated at a distortion. */
export const BA_TOL_BITS = 1e-10;

/** The conventional optimum at a target distortion of Example 1 (bisection on β); β = 0 above D_max (rate 0). */
function conventionalAt(target: number) {
  const src = example1();
  let lo = 1e-3, hi = 1e3;
  let beta = Math.sqrt(lo * hi);
  let best = blahutArimoto({ px: src.px, distortion: src.distortion, beta, tol: BA_TOL_BITS });
  for (let i = 0; i < 100; i++) {
    beta = Math.sqrt(lo * hi);
    best = blahutArimoto({ px: src.px, distortion: src.distortion, beta, tol: BA_TOL_BITS });
    if (Math.abs(best.distortion - target) < 1e-12) break;
    if (best.distortion > target) lo = beta; else hi = beta;
  }
  return { result: best, beta };
}

/** One conventional and one ZEPE solution at the same distortion: their reconstructions' marginals side by side. */
export type MarginalRow = { letter: number; source_P: number; conventional_QY: number; zepe_QY: number };

export function marginalsAtDistortion(target: number): MarginalRow[] {
  const src = example1();
  const z = zepe({ px: src.px, distortion: src.distortion, targetDistortion: target });
  const best = conventionalAt(target).result;
  return Array.from(src.letters, (x, i) => ({ letter: x, source_P: src.px[i], conventional_QY: best.outputMarginal[i], zepe_QY: z.outputMarginal[i] }));
}

/**
 * ZEPE and conventional rates of Example 1 solved AT each target distortion (no interpolation between grid points),
 * with the numerical half-width of their difference: Blahut's certified bound gap (BA_TOL_BITS) plus the
 * bisections' distortion misses times the curves' slopes (β log2 e and λ log2 e bits per unit distortion).
 */
export type RateGapRow = {
  distortion: number;
  zepe_rate: number;
  conventional_rate: number;
  gap_bits: number;
  /** Numerical accuracy of gap_bits (bits). */
  half_width_bits: number;
};

export function rateGapsAt(targets: readonly number[] = RATE_GAP_DISTORTIONS): RateGapRow[] {
  const src = example1();
  const dmaxConv = Math.min(...Array.from(src.letters, (_, y) => src.px.reduce((s, p, x) => s + p * src.distortion.data[x * src.letters.length + y], 0)));
  return targets.map((t) => {
    assertPositive('target distortion', t);
    const z = zepe({ px: src.px, distortion: src.distortion, targetDistortion: t });
    const zErr = (Number.isFinite(z.lambda) ? z.lambda : 0) * Math.abs(z.distortion - t) * Math.LOG2E + 1e-12;
    if (t >= dmaxConv) {
      return { distortion: t, zepe_rate: z.rate, conventional_rate: 0, gap_bits: z.rate, half_width_bits: zErr };
    }
    const c = conventionalAt(t);
    const cErr = BA_TOL_BITS + c.beta * Math.abs(c.result.distortion - t) * Math.LOG2E;
    return { distortion: t, zepe_rate: z.rate, conventional_rate: c.result.rate, gap_bits: z.rate - c.result.rate, half_width_bits: zErr + cErr };
  });
}

/** Distortions of Example 1 where the claim zepe-rate-higher compares the two curves (both sides of D_max = 0.933). */
export const RATE_GAP_DISTORTIONS: readonly number[] = [0.1, 0.25, 0.5, 0.75, 1.0, 1.5];

/**
 * The Fig. 3 runs of a profile: training settings of the cVAE and the classifier (their checkpoints are keyed by
 * these: do not change them without retraining) and the evaluation settings (nTest test images, nRef disjoint real
 * reference images, nFit training images for A, bootstrap resamples of the per-row Fréchet bands).
 */
export function planTrials(dataset: HybridDataset, profile: HybridProfile, seed = 1): HybridExperimentOptions {
  assertOneOf('dataset', dataset, HYBRID_DATASETS);
  assertOneOf('profile', profile, ['quick', 'full'] as const);
  const quick = profile === 'quick';
  if (dataset === 'mnist') {
    return {
      dataset, seed, ds: [0, 2, 5, 10, 20, 50, 100, 200, 784],
      nTest: quick ? 500 : 2000, nRef: quick ? 500 : 2000, nFit: quick ? 2000 : 12000,
      cvae: quick ? { latentDim: 8, hidden: 256, steps: 400, batchSize: 64, lr: 2e-3 } : { latentDim: 16, hidden: 400, steps: 6000, batchSize: 64, lr: 1e-3 },
      // The generator is chosen on validation digits held out of the train split, over its learning curve and priors.
      validation: {
        nVal: quick ? 500 : 2000, nValRef: quick ? 500 : 2000,
        curveSteps: quick ? [200, 400] : [750, 1500, 3000, 4500, 6000], priors: ['standard', 'aggregate', 'aggregate-full'],
      },
      classifier: quick ? { hidden: [256, 128], steps: 400, batchSize: 64, lr: 2e-3 } : { hidden: [256, 128], steps: 2000, batchSize: 64, lr: 1e-3 },
      gridCount: 6, gridDs: [5, 20, 100, 200], frechetResamples: quick ? 20 : 50,
    };
  }
  // Flickr8k's test split has 1,000 images (our photo set's held-out split 1,581 patches): test and reference must fit.
  const flickr = dataset === 'flickr8k';
  return {
    dataset, seed, ds: [0, 4, 16, 64, 256, 3072],
    nTest: quick ? 300 : flickr ? 500 : 800, nRef: quick ? 300 : flickr ? 500 : 780, nFit: quick ? 600 : 1500,
    cvae: quick ? { latentDim: 16, hidden: 128, steps: 250, batchSize: 64, lr: 2e-3 } : { latentDim: 32, hidden: 256, steps: 2000, batchSize: 64, lr: 1e-3 },
    gridCount: 4, gridDs: [16, 64, 256], modes: ['pooled'],
    // The semantic link: the encoder's latent, 4 bits per coordinate (quick: 16 × 4 = 64 bits, full: 32 × 4 = 128 bits per image).
    semanticBits: 4,
  };
}
