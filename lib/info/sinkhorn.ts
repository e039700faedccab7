/**
 * Entropic optimal transport by Sinkhorn scaling with absorption (Schmitzer 2019): the plan is
 * π(x,y) = u(x) K̃(x,y) v(y), K̃ = exp(f(x) + g(y) − λ d(x,y)). While u, v stay in [1e-100, 1e100] the loop is the
 * plain multiply path; when they leave it, log u and log v are absorbed into the potentials f, g and K̃ is rebuilt,
 * so any λ works without a log-sum-exp in the inner loop.
 */
import type { DenseMatrix } from './matrix.js';
import { sinkhornSweep, sinkhornColumn } from './kernels.js';
import { makeEngine } from './engine.js';

export interface EntropicPlan {
  n: number;
  m: number;
  /** Stabilised kernel K̃ (row-major n×m) and scalings: π = u K̃ v. */
  K: Float64Array;
  u: Float64Array;
  v: Float64Array;
  /** Potentials absorbed so far (log scale): log π = f + g − λ d + log u + log v. */
  f: Float64Array;
  g: Float64Array;
  lambda: number;
  iterations: number;
  /** max_y |Σ_x π(x,y) − q(y)| of the row-exact plan. */
  residual: number;
  converged: boolean;
}

const BIG = 1e100, SMALL = 1e-100;

function buildKernel(d: Float64Array, n: number, m: number, lambda: number, f: Float64Array, g: Float64Array, K: Float64Array): void {
  for (let x = 0; x < n; x++) {
    const o = x * m, fx = f[x];
    for (let y = 0; y < m; y++) K[o + y] = Math.exp(fx + g[y] - lambda * d[o + y]);
  }
}

/** Cold-start potentials: every row and every column of K̃ has a largest entry exactly 1. */
function coldPotentials(d: Float64Array, n: number, m: number, lambda: number, f: Float64Array, g: Float64Array): void {
  for (let x = 0; x < n; x++) {
    let mn = Infinity;
    for (let y = 0; y < m; y++) mn = Math.min(mn, d[x * m + y]);
    f[x] = lambda * mn;
  }
  g.fill(Infinity);
  for (let x = 0; x < n; x++) for (let y = 0; y < m; y++) g[y] = Math.min(g[y], lambda * d[x * m + y] - f[x]);
}

function outOfRange(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] > BIG || a[i] < SMALL) return true;
  return false;
}

/**
 * Cholesky solve of the SPD system A x = b (A k×k row-major, lower triangle used, overwritten); false if not
 * positive definite. Envelope (skyline) form: row i of L starts where row i of A does, so a banded A costs
 * O(k·band²) instead of k³/3.
 */
function choleskySolve(A: Float64Array, b: Float64Array, k: number): boolean {
  const first = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    let j = 0;
    while (j < i && A[i * k + j] === 0) j++;
    first[i] = j;
  }
  for (let j = 0; j < k; j++) {
    const fj = first[j], oj = j * k;
    let s = A[oj + j];
    for (let l = fj; l < j; l++) s -= A[oj + l] * A[oj + l];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    A[oj + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const fi = first[i];
      if (fi > j) continue;
      const oi = i * k;
      let t = A[oi + j];
      for (let l = Math.max(fi, fj); l < j; l++) t -= A[oi + l] * A[oj + l];
      A[oi + j] = t / ljj;
    }
  }
  for (let i = 0; i < k; i++) {
    let t = b[i];
    for (let l = first[i]; l < i; l++) t -= A[i * k + l] * b[l];
    b[i] = t / A[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let t = b[i];
    for (let l = i + 1; l < k; l++) if (first[l] <= i) t -= A[l * k + i] * b[l];
    b[i] = t / A[i * k + i];
  }
  return true;
}

/**
 * Largest support handled by the Newton polish: a step costs the Schur complement (n·m², much less when the
 * plan is banded, as at large λ) plus a dense m³/3 Cholesky — about 0.1 s at m = 512, 1 s at m = 1024.
 */
export const NEWTON_MAX = 1024;

/**
 * Newton's method on the dual potentials (F, G) of entropic OT, log π = F + G − λd, with G[m−1] fixed
 * (the dual is invariant to F + c, G − c). Sinkhorn is linear with a ratio → 1 as λ grows (near-diagonal
 * kernels); Newton finishes those in a few quadratic steps. The Schur complement on F gives an (m−1)² SPD system.
 * Returns the potentials, or null if it failed (the caller falls back to Sinkhorn).
 */
