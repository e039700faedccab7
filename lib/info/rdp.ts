/**
 * Rate–distortion–perception function (2): R(D, δ) = min I(X;Y) s.t. E d ≤ D and D(P‖Q_Y) ≤ δ (KL in bits).
 *
 * Method (derived here, not from the paper). At slope β and a multiplier ν ≥ 0 on the KL constraint, the convex
 * Lagrangian I(X;Y) + β E d + ν D_nats(P‖Q_Y) is stationary where
 *     Q(y|x) ∝ w(y) e^{−β d(x,y)},   log w(y) = log Q_Y(y) + ν P(y)/Q_Y(y) + const,
 * (differentiate I = Σ pQ log Q − Σ Q_Y log Q_Y and −ν Σ P log Q_Y with a multiplier per row). ν = 0 is
 * Blahut–Arimoto (w = Q_Y); ν → ∞ forces Q_Y = P, the ZEPE problem at λ = β. We iterate the fixed point in
 * log w with per-letter damping η(y) = 1/(1 + ν P(y)/Q_Y(y)): linearised, the step factor is then in [0, 1),
 * whereas the undamped map diverges once ν P/Q_Y > 2. ν is found by bisection so that D(P‖Q_Y) = δ
 * (ν = 0 when the unconstrained BA channel already satisfies it). Every returned point is the exact
 * (rate, distortion, KL) of an actual channel, so a loose solve can only err towards a higher rate.
 * δ = Infinity delegates to rdCurve / blahutArimoto, δ = 0 to zepeCurve / zepe (λ = β).
 */
import {
  toDistortion, toProb, checkPositive, optInt, optTol, checkParams, MAX_SOLVER_ITERATIONS, MAX_CURVE_POINTS,
  type DenseMatrix, type DistortionMatrix, type ProbabilityVector,
} from './matrix.js';
import { assertObject } from '../core/index.js';
import { channelInformation, channelStats, klOf } from './measures.js';
import { baKernel, baSolve, rdCurve, byDistortion, logGrid, refineGrid } from './blahut.js';
import { zepeCurve, zepeAt, zepeProblem } from './zepe.js';

export interface RDPPoint {
  /** Slope parameter (nats per unit distortion). */
  beta: number;
  /** Multiplier of the KL constraint (0: inactive; Infinity: δ = 0, i.e. ZEPE). */
  nu: number;
  rate: number;
  distortion: number;
  /** D(P‖Q_Y) in bits (≤ δ up to the bisection tolerance). */
  perceptionKL: number;
  iterations: number;
  converged: boolean;
}

export interface RDPOptions {
  px: ProbabilityVector;
  /** Square distortion matrix (Y = X, so Q_Y can be compared with P). */
  distortion: DistortionMatrix;
  /** Perception budget δ ≥ 0 in bits (Infinity allowed). */
  delta: number;
  /** Target number of interior points of the automatic grid (default 40). */
  points?: number;
  /** Explicit slopes instead of the automatic grid. */
  betas?: readonly number[];
  tol?: number;
  maxIters?: number;
}

interface FixedPoint { Q: Float64Array; qy: Float64Array; lw: Float64Array; iterations: number; converged: boolean }

