/**
 * Lemma 3: ZEPE with a latent (semantic) variable Z, problem (21) of the paper:
 *   R_sc = min I(X;Y|Z)  s.t.  Σ_x Q(y|x,z) P(x|z) = P(y|z) for all (y, z),  E[d(X,Y) | Z = z] ≤ D(z) for every z.
 * The objective is Σ_z p(z) I(X;Y|Z=z) and every constraint involves one z only, so (21) separates: for each z it
 * is plain ZEPE (problem (4), zepe.ts) with P(x|z) as both marginals, its own budget D(z) and its own multiplier
 * λ(z) — the optimum is the entropic-OT plan a_z(x) e^{−λ(z) d(x,y)} b_z(y), found by Sinkhorn scaling and
 * bisection on λ(z). (The paper's closed form (22)–(23) keeps only b_z, the output multiplier, and repeats
 * Lemma 2's missing row multiplier: docs/papers/zepe.md#errata-and-deviations.)
 *
 * Two ways to state the budgets:
 * - `classDistortions`: one budget D(z) per class, exactly as (21) states; each class is solved on its own.
 * - `targetDistortion`: one TOTAL budget D = Σ_z p(z) D(z), with the split chosen optimally. Minimising
 *   Σ_z p(z) R_z(D(z)) (each R_z convex and decreasing, slope −λ(z)/ln 2) subject to Σ_z p(z) D(z) = D gives
 *   equal slopes (KKT), i.e. ONE common λ for all z, found by bisection on λ. It is (21) at the budgets
 *   D(z) = E[d | Z = z] of its own solution.
 */
import {
  toDistortion, toProb, toStochastic, optInt, optTol, checkTarget, MAX_SOLVER_ITERATIONS,
  type DenseMatrix, type DistortionMatrix, type ProbabilityVector,
} from './matrix.js';
import { assertObject } from '../core/index.js';
import { entropyOf } from './measures.js';
import {
  zepeAt, zepeForTarget, zepeProblem, independentSolution, identitySolution, solveLambda, type Warm, type ZepeProblem, type ZepeResult,
} from './zepe.js';

export interface ZepeSemanticOptions {
  /** p(z). */
  pz: ProbabilityVector;
  /** P(x|z): one row per z, each a probability vector over X. */
  pxGivenZ: DistortionMatrix;
  /** Square distortion on X (Y = X). */
  distortion: DistortionMatrix;
  /** Total budget E d(X,Y) = Σ_z p(z) D(z), split optimally across classes (one common λ) ... */
  targetDistortion?: number;
  /** ... or one budget D(z) per class, as problem (21) states (one entry per z, also for p(z) = 0; each ≥ 0). */
  classDistortions?: ArrayLike<number>;
  tol?: number;
  maxIters?: number;
}

export interface ZepeSemanticPerZ {
  z: number;
  pz: number;
  /** I(X;Y|Z=z) in bits. */
  rate: number;
  /** D(z) = E[d | Z=z]. */
  distortion: number;
  /** λ(z): 0 when the class sits at its independent coupling (budget ≥ its D(P_z ⊗ P_z)), Infinity when Y = X. */
  lambda: number;
  /** Q(y|x, z). */
  conditional: DenseMatrix;
  marginalResidual: number;
  rowSumResidual: number;
  converged: boolean;
}

export interface ZepeSemanticResult {
  /** R_sc = I(X;Y|Z) in bits. */
  rateSc: number;
  /** H(Z) in bits. */
  hz: number;
  /** R_sc + H(Z). */
  total: number;
  perZ: ZepeSemanticPerZ[];
  /** How the budgets were given: one total (common λ) or one per class (λ(z) per class, in perZ). */
  budget: 'total' | 'per-class';
  /** The common multiplier λ(z) = λ of a total budget (0: every z at its independent coupling; Infinity: Y = X); null for per-class budgets. */
  lambda: number | null;
  /** Σ_z p(z) D(z). */
  distortion: number;
  converged: boolean;
}

interface Combined { results: ZepeResult[]; distortion: number; converged: boolean }

