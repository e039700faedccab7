/**
 * ZEPE rate–distortion, problem (4) of the paper: min I(X;Y) s.t. Q_Y = P and E d ≤ D.
 * With Q_Y = P fixed, I(X;Y) = KL(π ‖ P⊗P) for the coupling π(x,y) = P(x) Q(y|x), so the Lagrangian optimum
 * at multiplier λ is the entropic optimal-transport plan π = a(x) e^{−λ d(x,y)} b(y) with BOTH marginals P
 * (one multiplier per output letter AND one per row; Lemma 2's closed form keeps only the first: see lemma2ClosedForm).
 */
import {
  toDistortion, toProb, checkPositive, optInt, optTol, checkParams, checkTarget, MAX_SOLVER_ITERATIONS,
    MAX_CURVE_POINTS,
  type DenseMatrix, type DistortionMatrix, type ProbabilityVector,
} from './matrix.js';
import { assertObject } from '../core/index.js';
import { channelInformation, channelStats, entropyOf, klOf } from './measures.js';
import { entropicOT } from './sinkhorn.js';
import type { RDResult } from './blahut.js';
import { byDistortion, logGrid, refineGrid } from './blahut.js';

export interface ZepeResult extends RDResult {
  /** Multiplier of the distortion constraint (nats per unit distortion); 0 = independent coupling, Infinity = Y = X. */
  lambda: number;
  /** max_y |Σ_x P(x) Q(y|x) − P(y)|. */
  marginalResidual: number;
  /** max_x |Σ_y Q(y|x) − 1|. */
  rowSumResidual: number;
}

export interface ZepeOptions {
  px: ProbabilityVector;
  /** Square distortion matrix (Y = X). */
  distortion: DistortionMatrix;
  /** Solve at this multiplier λ > 0 ... */
  lambda?: number;
  /** ... or find λ by bisection so that E d = targetDistortion. */
  targetDistortion?: number;
  /** Sinkhorn stops when the output-marginal residual is below tol (default 1e-12). */
  tol?: number;
  maxIters?: number;
}

/** Validated square problem restricted to the support of P (letters with P = 0 are never sent nor produced). */
export interface ZepeProblem {
  p: Float64Array;
  d: DenseMatrix;
  support: number[];
  ps: Float64Array;
  ds: DenseMatrix;
  /** Distortion of the independent coupling P⊗P (λ → 0). */
  dInd: number;
  /** d(x,x) = 0 on the support, so Y = X reaches distortion 0. */
  zeroDiag: boolean;
  /** zeroDiag and d(x,y) > 0 off the diagonal: D = 0 forces Y = X, rate H(X). */
  uniqueZero: boolean;
  hNats: number;
}

export function zepeProblem(p: Float64Array, d: DenseMatrix): ZepeProblem {
  const support: number[] = [];
  for (let i = 0; i < p.length; i++) if (p[i] > 0) support.push(i);
  const k = support.length, n = d.cols;
  const ps = Float64Array.from(support, (i) => p[i]);
  const ds: DenseMatrix = { rows: k, cols: k, data: new Float64Array(k * k) };
  let dInd = 0, zeroDiag = true, uniqueZero = true;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const v = d.data[support[a] * n + support[b]];
      ds.data[a * k + b] = v;
      dInd += ps[a] * ps[b] * v;
      if (a === b && v !== 0) zeroDiag = false;
      if (a !== b && v === 0) uniqueZero = false;
    }
  }
  return { p, d, support, ps, ds, dInd, zeroDiag, uniqueZero: zeroDiag && uniqueZero, hNats: entropyOf(ps) / Math.LOG2E };
}

function assemble(pr: ZepeProblem, Q: Float64Array, lambda: number, iterations: number, converged: boolean): ZepeResult {
  const n = pr.d.rows;
  const { qy, distortion } = channelStats(pr.p, Q, pr.d.data, n);
  let marginalResidual = 0, rowSumResidual = 0;
  for (let y = 0; y < n; y++) marginalResidual = Math.max(marginalResidual, Math.abs(qy[y] - pr.p[y]));
  for (let x = 0; x < n; x++) {
    let s = 0;
    for (let y = 0; y < n; y++) s += Q[x * n + y];
    rowSumResidual = Math.max(rowSumResidual, Math.abs(s - 1));
  }
  return {
    rate: channelInformation(pr.p, Q, n, qy), distortion, conditional: { data: Q, rows: n, cols: n }, outputMarginal: qy,
    perceptionKL: klOf(pr.p, qy), iterations, converged, lambda, marginalResidual, rowSumResidual,
  };
}

