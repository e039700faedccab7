/**
 * Conventional rate–distortion function R(D) by Blahut–Arimoto (Blahut 1972), rates in bits.
 * At slope β (nats per unit distortion): Q(y|x) ∝ q(y) e^{-β d(x,y)}, q(y) = Σ_x p(x) Q(y|x).
 */
import {
  toDistortion, toProb, checkPositive, optInt, optTol, checkParams, MAX_SOLVER_ITERATIONS, MAX_CURVE_POINTS,
  type DenseMatrix, type DistortionMatrix, type ProbabilityVector,
} from './matrix.js';
import { assertObject } from '../core/index.js';
import { channelInformation, channelStats, entropyOf, klOf } from './measures.js';
import { baStep, baObjective } from './kernels.js';
import { makeEngine } from './engine.js';

/** A solved point of a rate–distortion problem. */
export interface RDResult {
  /** I(X;Y) in bits, against the channel's actual output marginal. */
  rate: number;
  /** E d(X,Y). */
  distortion: number;
  /** Q(y|x), rows = x (sum to 1), cols = y. */
  conditional: DenseMatrix;
  /** Q_Y(y) = Σ_x p(x) Q(y|x). */
  outputMarginal: Float64Array;
  /** D(P‖Q_Y) in bits when the alphabets coincide (square distortion); +Infinity if Q_Y(y) = 0 < P(y); null if not square. */
  /**
   * D(P‖Q_Y) in bits of the exact optimum's reconstruction (square matrices; null otherwise): +∞ when the optimum
   * drops a letter that P uses (see optimalSupportMarginal), not the finite value of BA's last iterate.
   */
  perceptionKL: number | null;
  iterations: number;
  converged: boolean;
}

export interface BlahutArimotoOptions {
  px: ProbabilityVector;
  distortion: DistortionMatrix;
  /** Slope parameter β > 0 (nats per unit distortion); R'(D) = −β / ln 2 bits per unit distortion. */
  beta: number;
  /** Stop when Blahut's upper−lower bound gap on R is below tol bits (default 1e-7; Blahut's bound is a certificate: near the edge of the optimal output support it closes sublinearly, so ask for less on fine alphabets). */
  tol?: number;
  maxIters?: number;
  /** Starting output marginal (default uniform); letters at 0 stay at 0. */
  initialMarginal?: ProbabilityVector;
}

/** e^{-β (d − min_y d)} row by row: the row shift cancels in Q(y|x) and in c(y), and keeps large β finite. */
export function baKernel(d: DenseMatrix, beta: number): Float64Array {
  return rowShiftedMap(d, (v, mn) => Math.exp(-beta * (v - mn)));
}

/** K[x, y] = f(d[x, y], min_y d[x, ·]), row by row. */
function rowShiftedMap(d: DenseMatrix, f: (v: number, rowMin: number) => number): Float64Array {
  const { rows, cols, data } = d;
  const K = new Float64Array(rows * cols);
  for (let x = 0; x < rows; x++) {
    const o = x * cols;
    let mn = Infinity;
    for (let y = 0; y < cols; y++) mn = Math.min(mn, data[o + y]);
    for (let y = 0; y < cols; y++) K[o + y] = f(data[o + y], mn);
  }
  return K;
}

/** Indicator kernel of the row minimisers: the β → ∞ limit of baKernel. */
function argminKernel(d: DenseMatrix): Float64Array {
  return rowShiftedMap(d, (v, mn) => (v === mn ? 1 : 0));
}

