/** Gaussian closed forms (MSE, rates in bits) and a fine discretisation to check the discrete solvers against them. */
import { assertPositive, assertNonNegative, assertInteger, assertObject } from '../core/index.js';
import type { DenseMatrix } from './matrix.js';

/** R(D) = max(0, ½ log2(σ²/D)) for N(0, σ²) under MSE (+Infinity at D = 0). */
export function gaussianRD(sigma2: number, D: number): number {
  assertPositive('sigma2', sigma2);
  assertNonNegative('D', D);
  return D === 0 ? Infinity : Math.max(0, 0.5 * Math.log2(sigma2 / D));
}

/** D(R) = σ² 2^{−2R}. */
export function gaussianDR(sigma2: number, R: number): number {
  assertPositive('sigma2', sigma2);
  assertNonNegative('R', R);
  return sigma2 * 2 ** (-2 * R);
}

/**
 * Perfect-perception distortion–rate D_p(R) = 2σ²(1 − √(1 − 2^{−2R})) (Blau & Michaeli 2019). D(R) ≤ D_p ≤ 2 D(R):
 * with ε = 2^{−2R}, D_p/D = 2(1 − √(1 − ε))/ε = 2/(1 + √(1 − ε)), which is 2 at R = 0 (an independent draw from the
 * source), 2 − 2√(2R ln 2) + O(R) as R → 0, and tends to 1 as R grows.
 * Computed as 2σ² ε / (1 + √(1 − ε)), ε = 2^{−2R}, which has no cancellation at high rate, with 1 − ε as
 * −expm1(−2R ln 2), which has none at low rate.
 */
export function gaussianPerfectPerceptionDR(sigma2: number, R: number): number {
  assertPositive('sigma2', sigma2);
  assertNonNegative('R', R);
  const e = 2 ** (-2 * R);
  return (2 * sigma2 * e) / (1 + Math.sqrt(oneMinusEps(R)));
}

/** 1 − 2^{−2R} without cancellation at small R. */
function oneMinusEps(R: number): number {
  return -Math.expm1(-2 * R * Math.LN2);
}

/**
 * The ZEPE (perfect-perception) multiplier at rate R: λ = −dR/dD_p in nats per unit distortion, from D_p(R) above:
 * dD_p/dR = −2σ² ln2 · ε/√(1 − ε), so λ = ln2 / (2σ² ln2 · ε/√(1 − ε)) = √(1 − ε)/(2σ² ε), ε = 2^{−2R}. It tends to
 * 0 as R → 0 (D_p has infinite slope at rate 0), unlike the conventional slope 1/(2D(R)) ≥ 1/(2σ²).
 */
export function gaussianZepeMultiplier(sigma2: number, R: number): number {
  assertPositive('sigma2', sigma2);
  assertNonNegative('R', R);
  return Math.sqrt(oneMinusEps(R)) / (2 * sigma2 * 2 ** (-2 * R));
}

export interface DiscreteGaussian {
  /** Probabilities of the grid points (Gaussian density at the points, normalised). */
  px: Float64Array;
  points: Float64Array;
  /** Squared error (x_i − x_j)², n×n. */
  distortion: DenseMatrix;
  /** Exact variance of the discrete distribution (use it in the closed forms). */
  variance: number;
}

/** n equally spaced points on [−span·σ, span·σ] with Gaussian weights, and the squared-error matrix. */
export function discretizeGaussian(opts: { sigma2: number; n: number; span?: number }): DiscreteGaussian {
  assertObject('options', opts);
  assertPositive('sigma2', opts.sigma2);
  assertInteger('n', opts.n, 2, 8192);
  const span = opts.span ?? 5;
  assertPositive('span', span);
  const { n, sigma2 } = opts;
  const s = Math.sqrt(sigma2);
  const points = Float64Array.from({ length: n }, (_, i) => -span * s + (2 * span * s * i) / (n - 1));
  const w = points.map((x) => Math.exp((-x * x) / (2 * sigma2)));
  const tot = w.reduce((a, b) => a + b, 0);
  const px = w.map((v) => v / tot);
  let mean = 0, m2 = 0;
  for (let i = 0; i < n; i++) { mean += px[i] * points[i]; m2 += px[i] * points[i] ** 2; }
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = (points[i] - points[j]) ** 2;
  return { px, points, distortion: { data, rows: n, cols: n }, variance: m2 - mean * mean };
}