/** λ → 0: Q(y|x) = P(y), rate 0. */
export function independentSolution(pr: ZepeProblem): ZepeResult {
  const n = pr.p.length;
  const Q = new Float64Array(n * n);
  for (let x = 0; x < n; x++) Q.set(pr.p, x * n);
  return assemble(pr, Q, 0, 0, true);
}

/** λ → ∞ with a unique zero per row: Y = X. */
export function identitySolution(pr: ZepeProblem): ZepeResult {
  const n = pr.p.length;
  const Q = new Float64Array(n * n);
  for (let x = 0; x < n; x++) Q[x * n + x] = 1;
  return assemble(pr, Q, Infinity, 0, true);
}

export interface Warm { f: Float64Array; g: Float64Array; lambda: number }

/** Exact ZEPE optimum at multiplier λ (entropic OT on the support, expanded to the full alphabet). */
export function zepeAt(pr: ZepeProblem, lambda: number, tol: number, maxIters: number, warm?: Warm): ZepeResult & { warm: Warm } {
  const plan = entropicOT(pr.ps, pr.ps, pr.ds, lambda, tol, maxIters, warm);
  const n = pr.p.length, k = pr.support.length;
  const Q = new Float64Array(n * n);
  const logb = new Float64Array(k);
  for (let b = 0; b < k; b++) logb[b] = plan.g[b] + Math.log(plan.v[b]);
  const inSupport = new Int32Array(n).fill(-1);
  pr.support.forEach((x, a) => (inSupport[x] = a));
  for (let x = 0; x < n; x++) {
    const a = inSupport[x], o = x * n;
    if (a >= 0) {
      // Q(y|x) = u K̃ v / P(x), normalised by its own row sum so rows are exact to rounding
      let s = 0;
      for (let b = 0; b < k; b++) s += plan.K[a * k + b] * plan.v[b];
      for (let b = 0; b < k; b++) Q[o + pr.support[b]] = (plan.K[a * k + b] * plan.v[b]) / s;
    } else {
      // a letter that never occurs: the same Gibbs form b(y) e^{−λ d}, normalised in the log domain
      let mx = -Infinity;
      for (let b = 0; b < k; b++) mx = Math.max(mx, logb[b] - lambda * pr.d.data[o + pr.support[b]]);
      let s = 0;
      for (let b = 0; b < k; b++) s += (Q[o + pr.support[b]] = Math.exp(logb[b] - lambda * pr.d.data[o + pr.support[b]] - mx));
      for (let b = 0; b < k; b++) Q[o + pr.support[b]] /= s;
    }
  }
  const r = assemble(pr, Q, lambda, plan.iterations, plan.converged);
  return { ...r, warm: { f: plan.f, g: plan.g, lambda } };
}

/**
 * Find λ with D(λ) = target for a decreasing D(λ): bracket by factors of 4 from λ0, then Illinois
 * (false position) on log λ. `unreachable(res, λ)` proves a target infeasible from a large-λ evaluation.
 */
export function solveLambda<R extends { distortion: number; converged: boolean }>(
  evalAt: (lambda: number) => R, target: number, lambda0: number, dTol: number,
  unreachable: (r: R, lambda: number) => boolean,
): { res: R; lambda: number; bracketed: boolean } {
  let lHi = lambda0, rHi = evalAt(lHi);
  let lLo = lambda0, rLo = rHi;
  let k = 0;
  while (rHi.distortion > target) {
    if (unreachable(rHi, lHi)) throw new RangeError(`targetDistortion ${target} is unreachable: below the least distortion achievable with Y ~ P (≈ ${rHi.distortion} at λ=${lHi})`);
    if (++k > 40) throw new RangeError(`targetDistortion ${target} is unreachable within numerical resolution (distortion ${rHi.distortion} at λ=${lHi})`);
    lLo = lHi; rLo = rHi;
    lHi *= 4; rHi = evalAt(lHi);
  }
  k = 0;
  while (rLo.distortion < target) {
    if (++k > 60) return { res: rLo, lambda: lLo, bracketed: false };
    lHi = lLo; rHi = rLo;
    lLo /= 4; rLo = evalAt(lLo);
  }
  if (Math.abs(rHi.distortion - target) <= dTol) return { res: rHi, lambda: lHi, bracketed: true };
  if (Math.abs(rLo.distortion - target) <= dTol) return { res: rLo, lambda: lLo, bracketed: true };
  let a = Math.log(lLo), fa = rLo.distortion - target; // fa > 0
  let b = Math.log(lHi), fb = rHi.distortion - target; // fb < 0
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const t = it % 8 === 7 ? 0.5 * (a + b) : (a * fb - b * fa) / (fb - fa);
    const lam = Math.exp(t);
    const r = evalAt(lam);
    const ft = r.distortion - target;
    if (Math.abs(ft) <= dTol || b - a < 1e-15) return { res: r, lambda: lam, bracketed: true };
    if (ft > 0) { a = t; fa = ft; if (side === 1) fb /= 2; side = 1; }
    else { b = t; fb = ft; if (side === -1) fa /= 2; side = -1; }
  }
  const lam = Math.exp(0.5 * (a + b));
  return { res: evalAt(lam), lambda: lam, bracketed: true };
}