export function zepeSemantic(opts: ZepeSemanticOptions): ZepeSemanticResult {
  assertObject('options', opts);
  const pz = toProb('pz', opts.pz);
  const pxz = toStochastic('pxGivenZ', opts.pxGivenZ);
  if (pxz.rows !== pz.length) throw new RangeError(`pxGivenZ must have ${pz.length} rows (one per z), has ${pxz.rows}`);
  const d = toDistortion('distortion', opts.distortion, pxz.cols, true);
  const perClass = opts.classDistortions !== undefined;
  if (perClass === (opts.targetDistortion !== undefined)) {
    throw new RangeError('give either targetDistortion (one total budget) or classDistortions (one budget D(z) per class), exactly one');
  }
  let budgets: Float64Array | null = null;
  if (perClass) {
    const b = opts.classDistortions as ArrayLike<number>;
    if (b === null || typeof b !== 'object' || typeof b.length !== 'number') {
      throw new RangeError(`classDistortions must be an array of ${pz.length} numbers >= 0 (one per z), got ${String(b)}`);
    }
    if (b.length !== pz.length) throw new RangeError(`classDistortions must have ${pz.length} entries (one per z), has ${b.length}`);
    budgets = new Float64Array(pz.length);
    for (let z = 0; z < pz.length; z++) {
      const v = b[z];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`classDistortions[${z}] must be a finite number >= 0, got ${String(v)}`);
      budgets[z] = v;
    }
  } else {
    checkTarget(opts.targetDistortion);
  }
  const t = opts.targetDistortion ?? NaN;
  const tol = optTol('tol', opts.tol, 1e-12);
  const maxIters = optInt('maxIters', opts.maxIters, 200000, 1, MAX_SOLVER_ITERATIONS);
  const n = pxz.cols;
  const zs: number[] = [];
  for (let z = 0; z < pz.length; z++) if (pz[z] > 0) zs.push(z);
  const probs: ZepeProblem[] = zs.map((z) => zepeProblem(pxz.data.slice(z * n, (z + 1) * n), d));
  const combine = (results: ZepeResult[]): Combined => ({
    results,
    distortion: results.reduce((s, r, i) => s + pz[zs[i]] * r.distortion, 0),
    converged: results.every((r) => r.converged),
  });
  const dInd = probs.reduce((s, pr, i) => s + pz[zs[i]] * pr.dInd, 0);
  let combined: Combined, lambda: number | null, ok = true;
  if (budgets) {
    const B = budgets;
    combined = combine(probs.map((pr, i) => {
      try {
        return zepeForTarget(pr, B[zs[i]], tol, maxIters);
      } catch (err) {
        if (err instanceof RangeError) throw new RangeError(`classDistortions[${zs[i]}]: ${err.message}`);
        throw err;
      }
    }));
    lambda = null;
  } else if (t >= dInd) {
    combined = combine(probs.map(independentSolution));
    lambda = 0;
  } else if (t === 0 && probs.every((pr) => pr.uniqueZero)) {
    combined = combine(probs.map(identitySolution));
    lambda = Infinity;
  } else {
    const warms: (Warm | undefined)[] = probs.map(() => undefined);
    const evalAt = (lam: number): Combined => combine(probs.map((pr, i) => {
      const r = zepeAt(pr, lam, tol, maxIters, warms[i]);
      warms[i] = r.warm;
      return r;
    }));
    // same entropic bound as plain ZEPE, summed over z
    const hBound = probs.reduce((s, pr, i) => s + pz[zs[i]] * pr.hNats, 0);
    const allZeroDiag = probs.every((pr) => pr.zeroDiag);
    const unreachable = (c: Combined, lam: number): boolean => !allZeroDiag && c.converged && c.distortion - hBound / lam > t;
    let maxD = 0;
    for (const v of d.data) maxD = Math.max(maxD, v);
    const dTol = 1e-11 * dInd + 1e-300;
    const s = solveLambda(evalAt, t, 1 / Math.max(maxD, 1e-300), dTol, unreachable);
    combined = s.res;
    lambda = s.lambda;
    ok = s.bracketed && Math.abs(combined.distortion - t) <= Math.max(dTol, 1e-9 * dInd);
  }
  const perZ: ZepeSemanticPerZ[] = combined.results.map((r, i) => ({
    z: zs[i], pz: pz[zs[i]], rate: r.rate, distortion: r.distortion, lambda: r.lambda, conditional: r.conditional,
    marginalResidual: r.marginalResidual, rowSumResidual: r.rowSumResidual, converged: r.converged,
  }));
  const rateSc = perZ.reduce((s, e) => s + e.pz * e.rate, 0);
  const hz = entropyOf(pz);
  const converged = ok && combined.converged;
  if (!converged) {
    console.warn(budgets
      ? `zepeSemantic: not converged (per-class budgets; classes ${perZ.filter((e) => !e.converged).map((e) => e.z).join(', ')})`
      : `zepeSemantic: not converged (λ=${lambda}, distortion ${combined.distortion} vs target ${t})`);
  }
  return { rateSc, hz, total: rateSc + hz, perZ, budget: budgets ? 'per-class' : 'total', lambda, distortion: combined.distortion, converged };
}
