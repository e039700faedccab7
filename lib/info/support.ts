/**
 * Where the conventional R(D) optimum first drops a reproduction letter: the exact distortion D* (and slope β*)
 * from the Kuhn–Tucker conditions of the rate–distortion problem, by Newton's method. Rates in bits, slopes in nats
 * per unit distortion.
 *
 * Math. At slope β > 0 let K(x,y) = e^{−β d(x,y)}, and for an output marginal q let Z(x) = Σ_y q(y) K(x,y) and
 * c(y) = Σ_x p(x) K(x,y) / Z(x). q is the optimal output marginal at slope β iff c(y) ≤ 1 for every y, with
 * equality wherever q(y) > 0 (Kuhn–Tucker conditions of R(D); Blahut 1972, Thm. 2; Berger 1971, §2.5). The
 * optimal test channel is Q(y|x) = q(y) K(x,y) / Z(x). Note Σ_y q(y) c(y) = Σ_x p(x) = 1, so c = 1 on the support
 * already forces Σ q = 1.
 *
 * - On a fixed support S the equations c(y) = 1, y ∈ S, are |S| smooth equations in q_S (they stay defined for
 *   q(y) < 0 as long as every Z(x) > 0), with Jacobian ∂c(y)/∂q(y') = −Σ_x p(x) K(x,y) K(x,y') / Z(x)².
 * - Starting at a slope where the optimum uses every letter (q > 0 and c ≡ 1: the Kuhn–Tucker certificate), the
 *   solver follows this branch in decreasing β (growing D) by warm-started Newton steps in log β. The first letter
 *   y₀ whose q(y₀) changes sign along the branch is the first to leave the optimum's support; before that point the
 *   branch IS the optimum (q > 0, c ≡ 1), so nothing earlier can leave.
 * - The exit point solves the augmented system c(y) = 1 for every y ∈ S (y₀ included) in the unknowns q on
 *   S \ {y₀} and t = ln β, with q(y₀) = 0: |S| equations, |S| unknowns, by Newton with
 *   ∂c(y)/∂t = β Σ_x p(x) K(x,y) [W(x)/Z(x)² − d(x,y)/Z(x)],  W(x) = Σ_y' q(y') d(x,y') K(x,y').
 *   (Rows are shifted by their minimum distortion, d − min_y d(x,·): the shift cancels in c and in ∂c/∂t.)
 * - D* = Σ_x p(x) Σ_y Q(y|x) d(x,y) at the solution; just above D* the optimum has Q_Y(y₀) = 0 < P(y₀), so the
 *   reconstruction's D(P‖Q_Y) is +∞ there (square problems), while below D* it is finite and grows without bound
 *   as D ↑ D* (Q_Y(y₀) → 0).
 *
 * Blahut–Arimoto cannot locate D* itself: near a support change its iterates keep q(y₀) > 0 and c(y₀) → 1 only
 * sublinearly, so any cutoff on c (blahut.ts's OFF_SUPPORT_RATIO) misplaces the exit by an amount set by the cutoff.
 */
import {
  toDistortion, toProb, optInt, optTol, solveDense, type DenseMatrix, type DistortionMatrix, type ProbabilityVector,
} from './matrix.js';
import { assertObject, assertPositive } from '../core/index.js';
import { channelInformation, channelStats } from './measures.js';
import { baKernel, baSolve, rdMaxDistortion } from './blahut.js';

export interface SupportExitOptions {
  px: ProbabilityVector;
  distortion: DistortionMatrix;
  /**
   * Slope β (nats per unit distortion) to start from, where the optimum uses every reproduction letter. Default:
   * 1/(D_max − D_min), doubled until the Kuhn–Tucker certificate of full support holds (at most 60 doublings).
   */
  betaStart?: number;
  /** Stop when max_y |c(y) − 1| over the support is below tol (default 1e-13). */
  tol?: number;
  /** Newton iterations in total, continuation included (default 10,000). */
  maxIters?: number;
}