function maxEntry(d: DenseMatrix): number {
  let mx = 0;
  for (let i = 0; i < d.data.length; i++) mx = Math.max(mx, d.data[i]);
  return mx;
}

/** Solve the ZEPE problem for one target distortion (λ by bisection) on a prepared problem. */
export function zepeForTarget(pr: ZepeProblem, target: number, tol: number, maxIters: number): ZepeResult {
  if (!(target >= 0)) throw new RangeError(`targetDistortion must be a number >= 0, got ${target}`);
  if (target >= pr.dInd) return independentSolution(pr);
  if (target === 0 && pr.uniqueZero) return identitySolution(pr);
  if (target === 0 && !pr.zeroDiag) throw new RangeError('targetDistortion 0 is unreachable: d(x,x) > 0 for some x');
  let warm: Warm | undefined;
  const evalAt = (lam: number): ZepeResult => {
    const r = zepeAt(pr, lam, tol, maxIters, warm);
    warm = r.warm;
    const { warm: _w, ...res } = r;
    return res;
  };
  // entropic bound: D_λ − D_OT ≤ H(P)/λ (nats), so D_λ − H(P)/λ > target proves the target infeasible
  const unreachable = (r: ZepeResult, lam: number): boolean => !pr.zeroDiag && r.converged && r.distortion - pr.hNats / lam > target;
  const dTol = 1e-11 * pr.dInd + 1e-300;
  const { res, bracketed } = solveLambda(evalAt, target, 1 / Math.max(maxEntry(pr.ds), 1e-300), dTol, unreachable);
  const ok = res.converged && bracketed && Math.abs(res.distortion - target) <= Math.max(dTol, 1e-9 * pr.dInd);
  return { ...res, converged: ok };
}

function warnZepe(where: string, r: ZepeResult): void {
  console.warn(`${where}: not converged (λ=${r.lambda}, ${r.iterations} Sinkhorn iterations, marginal residual ${r.marginalResidual})`);
}

/** Exact ZEPE optimum at a given λ, or at the λ that meets targetDistortion. */
export function zepe(opts: ZepeOptions): ZepeResult {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length, true);
  const tol = optTol('tol', opts.tol, 1e-12);
  const maxIters = optInt('maxIters', opts.maxIters, 200000, 1, MAX_SOLVER_ITERATIONS);
  const pr = zepeProblem(p, d);
  let r: ZepeResult;
  if (opts.targetDistortion !== undefined) {
    if (opts.lambda !== undefined) throw new RangeError('give either lambda or targetDistortion, not both');
    const t = opts.targetDistortion;
    checkTarget(t);
    r = zepeForTarget(pr, t, tol, maxIters);
  } else {
    const lam = checkPositive('lambda', opts.lambda);
    const { warm: _w, ...res } = zepeAt(pr, lam, tol, maxIters);
    r = res;
  }
  if (!r.converged) warnZepe('zepe', r);
  return r;
}

/** A point of the ZEPE curve. */
export interface ZepePoint {
  lambda: number;
  rate: number;
  distortion: number;
  perceptionKL: number;
  iterations: number;
  converged: boolean;
}

export interface ZepeCurveOptions {
  px: ProbabilityVector;
  distortion: DistortionMatrix;
  /** Target number of interior points of the automatic grid (default 100). */
  points?: number;
  /** Explicit multipliers (then exactly these points, no endpoints). */
  lambdas?: readonly number[];
  tol?: number;
  maxIters?: number;
}

function toZPoint(r: ZepeResult): ZepePoint {
  return { lambda: r.lambda, rate: r.rate, distortion: r.distortion, perceptionKL: r.perceptionKL ?? 0, iterations: r.iterations, converged: r.converged };
}

/**
 * The ZEPE R(D) curve sorted by distortion. Automatic grid: exact endpoints (D of P⊗P, 0) and, when d has a
 * unique zero per row, (0, H(X)); log-spaced λ between them, refined where points are sparse.
 */