/** Damped fixed point for Q ∝ w K at (β via K, ν); `lw` is the starting log w (modified copy returned). */
function fixedPoint(p: Float64Array, K: Float64Array, n: number, nu: number, lw0: Float64Array, tol: number, maxIters: number): FixedPoint {
  const lw = Float64Array.from(lw0);
  const w = new Float64Array(n), z = new Float64Array(n), c = new Float64Array(n), qy = new Float64Array(n), r = new Float64Array(n);
  let it = 0, spread = Infinity;
  const channel = (): void => {
    let mx = -Infinity;
    for (let y = 0; y < n; y++) mx = Math.max(mx, lw[y]);
    for (let y = 0; y < n; y++) w[y] = Math.exp(lw[y] - mx);
    c.fill(0);
    for (let x = 0; x < n; x++) {
      if (p[x] === 0) continue;
      let s = 0;
      for (let y = 0; y < n; y++) s += K[x * n + y] * w[y];
      z[x] = s;
      const a = p[x] / s;
      for (let y = 0; y < n; y++) c[y] += a * K[x * n + y];
    }
    for (let y = 0; y < n; y++) qy[y] = w[y] * c[y];
  };
  while (it < maxIters) {
    channel();
    it++;
    // residual of log w = log q + ν P/q (up to a constant), over live letters
    let mean = 0, lo = Infinity, hi = -Infinity;
    for (let y = 0; y < n; y++) {
      if (!(qy[y] > 0)) { r[y] = NaN; continue; }
      // floor keeps ν P/q finite while a letter revives from ~0 (the damped step is then ~1 nat)
      r[y] = lw[y] - Math.log(qy[y]) - (nu * p[y]) / Math.max(qy[y], 1e-300);
      mean += qy[y] * r[y];
    }
    for (let y = 0; y < n; y++) {
      if (Number.isNaN(r[y])) continue;
      // letters BA is killing (P = 0, shrinking) have a residual that is not a KKT violation: skip them in the spread
      if (p[y] > 0 || qy[y] > 1e-12) { lo = Math.min(lo, r[y]); hi = Math.max(hi, r[y]); }
    }
    spread = hi - lo;
    if (spread <= tol) break;
    for (let y = 0; y < n; y++) {
      if (Number.isNaN(r[y])) { lw[y] = -Infinity; continue; }
      lw[y] -= (r[y] - mean) / (1 + (nu * p[y]) / Math.max(qy[y], 1e-300));
    }
  }
  if (it === maxIters) channel();
  const Q = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    let s = 0;
    for (let y = 0; y < n; y++) s += K[x * n + y] * w[y];
    for (let y = 0; y < n; y++) Q[x * n + y] = (K[x * n + y] * w[y]) / s;
  }
  return { Q, qy: channelStats(p, Q, new Float64Array(n * n), n).qy, lw, iterations: it, converged: spread <= tol };
}

function pointOf(p: Float64Array, d: DenseMatrix, beta: number, nu: number, fp: FixedPoint, iterations: number, converged: boolean): RDPPoint {
  const { qy, distortion } = channelStats(p, fp.Q, d.data, d.cols);
  return { beta, nu, rate: channelInformation(p, fp.Q, d.cols, qy), distortion, perceptionKL: klOf(p, qy), iterations, converged };
}