/** BA iterations on a given kernel, then the exact rate/distortion of the final channel. */
export function baSolve(
  p: Float64Array, d: DenseMatrix, K: Float64Array, tol: number, maxIters: number, q0?: Float64Array,
): RDResult & { gap: number } {
  const n = d.rows, m = d.cols;
  const engine = makeEngine(K, n, m, p);
  const q = engine.v.subarray(0, m); // the iterate lives in the engine's input vector
  if (q0) q.set(q0); else q.fill(1 / m);
  const tolNats = tol / Math.LOG2E;
  const s0 = new Float64Array(m), s1 = new Float64Array(m), s2 = new Float64Array(m);
  const objective = (): number => baObjective(engine, p);
  let gap = Infinity, it = 0;
  // SQUAREM (Varadhan & Roland 2008) around the BA/EM map: two BA steps, a squared extrapolation of the
  // output marginal, one BA step from there, kept only if F did not increase. Plain BA crawls (thousands of
  // iterations) on fine alphabets such as a discretised Gaussian.
  while (it < maxIters) {
    s0.set(q);
    gap = baStep(engine, p);
    it++;
    if (Number.isNaN(gap) || gap <= tolNats || it >= maxIters) break;
    const f0 = objective();
    s1.set(q);
    gap = baStep(engine, p);
    it++;
    if (Number.isNaN(gap) || gap <= tolNats || it >= maxIters) break;
    let sr = 0, sv = 0;
    for (let y = 0; y < m; y++) {
      const r = s1[y] - s0[y], v = q[y] - 2 * s1[y] + s0[y];
      sr += r * r; sv += v * v;
    }
    if (!(sv > 0)) continue;
    let alpha = -Math.sqrt(sr / sv);
    if (alpha > -1) continue;
    s2.set(q);
    let ok = false;
    for (let k = 0; k < 30 && alpha < -1; k++) {
      ok = true;
      for (let y = 0; y < m; y++) {
        const r = s1[y] - s0[y], v = s2[y] - 2 * s1[y] + s0[y];
        const e = s0[y] - 2 * alpha * r + alpha * alpha * v;
        if (s0[y] > 0 && !(e > 0)) { ok = false; break; }
        q[y] = s0[y] > 0 ? e : 0;
      }
      if (ok) break;
      alpha = (alpha - 1) / 2;
    }
    if (!ok) { q.set(s2); continue; }
    let sq = 0;
    for (let y = 0; y < m; y++) sq += q[y];
    for (let y = 0; y < m; y++) q[y] /= sq;
    const g3 = baStep(engine, p);
    it++;
    if (!Number.isNaN(g3) && objective() <= f0) gap = g3;
    else q.set(s2); // rejected: continue from the plain BA iterate
    if (gap <= tolNats) break;
  }
  // the last step updated q; renormalise against round-off drift
  let sq = 0;
  for (let y = 0; y < m; y++) sq += q[y];
  for (let y = 0; y < m; y++) q[y] /= sq;
  const Q = new Float64Array(n * m);
  let ok = !Number.isNaN(gap);
  for (let x = 0; x < n; x++) {
    const o = x * m;
    let zx = 0;
    for (let y = 0; y < m; y++) zx += K[o + y] * q[y];
    if (!(zx > 0)) { ok = false; continue; }
    for (let y = 0; y < m; y++) Q[o + y] = (K[o + y] * q[y]) / zx;
  }
  const { qy, distortion } = channelStats(p, Q, d.data, m);
  const converged = ok && gap <= tolNats;
  return {
    rate: ok ? channelInformation(p, Q, m, qy) : NaN,
    distortion: ok ? distortion : NaN,
    conditional: { data: Q, rows: n, cols: m },
    outputMarginal: qy,
    perceptionKL: n === m ? klOf(p, converged ? optimalSupportMarginal(p, K, q, qy, n, m) : qy) : null,
    iterations: it,
    converged,
    gap: gap * Math.LOG2E,
  };
}

/** A letter whose KKT ratio c(y) is below this is off the optimum's support (see optimalSupportMarginal). */
export const OFF_SUPPORT_RATIO = 0.99;

/**
 * The output marginal of the exact optimum, read off a converged iterate. At the optimum every letter in the
 * support has c(y) = Σ_x p(x)K(x,y)/Σ_y' q(y')K(x,y') = 1 and every other letter has c(y) ≤ 1 and q(y) = 0.
 * BA only shrinks a dropped letter's mass geometrically, so its iterate keeps q(y) > 0 and D(P‖Q_Y) comes out
 * finite, at a value set by the iteration count. Since Σ_y q(y)(1 − c(y)) = 0 and max c ≤ e^gap, a letter with
 * c(y) < 0.99 has q(y) ≤ 100·gap: it is counted as zero mass, so the KL is +∞ whenever the optimum drops a letter.
 */
export function optimalSupportMarginal(p: Float64Array, K: Float64Array, q: Float64Array, qy: Float64Array, n: number, m: number): Float64Array {
  const c = new Float64Array(m);
  for (let x = 0; x < n; x++) {
    if (p[x] === 0) continue;
    const o = x * m;
    let zx = 0;
    for (let y = 0; y < m; y++) zx += K[o + y] * q[y];
    if (!(zx > 0)) continue;
    for (let y = 0; y < m; y++) c[y] += (p[x] * K[o + y]) / zx;
  }
  const out = Float64Array.from(qy);
  for (let y = 0; y < m; y++) if (c[y] < OFF_SUPPORT_RATIO) out[y] = 0;
  return out;
}