export function zepeCurve(opts: ZepeCurveOptions): ZepePoint[] {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length, true);
  const tol = optTol('tol', opts.tol, 1e-12);
  const maxIters = optInt('maxIters', opts.maxIters, 200000, 1, MAX_SOLVER_ITERATIONS);
  const pr = zepeProblem(p, d);
  let warm: Warm | undefined;
  let quiet = false; // bracket probes are not returned, so they do not warn
  const solve = (lam: number): ZepePoint => {
    const r = zepeAt(pr, lam, tol, maxIters, warm);
    warm = r.warm;
    if (!r.converged && !quiet) warnZepe(`zepeCurve (λ=${lam})`, r);
    return toZPoint(r);
  };
  if (opts.lambdas !== undefined) {
    return [...checkParams('lambdas', opts.lambdas)].sort((a, b) => a - b).map(solve).sort(byDistortion);
  }
  const nPts = optInt('points', opts.points, 100, 2, MAX_CURVE_POINTS);
  const lo = toZPoint(independentSolution(pr));
  if (!(pr.dInd > 0)) return [lo];
  const l0 = 1 / maxEntry(pr.ds);
  quiet = true;
  let lLo = l0;
  for (let k = 0; k < 60 && solve(lLo).rate > 1e-9; k++) lLo /= 4;
  let lHi = l0, prev = Infinity;
  warm = undefined;
  for (let k = 0; k < 60; k++) {
    const r = solve(lHi);
    // the grid ends where the solver still converges: beyond, the plan is numerically at an OT vertex
    if (!r.converged) { lHi /= 4; break; }
    if (r.distortion < 1e-7 * pr.dInd || (!pr.zeroDiag && prev - r.distortion < 1e-7 * pr.dInd)) break;
    prev = r.distortion;
    lHi *= 4;
  }
  lHi = Math.max(lHi, lLo * 4);
  warm = undefined;
  quiet = false;
  const pts = logGrid(lLo, lHi, nPts).map((l) => ({ param: l, pt: solve(l) }));
  const hiRate = pr.uniqueZero ? entropyOf(pr.ps) : Math.max(...pts.map((e) => e.pt.rate));
  refineGrid(pts, pr.dInd, Math.max(hiRate, 1e-12), 2 / nPts, nPts, solve);
  const out = [lo, ...pts.map((e) => e.pt)];
  if (pr.uniqueZero) out.push(toZPoint(identitySolution(pr)));
  return out.sort(byDistortion);
}

export interface Lemma2Result {
  lambda: number;
  /** v(y) = P(y) / Σ_x e^{−λ d(x,y)} P(x), eq. (9). */
  v: Float64Array;
  /** Q_λ(y|x) = v(y) e^{−λ d(x,y)}, eq. (8): NOT row-stochastic in general. */
  conditional: DenseMatrix;
  /** Σ_y Q_λ(y|x) − 1 per x. */
  rowSumErrors: Float64Array;
  /** Σ_x P(x) Q_λ(y|x) − P(y) per y (zero by construction). */
  marginalErrors: Float64Array;
  maxRowSumError: number;
  maxMarginalError: number;
}

/** The paper's Lemma 2 closed form (8)–(9), exactly as printed, with its constraint violations (the erratum). */
export function lemma2ClosedForm(opts: { px: ProbabilityVector; distortion: DistortionMatrix; lambda: number }): Lemma2Result {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length, true);
  const lambda = checkPositive('lambda', opts.lambda);
  const n = p.length;
  const v = new Float64Array(n);
  for (let y = 0; y < n; y++) {
    let s = 0;
    for (let x = 0; x < n; x++) s += Math.exp(-lambda * d.data[x * n + y]) * p[x];
    v[y] = s > 0 ? p[y] / s : 0;
  }
  const Q = new Float64Array(n * n);
  const rowSumErrors = new Float64Array(n), marginalErrors = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    let s = 0;
    for (let y = 0; y < n; y++) s += (Q[x * n + y] = v[y] * Math.exp(-lambda * d.data[x * n + y]));
    rowSumErrors[x] = s - 1;
  }
  for (let y = 0; y < n; y++) {
    let s = 0;
    for (let x = 0; x < n; x++) s += p[x] * Q[x * n + y];
    marginalErrors[y] = s - p[y];
  }
  const maxAbs = (a: Float64Array): number => a.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  return {
    lambda, v, conditional: { data: Q, rows: n, cols: n }, rowSumErrors, marginalErrors,
    maxRowSumError: maxAbs(rowSumErrors), maxMarginalError: maxAbs(marginalErrors),
  };
}