export interface SupportExitResult {
  /** D*: the distortion at which the first reproduction letter leaves the optimum's support. */
  distortion: number;
  /** β* (nats per unit distortion): R(D) has slope −β* / ln 2 bits per unit distortion at D*. */
  beta: number;
  /** Index of the reproduction letter that leaves (column of the distortion matrix). */
  letter: number;
  /** R(D*) in bits. */
  rate: number;
  /** The optimal output marginal at D* (0 at `letter`). */
  outputMarginal: Float64Array;
  /** max_y |c(y) − 1| over the letters kept and the leaving one at the solution. */
  residual: number;
  /** The slope the continuation started from (full support certified there). */
  betaStart: number;
  /** Newton iterations in total. */
  iterations: number;
  converged: boolean;
}

interface Problem { p: Float64Array; d: DenseMatrix; dt: Float64Array; n: number; m: number }

/** K(x,y) = e^{−β d̃(x,y)} with d̃ row-shifted by its minimum. */
function kernel(pr: Problem, beta: number): Float64Array {
  const K = new Float64Array(pr.n * pr.m);
  for (let i = 0; i < K.length; i++) K[i] = Math.exp(-beta * pr.dt[i]);
  return K;
}

/** c(y) for every y, and Z(x); null if some Z(x) ≤ 0 on a row with p(x) > 0. */
function ratios(pr: Problem, K: Float64Array, q: Float64Array): { c: Float64Array; Z: Float64Array } | null {
  const { p, n, m } = pr;
  const Z = new Float64Array(n), c = new Float64Array(m);
  for (let x = 0; x < n; x++) {
    if (p[x] === 0) continue;
    let z = 0;
    for (let y = 0; y < m; y++) z += q[y] * K[x * m + y];
    if (!(z > 0)) return null;
    Z[x] = z;
    for (let y = 0; y < m; y++) c[y] += (p[x] * K[x * m + y]) / z;
  }
  return { c, Z };
}

/**
 * Newton on c(y) = 1, y ∈ S, at fixed β (q off S stays 0). Returns the iterations used and whether it converged;
 * q is updated in place only on success.
 */
function newtonFixed(pr: Problem, beta: number, S: number[], q: Float64Array, tol: number, budget: number): { ok: boolean; iters: number } {
  const { p, n, m } = pr, k = S.length;
  const K = kernel(pr, beta);
  const cur = Float64Array.from(q);
  for (let it = 1; it <= budget; it++) {
    const r = ratios(pr, K, cur);
    if (!r) return { ok: false, iters: it };
    const J = new Float64Array(k * k), F = new Float64Array(k);
    let res = 0;
    for (let a = 0; a < k; a++) { F[a] = 1 - r.c[S[a]]; res = Math.max(res, Math.abs(F[a])); }
    if (res <= tol) { q.set(cur); return { ok: true, iters: it }; }
    for (let x = 0; x < n; x++) {
      if (p[x] === 0) continue;
      const w = p[x] / (r.Z[x] * r.Z[x]);
      for (let a = 0; a < k; a++) {
        const ka = w * K[x * m + S[a]];
        for (let b = 0; b < k; b++) J[a * k + b] -= ka * K[x * m + S[b]];
      }
    }
    // J δ = −(c − 1) = F
    if (!solveDense(J, F, k)) return { ok: false, iters: it };
    let step = 1;
    for (let back = 0; back < 30; back++) {
      const trial = Float64Array.from(cur);
      for (let a = 0; a < k; a++) trial[S[a]] += step * F[a];
      if (ratios(pr, K, trial)) { cur.set(trial); break; }
      step /= 2;
      if (back === 29) return { ok: false, iters: it };
    }
  }
  return { ok: false, iters: budget };
}