function warnBA(where: string, r: { iterations: number; gap: number }, tol: number): void {
  console.warn(`${where}: not converged after ${r.iterations} iterations (bound gap ${r.gap} bits > tol ${tol})`);
}

/** Conventional R(D) at slope β by Blahut–Arimoto. */
export function blahutArimoto(opts: BlahutArimotoOptions): RDResult {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length);
  const beta = checkPositive('beta', opts.beta);
  const tol = optTol('tol', opts.tol, 1e-7);
  const maxIters = optInt('maxIters', opts.maxIters, 200000, 1, MAX_SOLVER_ITERATIONS);
  let q0: Float64Array | undefined;
  if (opts.initialMarginal !== undefined) {
    q0 = toProb('initialMarginal', opts.initialMarginal);
    if (q0.length !== d.cols) throw new RangeError(`initialMarginal must have ${d.cols} entries, has ${q0.length}`);
  }
  const r = baSolve(p, d, baKernel(d, beta), tol, maxIters, q0);
  if (!r.converged) warnBA('blahutArimoto', r, tol);
  const { gap: _gap, ...out } = r;
  return out;
}

/** A point of R(D); β = 0 marks the D_max endpoint and β = Infinity the D_min endpoint. */
export interface RDPoint {
  beta: number;
  rate: number;
  distortion: number;
  perceptionKL: number | null;
  iterations: number;
  converged: boolean;
}

export interface RDCurveOptions {
  px: ProbabilityVector;
  distortion: DistortionMatrix;
  /** Explicit slopes (then exactly these points are returned, no endpoints). */
  betas?: readonly number[];
  /** Target number of interior points of the automatic grid (default 100; refinement may add up to as many again). */
  points?: number;
  tol?: number;
  maxIters?: number;
}

/** D_max = min_y Σ_x p(x) d(x,y) (rate 0) and its minimiser. */
export function rdMaxDistortion(p: Float64Array, d: DenseMatrix): { dmax: number; y: number } {
  let best = Infinity, arg = 0;
  for (let y = 0; y < d.cols; y++) {
    let s = 0;
    for (let x = 0; x < d.rows; x++) s += p[x] * d.data[x * d.cols + y];
    if (s < best) { best = s; arg = y; }
  }
  return { dmax: best, y: arg };
}

/** The D_min = Σ_x p(x) min_y d(x,y) endpoint: exactly H(f(X)) when each row has a unique minimiser f(x). */
function rdMinEndpoint(p: Float64Array, d: DenseMatrix, tol: number, maxIters: number): RDPoint {
  const K = argminKernel(d);
  const n = d.rows, m = d.cols;
  let unique = true;
  for (let x = 0; x < n && unique; x++) {
    let cnt = 0;
    for (let y = 0; y < m; y++) cnt += K[x * m + y];
    if (cnt !== 1 && p[x] > 0) unique = false;
  }
  if (unique) {
    const qy = new Float64Array(m);
    let dist = 0;
    for (let x = 0; x < n; x++) {
      for (let y = 0; y < m; y++) if (K[x * m + y] === 1) { qy[y] += p[x]; dist += p[x] * d.data[x * m + y]; }
    }
    return { beta: Infinity, rate: entropyOf(qy), distortion: dist, perceptionKL: n === m ? klOf(p, qy) : null, iterations: 0, converged: true };
  }
  // ties: min I(X;Y) over channels supported on the minimisers = BA on the 0/1 kernel
  const r = baSolve(p, d, K, tol, maxIters);
  if (!r.converged) warnBA('rdCurve (D_min endpoint)', r, tol);
  return { beta: Infinity, rate: r.rate, distortion: r.distortion, perceptionKL: r.perceptionKL, iterations: r.iterations, converged: r.converged };
}

function toPoint(beta: number, r: RDResult): RDPoint {
  return { beta, rate: r.rate, distortion: r.distortion, perceptionKL: r.perceptionKL, iterations: r.iterations, converged: r.converged };
}

/** Log-spaced grid from lo to hi (inclusive). */
export function logGrid(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [Math.sqrt(lo * hi)];
  const a = Math.log(lo), b = Math.log(hi);
  return Array.from({ length: n }, (_, i) => Math.exp(a + ((b - a) * i) / (n - 1)));
}