function newtonDual(
  p: Float64Array, q: Float64Array, d: Float64Array, n: number, m: number, lambda: number,
  F0: Float64Array, G0: Float64Array, tol: number,
): { F: Float64Array; G: Float64Array } | null {
  let F = Float64Array.from(F0), G = Float64Array.from(G0);
  const g0 = G[m - 1];
  for (let y = 0; y < m; y++) G[y] -= g0;
  const P = new Float64Array(n * m), r = new Float64Array(n), c = new Float64Array(m);
  const k = m - 1;
  const S = new Float64Array(k * k), rhs = new Float64Array(k), suf = new Float64Array(m + 1);
  const evalPlan = (Fv: Float64Array, Gv: Float64Array): number => {
    r.fill(0); c.fill(0);
    let tot = 0;
    for (let x = 0; x < n; x++) {
      for (let y = 0; y < m; y++) {
        const v = Math.exp(Fv[x] + Gv[y] - lambda * d[x * m + y]);
        P[x * m + y] = v; r[x] += v; c[y] += v; tot += v;
      }
    }
    let phi = -tot;
    for (let x = 0; x < n; x++) phi += p[x] * Fv[x];
    for (let y = 0; y < m; y++) phi += q[y] * Gv[y];
    return phi;
  };
  const marginalError = (): number => {
    let e = 0;
    for (let x = 0; x < n; x++) e = Math.max(e, Math.abs(p[x] - r[x]));
    for (let y = 0; y < m; y++) e = Math.max(e, Math.abs(q[y] - c[y]));
    return e;
  };
  // S = diag(c) − Pᵀ diag(1/r) P,  rhs = gG − Pᵀ (gF / r), on the first m−1 columns
  const rebuild = (): void => {
    S.fill(0);
    for (let y = 0; y < k; y++) rhs[y] = q[y] - c[y];
    for (let x = 0; x < n; x++) {
      const ir = 1 / r[x], gx = (p[x] - r[x]) * ir, o = x * m;
      // diagonal c_a − Σ_x π²/r = Σ_x π_xa (r_x − π_xa)/r_x, with r_x − π_xa summed from the OTHER entries:
      // near-diagonal plans (large λ) would otherwise cancel to 0 or below
      suf[m] = 0;
      for (let a = m - 1; a >= 0; a--) suf[a] = suf[a + 1] + P[o + a];
      let pre = 0;
      for (let a = 0; a < k; a++) {
        const pa = P[o + a];
        S[a * k + a] += pa * (pre + suf[a + 1]) * ir;
        rhs[a] -= pa * gx;
        pre += pa;
      }
      // off-diagonal −π_xa π_xb / r_x; entries below 1e-17 of the row mass change S by less than rounding,
      // and skipping them makes banded plans cheap
      const cut = 1e-17 * r[x];
      let lo = 0, hi = k - 1;
      while (lo < k && P[o + lo] <= cut) lo++;
      while (hi >= lo && P[o + hi] <= cut) hi--;
      for (let a = lo; a <= hi; a++) {
        if (P[o + a] <= cut) continue;
        const pa = P[o + a] * ir;
        for (let b = lo; b < a; b++) S[a * k + b] -= pa * P[o + b];
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) S[b * k + a] = S[a * k + b];
  };
  let phi = evalPlan(F, G);
  const err0 = marginalError();
  let best: { F: Float64Array; G: Float64Array } | null = null, bestErr = err0;
  // whatever happens, hand back the iterate with the smallest marginal error if it beats the start
  const done = (): { F: Float64Array; G: Float64Array } | null => best;
  for (let step = 0; step < 60; step++) {
    const err = marginalError();
    if (err < bestErr) { best = { F, G }; bestErr = err; }
    if (err <= tol) return { F, G };
    if (!Number.isFinite(phi)) return done();
    rebuild();
    if (!choleskySolve(S, rhs, k)) {
      // nearly disconnected plan (large λ): retry with a tiny Levenberg shift on the diagonal
      rebuild();
      let mx = 0;
      for (let a = 0; a < k; a++) mx = Math.max(mx, S[a * k + a]);
      for (let a = 0; a < k; a++) S[a * k + a] += 1e-12 * mx;
      if (!choleskySolve(S, rhs, k)) return done();
    }
    const dG = new Float64Array(m);
    dG.set(rhs.subarray(0, k));
    const dF = new Float64Array(n);
    let slope = 0;
    for (let x = 0; x < n; x++) {
      let s = 0;
      for (let y = 0; y < m; y++) s += P[x * m + y] * dG[y];
      dF[x] = (p[x] - r[x] - s) / r[x];
      slope += (p[x] - r[x]) * dF[x];
    }
    for (let y = 0; y < m; y++) slope += (q[y] - c[y]) * dG[y];
    // backtracking on the concave dual Φ (Armijo)
    let t = 1, accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      const Fn = F.map((v, x) => v + t * dF[x]);
      const Gn = G.map((v, y) => v + t * dG[y]);
      const phiN = evalPlan(Fn, Gn);
      // Armijo on Φ; once Φ moves at its rounding level, a full step that lowers the marginal error is accepted
      const flat = Math.abs(phiN - phi) <= 1e-13 * (Math.abs(phi) + 1);
      if (phiN >= phi + 1e-4 * t * slope || (flat && t === 1 && marginalError() < err)) {
        F = Fn; G = Gn; phi = phiN; accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) return done();
  }
  return done();
}

/**
 * Entropic OT between strictly positive marginals p (rows) and q (cols) at inverse temperature λ.
 * `warm` reuses potentials of a nearby λ (scaled by λ/λ_warm).
 */
export function entropicOT(
  p: Float64Array, q: Float64Array, d: DenseMatrix, lambda: number, tol: number, maxIters: number,
  warm?: { f: Float64Array; g: Float64Array; lambda: number },
): EntropicPlan {
  const n = d.rows, m = d.cols;
  const f = new Float64Array(n), g = new Float64Array(m);
  const K = new Float64Array(n * m);
  let cold = !warm;
  if (warm) {
    const s = lambda / warm.lambda;
    for (let x = 0; x < n; x++) f[x] = warm.f[x] * s;
    for (let y = 0; y < m; y++) g[y] = warm.g[y] * s;
  } else coldPotentials(d.data, n, m, lambda, f, g);
  buildKernel(d.data, n, m, lambda, f, g, K);
  const engine = makeEngine(K, n, m, p);
  const u = engine.w.subarray(0, n), v = engine.v.subarray(0, m);
  v.fill(1);
  const reload = (): void => { buildKernel(d.data, n, m, lambda, f, g, K); engine.loadKernel(K); v.fill(1); };
  let it = 0, err = Infinity, bestErr = Infinity, lastGain = 0;
  // small supports: after a short Sinkhorn warm-up, finish with Newton (Sinkhorn crawls at large λ)
  const newtonOk = n <= NEWTON_MAX && m <= NEWTON_MAX;
  let newtonAt = newtonOk ? 300 : Infinity, newtonTries = 0;
  let checkAt = 2000, errAtCheck = Infinity;
  while (it < maxIters) {
    if (it === newtonAt) {
      // retried every 2000 Sinkhorn iterations (a few times): each attempt starts closer
      newtonAt = ++newtonTries < 4 ? it + 2000 : Infinity;
      const F = f.map((v, x) => v + Math.log(u[x]));
      const G = g.map((w, y) => w + Math.log(v[y]));
      const nt = newtonDual(p, q, d.data, n, m, lambda, F, G, tol * 0.5);
      if (nt) {
        f.set(nt.F); g.set(nt.G);
        reload();
      }
    }
    err = sinkhornSweep(engine, p, q);
    it++;
    if (!Number.isFinite(err)) {
      if (cold) break; // a row of K̃ underflowed even from a cold start: give up (reported as not converged)
      cold = true;
      coldPotentials(d.data, n, m, lambda, f, g);
      reload();
      continue;
    }
    if (err <= tol) break;
    // hopeless crawl: if the linear rate of the last 2000 iterations cannot reach tol within the budget, stop
    if (it >= checkAt) {
      const rate = err / errAtCheck;
      if (newtonAt === Infinity && rate < 1 && Math.log(tol / err) / Math.log(rate) * 2000 > maxIters - it) {
        if (cold) break;
        // a warm start from another λ can land in a bad basin: one cold restart before giving up
        cold = true;
        coldPotentials(d.data, n, m, lambda, f, g);
        reload();
        bestErr = Infinity; lastGain = it; errAtCheck = Infinity; checkAt = it + 2000;
        if (newtonOk) { newtonAt = it + 300; newtonTries = 0; }
        continue;
      }
      errAtCheck = err;
      checkAt = it + 2000;
    }
    // stalled at the rounding floor of this kernel (seen after warm starts at large λ): one cold restart, then stop
    if (err < 0.9 * bestErr) { bestErr = err; lastGain = it; }
    else if (err < 1e-9 && it - lastGain > 2000) {
      if (cold) break;
      cold = true;
      coldPotentials(d.data, n, m, lambda, f, g);
      reload();
      bestErr = Infinity; lastGain = it;
      if (newtonOk) { newtonAt = it + 300; newtonTries = 0; }
      continue;
    }
    sinkhornColumn(engine, q);
    if (outOfRange(u) || outOfRange(v)) {
      for (let x = 0; x < n; x++) f[x] += Math.log(u[x]);
      for (let y = 0; y < m; y++) g[y] += Math.log(v[y]);
      reload();
    }
  }
  return { n, m, K, u: Float64Array.from(u), v: Float64Array.from(v), f, g, lambda, iterations: it, residual: err, converged: err <= tol };
}