/** Newton on the augmented system: c(y) = 1 for y ∈ S, unknowns q on S \ {y₀} and t = ln β, q(y₀) = 0. */
function newtonExit(pr: Problem, S: number[], y0: number, q: Float64Array, beta0: number, tol: number, budget: number): { ok: boolean; iters: number; beta: number; residual: number } {
  const { p, n, m } = pr, k = S.length;
  const free = S.filter((y) => y !== y0);
  const cur = Float64Array.from(q);
  cur[y0] = 0;
  let t = Math.log(beta0), residual = Infinity;
  for (let it = 1; it <= budget; it++) {
    const beta = Math.exp(t);
    const K = kernel(pr, beta);
    const r = ratios(pr, K, cur);
    if (!r) return { ok: false, iters: it, beta, residual };
    const F = new Float64Array(k);
    residual = 0;
    for (let a = 0; a < k; a++) { F[a] = 1 - r.c[S[a]]; residual = Math.max(residual, Math.abs(F[a])); }
    if (residual <= tol) { q.set(cur); return { ok: true, iters: it, beta, residual }; }
    const J = new Float64Array(k * k);
    for (let x = 0; x < n; x++) {
      if (p[x] === 0) continue;
      const z = r.Z[x], w = p[x] / (z * z);
      let W = 0;
      for (let y = 0; y < m; y++) W += cur[y] * pr.dt[x * m + y] * K[x * m + y];
      for (let a = 0; a < k; a++) {
        const ya = S[a], kxa = K[x * m + ya];
        for (let b = 0; b < k - 1; b++) J[a * k + b] -= w * kxa * K[x * m + free[b]];
        J[a * k + k - 1] += beta * p[x] * kxa * (W / (z * z) - pr.dt[x * m + ya] / z);
      }
    }
    if (!solveDense(J, F, k)) return { ok: false, iters: it, beta, residual };
    let step = 1;
    for (let back = 0; back < 30; back++) {
      const trial = Float64Array.from(cur);
      for (let b = 0; b < k - 1; b++) trial[free[b]] += step * F[b];
      const tt = t + step * F[k - 1];
      if (Number.isFinite(tt) && ratios(pr, kernel(pr, Math.exp(tt)), trial)) { cur.set(trial); t = tt; break; }
      step /= 2;
      if (back === 29) return { ok: false, iters: it, beta, residual };
    }
  }
  return { ok: false, iters: budget, beta: Math.exp(t), residual };
}