/**
 * Insert geometric-midpoint parameters where consecutive points (sorted by distortion) are far apart in the
 * normalised (D, R) plane, so the curve is covered evenly whatever the parameter→distortion map looks like.
 */
export function refineGrid<P extends { distortion: number; rate: number }>(
  pts: { param: number; pt: P }[], dScale: number, rScale: number, maxGap: number, budget: number,
  solve: (param: number) => P,
): void {
  for (let pass = 0; pass < 4 && budget > 0; pass++) {
    pts.sort((a, b) => a.param - b.param);
    const add: number[] = [];
    for (let i = 0; i + 1 < pts.length && add.length < budget; i++) {
      const a = pts[i].pt, b = pts[i + 1].pt;
      const gap = Math.hypot((a.distortion - b.distortion) / dScale, (a.rate - b.rate) / rScale);
      if (gap > maxGap) add.push(Math.sqrt(pts[i].param * pts[i + 1].param));
    }
    if (add.length === 0) return;
    budget -= add.length;
    for (const prm of add) pts.push({ param: prm, pt: solve(prm) });
  }
}

/**
 * The whole conventional R(D) curve, sorted by distortion. With the automatic grid it runs from the exact
 * endpoint (D_max, 0) to the exact endpoint (D_min, R(D_min)) (= (0, H(X)) when d has a unique zero per row),
 * with log-spaced slopes chosen so both ends are reached, then refined where points are sparse.
 */
export function rdCurve(opts: RDCurveOptions): RDPoint[] {
  assertObject('options', opts);
  const p = toProb('px', opts.px);
  const d = toDistortion('distortion', opts.distortion, p.length);
  const tol = optTol('tol', opts.tol, 1e-7);
  const maxIters = optInt('maxIters', opts.maxIters, 200000, 1, MAX_SOLVER_ITERATIONS);
  const m = d.cols;
  const uniform = new Float64Array(m).fill(1 / m);
  let warm: Float64Array | undefined;
  // warm start from the previous output marginal, mixed with a little uniform so dead letters can revive
  const solve = (beta: number): RDPoint => {
    const q0 = warm ? warm.map((v, i) => 0.999 * v + 0.001 * uniform[i]) : undefined;
    const r = baSolve(p, d, baKernel(d, beta), tol, maxIters, q0);
    if (!r.converged) warnBA(`rdCurve (beta=${beta})`, r, tol);
    warm = r.outputMarginal;
    return toPoint(beta, r);
  };
  if (opts.betas !== undefined) {
    return [...checkParams('betas', opts.betas)].sort((a, b) => b - a).map(solve).sort(byDistortion);
  }
  const nPts = optInt('points', opts.points, 100, 2, MAX_CURVE_POINTS);
  const { dmax, y: ymax } = rdMaxDistortion(p, d);
  const hi = rdMinEndpoint(p, d, tol, maxIters);
  const qmax = new Float64Array(m);
  qmax[ymax] = 1;
  const lo: RDPoint = { beta: 0, rate: 0, distortion: dmax, perceptionKL: d.rows === m ? klOf(p, qmax) : null, iterations: 0, converged: true };
  const span = dmax - hi.distortion;
  if (!(span > 1e-15 * Math.max(1, dmax))) return [hi.rate > 0 ? hi : lo];
  // bracket the slopes: β_lo where the rate has died, β_hi where D is within 1e-7 of D_min
  let bLo = 1 / span;
  for (let k = 0; k < 60 && solve(bLo).rate > 1e-9; k++) bLo /= 4;
  let bHi = 1 / span;
  warm = undefined;
  for (let k = 0; k < 60 && solve(bHi).distortion - hi.distortion > 1e-7 * span; k++) bHi *= 4;
  warm = undefined;
  const grid = logGrid(bLo, bHi, nPts).reverse();
  const pts = grid.map((b) => ({ param: b, pt: solve(b) }));
  warm = undefined;
  refineGrid(pts, span, Math.max(hi.rate, 1e-12), 2 / nPts, nPts, solve);
  // slopes below the critical one give (nearly) rate 0 at D ≥ D_max while BA slowly picks a single letter:
  // those points are off the curve, whose end is the exact (D_max, 0)
  const interior = pts.map((e) => e.pt).filter((e) => e.distortion < dmax && e.distortion > hi.distortion);
  return [lo, ...interior, hi].sort(byDistortion);
}

export function byDistortion(a: { distortion: number; rate: number }, b: { distortion: number; rate: number }): number {
  return a.distortion - b.distortion || b.rate - a.rate;
}
