/**
 * Lemma 3: ZEPE with a latent (semantic) variable Z, problem (21). For each z the problem is plain ZEPE with
 * P(x|z) as both marginals and a multiplier λ(z). The split of a TOTAL target D = Σ_z p(z) D(z) is chosen
 * optimally: minimising Σ_z p(z) R_z(D(z)) (each R_z convex and decreasing, slope −λ(z)/ln 2) subject to
 * Σ_z p(z) D(z) = D gives equal slopes (KKT), i.e. ONE common λ for all z, found by bisection on λ.
 */
import {
  toDistortion, toProb, toStochastic, optInt, optTol, checkTarget, MAX_SOLVER_ITERATIONS,
  type DenseMatrix, type DistortionMatrix, type ProbabilityVector,
} from './matrix.js';
import { assertObject } from '../core/index.js';
import { entropyOf } from './measures.js';
import { zepeAt, zepeProblem, independentSolution, identitySolution, solveLambda, type Warm, type ZepeProblem, type ZepeResult } from './zepe.js';

export interface ZepeSemanticOptions {
  /** p(z). */
  pz: ProbabilityVector;
  /** P(x|z): one row per z, each a probability vector over X. */
  pxGivenZ: DistortionMatrix;
  /** Square distortion on X (Y = X). */
  distortion: DistortionMatrix;
  /** Total target E d(X,Y) = Σ_z p(z) D(z). */
  targetDistortion: number;
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
  /** The common multiplier λ(z) = λ (0: every z at its independent coupling; Infinity: Y = X). */
  lambda: number;
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
  const t = opts.targetDistortion;
  checkTarget(t);
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
  let combined: Combined, lambda: number, ok = true;
  if (t >= dInd) {
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
    z: zs[i], pz: pz[zs[i]], rate: r.rate, distortion: r.distortion, conditional: r.conditional,
    marginalResidual: r.marginalResidual, rowSumResidual: r.rowSumResidual, converged: r.converged,
  }));
  const rateSc = perZ.reduce((s, e) => s + e.pz * e.rate, 0);
  const hz = entropyOf(pz);
  const converged = ok && combined.converged;
  if (!converged) console.warn(`zepeSemantic: not converged (λ=${lambda}, distortion ${combined.distortion} vs target ${t})`);
  return { rateSc, hz, total: rateSc + hz, perZ, lambda, distortion: combined.distortion, converged };
}