/** The exact distortion D* at which the conventional R(D) optimum first drops a reproduction letter (see the file header). */
export function rdSupportExit(opts: SupportExitOptions): SupportExitResult {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length);
  const tol = optTol('tol', opts.tol, 1e-13);
  const maxIters = optInt('maxIters', opts.maxIters, 10_000, 1, 10_000_000);
  if (opts.betaStart !== undefined) assertPositive('betaStart', opts.betaStart);
  const n = d.rows, m = d.cols;
  if (m < 2) throw new RangeError(`distortion must have at least 2 columns (reproduction letters), has ${m}`);
  const dt = new Float64Array(n * m);
  for (let x = 0; x < n; x++) {
    let mn = Infinity;
    for (let y = 0; y < m; y++) mn = Math.min(mn, d.data[x * m + y]);
    for (let y = 0; y < m; y++) dt[x * m + y] = d.data[x * m + y] - mn;
  }
  const pr: Problem = { p, d, dt, n, m };
  const all = Array.from({ length: m }, (_, y) => y);
  let iters = 0;
  const fail = (beta: number, q: Float64Array, residual: number): SupportExitResult => {
    console.warn(`rdSupportExit: not converged (β = ${beta}, ${iters} Newton iterations, residual ${residual})`);
    return { distortion: NaN, beta, letter: -1, rate: NaN, outputMarginal: q, residual, betaStart: NaN, iterations: iters, converged: false };
  };

  // 1. A slope with full support, certified: Newton from a Blahut–Arimoto start converges with q > 0 and c ≡ 1.
  let beta: number;
  const q = new Float64Array(m);
  {
    let dmin = 0;
    for (let x = 0; x < n; x++) {
      let mn = Infinity;
      for (let y = 0; y < m; y++) mn = Math.min(mn, d.data[x * m + y]);
      dmin += p[x] * mn;
    }
    const span = rdMaxDistortion(p, d).dmax - dmin;
    if (!(span > 0)) throw new RangeError('distortion gives D_max = D_min: the optimum is one letter at every slope, nothing leaves its support');
    beta = opts.betaStart ?? 1 / span;
    let found = false;
    for (let k = 0; k < 60 && !found; k++) {
      const ba = baSolve(p, d, baKernel(d, beta), 1e-9, 20_000);
      q.set(ba.outputMarginal);
      for (let y = 0; y < m; y++) q[y] = Math.max(q[y], 1e-12);
      const r = newtonFixed(pr, beta, all, q, tol, 100);
      iters += r.iters;
      found = r.ok && q.every((v) => v > 0);
      if (!found) {
        if (opts.betaStart !== undefined) {
          throw new RangeError(`betaStart ${opts.betaStart}: the optimum there does not use every reproduction letter (no full-support Kuhn–Tucker point)`);
        }
        beta *= 2;
      }
    }
    if (!found) throw new RangeError('the optimum never uses every reproduction letter (no full-support slope found up to 2^60/(D_max − D_min)); rdSupportExit needs one');
  }
  const betaStart = beta;

  // 2. Follow the full-support branch to smaller β until some q(y) changes sign.
  let logStep = Math.log(1.25);
  let prevQ = Float64Array.from(q), prevBeta = beta;
  let y0 = -1;
  while (y0 < 0) {
    if (iters >= maxIters) return fail(prevBeta, prevQ, NaN);
    if (logStep < 1e-14) return fail(prevBeta, prevQ, NaN);
    const nb = prevBeta * Math.exp(-logStep);
    const trial = Float64Array.from(prevQ);
    const r = newtonFixed(pr, nb, all, trial, tol, Math.min(50, maxIters - iters));
    iters += r.iters;
    if (!r.ok) { logStep /= 2; continue; }
    const neg = all.filter((y) => trial[y] < 0);
    if (neg.length === 0) {
      prevQ = trial; prevBeta = nb;
      if (prevBeta < 1e-300) return fail(prevBeta, prevQ, NaN);
      continue;
    }
    if (neg.length > 1) { logStep /= 2; continue; } // two letters crossed in one step: resolve the first
    y0 = neg[0];
    // 3. Newton on the augmented system from the interpolated crossing.
    const th = prevQ[y0] / (prevQ[y0] - trial[y0]);
    const start = prevQ.map((v, y) => v + th * (trial[y] - v));
    const b0 = Math.exp(Math.log(prevBeta) + th * (Math.log(nb) - Math.log(prevBeta)));
    const e = newtonExit(pr, all, y0, start, b0, tol, Math.max(1, maxIters - iters));
    iters += e.iters;
    if (!e.ok || !all.every((y) => y === y0 || start[y] > 0)) return fail(e.beta, start, e.residual);
    const K = kernel(pr, e.beta);
    const r2 = ratios(pr, K, start);
    if (!r2) return fail(e.beta, start, e.residual);
    const Q = new Float64Array(n * m);
    for (let x = 0; x < n; x++) {
      if (p[x] === 0) continue;
      for (let y = 0; y < m; y++) Q[x * m + y] = (start[y] * K[x * m + y]) / r2.Z[x];
    }
    const { qy, distortion } = channelStats(p, Q, d.data, m);
    return {
      distortion, beta: e.beta, letter: y0, rate: channelInformation(p, Q, m, qy), outputMarginal: start,
      residual: e.residual, betaStart, iterations: iters, converged: true,
    };
  }
  return fail(prevBeta, prevQ, NaN);
}