/** One point of R(D, δ) at slope β: bisection on the KL multiplier ν. */
function solveRdp(p: Float64Array, d: DenseMatrix, beta: number, delta: number, tol: number, maxIters: number, lwStart?: Float64Array): { pt: RDPPoint; lw: Float64Array } {
  const n = d.cols;
  if (delta === 0) {
    const r = zepeAt(zepeProblem(p, d), beta, 1e-12, maxIters);
    return { pt: { beta, nu: Infinity, rate: r.rate, distortion: r.distortion, perceptionKL: r.perceptionKL ?? 0, iterations: r.iterations, converged: r.converged }, lw: new Float64Array(n) };
  }
  const K = baKernel(d, beta);
  let total = 0;
  const run = (nu: number, lw: Float64Array): FixedPoint => {
    const fp = fixedPoint(p, K, n, nu, lw, tol, maxIters);
    total += fp.iterations;
    return fp;
  };
  // ν = 0 is plain Blahut–Arimoto
  const ba = baSolve(p, d, K, 1e-8, maxIters, lwStart ? softmax(lwStart) : undefined);
  total += ba.iterations;
  let fp: FixedPoint = { Q: ba.conditional.data, qy: ba.outputMarginal, lw: ba.outputMarginal.map(Math.log), iterations: ba.iterations, converged: ba.converged };
  if (klOf(p, fp.qy) <= delta) return { pt: pointOf(p, d, beta, 0, fp, total, fp.converged), lw: fp.lw };
  // ν > 0 keeps every P-letter alive: restart dead letters from P
  const revive = (lw: Float64Array): Float64Array => lw.map((v, y) => (Number.isFinite(v) ? v : Math.log(Math.max(p[y], 1e-300))));
  let nuLo = 0, nuHi = 1, fpHi = run(nuHi, revive(fp.lw)), klHi = klOf(p, fpHi.qy);
  for (let k = 0; k < 30 && klHi > delta; k++) {
    nuLo = nuHi; fp = fpHi;
    nuHi *= 4; fpHi = run(nuHi, revive(fpHi.lw)); klHi = klOf(p, fpHi.qy);
  }
  if (klHi > delta) {
    // ν ran away (the damped step vanishes as ν P/Q_Y grows): report the ZEPE point at λ = β instead, which is
    // feasible (KL = 0 ≤ δ) but may cost more rate than R(D, δ): flagged not converged
    const z = zepeAt(zepeProblem(p, d), beta, 1e-12, maxIters);
    return { pt: { beta, nu: Infinity, rate: z.rate, distortion: z.distortion, perceptionKL: z.perceptionKL ?? 0, iterations: total + z.iterations, converged: false }, lw: fpHi.lw };
  }
  // bracket from below too, then Illinois (false position) on log ν against log KL; keep the feasible side
  let klLo = klOf(p, fp.qy);
  for (let k = 0; k < 60 && nuLo === 0; k++) {
    const nu = nuHi / 4;
    const f = run(nu, revive(fpHi.lw));
    const klm = klOf(p, f.qy);
    if (klm > delta) { nuLo = nu; klLo = klm; } else { nuHi = nu; fpHi = f; klHi = klm; }
  }
  let best = fpHi, bestNu = nuHi, ok = fpHi.converged;
  if (nuLo > 0) {
    const ld = Math.log(delta);
    let a = Math.log(nuLo), fa = Math.log(klLo) - ld; // > 0
    let b = Math.log(nuHi), fb = Math.log(klHi) - ld; // ≤ 0
    let side = 0;
    for (let k = 0; k < 100 && Math.abs(klHi - delta) > 1e-9 * delta && b - a > 1e-13; k++) {
      const t = k % 6 === 5 || !Number.isFinite(fa) ? 0.5 * (a + b) : (a * fb - b * fa) / (fb - fa);
      const f = run(Math.exp(t), revive(best.lw));
      const klm = klOf(p, f.qy);
      const ft = Math.log(klm) - ld;
      if (ft > 0) { a = t; fa = ft; if (side === 1) fb /= 2; side = 1; }
      else { b = t; fb = ft; best = f; bestNu = Math.exp(t); klHi = klm; ok = f.converged; if (side === -1) fa /= 2; side = -1; }
    }
  }
  return { pt: pointOf(p, d, beta, bestNu, best, total, ok), lw: best.lw };
}

/** R(D, δ) at one slope β. */
export function rdpAt(opts: { px: ProbabilityVector; distortion: DistortionMatrix; beta: number; delta: number; tol?: number; maxIters?: number }): RDPPoint {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length, true);
  const beta = checkPositive('beta', opts.beta);
  const delta = checkDelta(opts.delta);
  const { pt } = solveRdp(p, d, beta, delta, optTol('tol', opts.tol, 1e-11),
    optInt('maxIters', opts.maxIters, 200000, 1, MAX_SOLVER_ITERATIONS));
  if (!pt.converged) console.warn(`rdpAt: not converged (β=${beta}, δ=${delta}, ν=${pt.nu})`);
  return pt;
}

/** Normalised exp of a log-weight vector, mixed with a little uniform so BA can revive dead letters. */
function softmax(lw: Float64Array): Float64Array {
  let mx = -Infinity;
  for (const v of lw) mx = Math.max(mx, v);
  const w = lw.map((v) => (Number.isFinite(v) ? Math.exp(v - mx) : 0));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => 0.999 * (v / s) + 0.001 / w.length);
}

function checkDelta(v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new RangeError(`delta must be a number >= 0 (bits; Infinity allowed), got ${String(v)}`);
  return v;
}

/**
 * R(D, δ) sorted by distortion. δ = Infinity is rdCurve, δ = 0 is zepeCurve (with their exact endpoints);
 * otherwise a log-spaced β grid between "rate ≈ 0" and "distortion no longer falls", refined where sparse.
 */
export function rdpCurve(opts: RDPOptions): RDPPoint[] {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length, true);
  const delta = checkDelta(opts.delta);
  const tol = optTol('tol', opts.tol, 1e-11);
  const maxIters = optInt('maxIters', opts.maxIters, 200000, 1, MAX_SOLVER_ITERATIONS);
  const nPts = optInt('points', opts.points, 40, 2, MAX_CURVE_POINTS);
  if (opts.betas === undefined && delta === Infinity) {
    return rdCurve({ px: p, distortion: d, points: nPts, maxIters }).map((e) => ({
      beta: e.beta, nu: 0, rate: e.rate, distortion: e.distortion, perceptionKL: e.perceptionKL ?? NaN, iterations: e.iterations, converged: e.converged,
    }));
  }
  if (opts.betas === undefined && delta === 0) {
    return zepeCurve({ px: p, distortion: d, points: nPts, maxIters }).map((e) => ({
      beta: e.lambda, nu: Infinity, rate: e.rate, distortion: e.distortion, perceptionKL: e.perceptionKL, iterations: e.iterations, converged: e.converged,
    }));
  }
  let lw: Float64Array | undefined;
  const solve = (beta: number): RDPPoint => {
    const r = solveRdp(p, d, beta, delta, tol, maxIters, lw);
    lw = r.lw;
    if (!r.pt.converged) console.warn(`rdpCurve: not converged at β=${beta} (δ=${delta}, ν=${r.pt.nu})`);
    return r.pt;
  };
  if (opts.betas !== undefined) {
    return [...checkParams('betas', opts.betas)].sort((a, b) => b - a).map(solve).sort(byDistortion);
  }
  let maxD = 0;
  for (const v of d.data) maxD = Math.max(maxD, v);
  // d ≡ 0: every channel has distortion 0, and Y independent of X with Q_Y = P has rate 0 and KL 0: the whole
  // curve is the one exact point (0, 0) (the slope grid below would start at β = 1/0)
  if (maxD === 0) return [{ beta: 0, nu: 0, rate: 0, distortion: 0, perceptionKL: 0, iterations: 0, converged: true }];
  const b0 = 1 / maxD;
  let bLo = b0;
  for (let k = 0; k < 40 && solve(bLo).rate > 1e-7; k++) bLo /= 4;
  lw = undefined;
  // upper end: distortion within 1e-4 of its floor (the near-deterministic corner is where the damped fixed
  // point is slowest, and the last 1e-4 of the curve is not visible)
  let bHi = b0, prev = solve(bHi);
  const d0 = prev.distortion;
  for (let k = 0; k < 40; k++) {
    const r = solve(bHi * 4);
    bHi *= 4;
    if (r.distortion < 1e-4 * d0 || prev.distortion - r.distortion < 1e-4 * d0) break;
    prev = r;
  }
  lw = undefined;
  const pts = logGrid(bLo, bHi, nPts).reverse().map((b) => ({ param: b, pt: solve(b) }));
  const rMax = Math.max(...pts.map((e) => e.pt.rate), 1e-12);
  const dMax = Math.max(...pts.map((e) => e.pt.distortion), 1e-300);
  refineGrid(pts, dMax, rMax, 2 / nPts, nPts, solve);
  return pts.map((e) => e.pt).sort(byDistortion);
}
