/**
 * Exact discrete information-theory solvers for the ZEPE paper (rates in bits, plain Float64Array):
 * entropy/KL/MI, Blahut–Arimoto R(D), ZEPE R(D) by Sinkhorn (entropic OT), Lemma 2 as printed (erratum),
 * the exact point where the conventional optimum drops a letter (support.ts), Lemma 3 with a latent variable, the R-D-P function with a KL perception constraint, Gaussian closed forms.
 */
export type { DenseMatrix, DistortionMatrix, ProbabilityVector } from './matrix.js';
export { toDenseMatrix, MAX_SOLVER_ITERATIONS, MAX_CURVE_POINTS } from './matrix.js';
export { entropy, klDivergence, mutualInformation, binaryEntropy } from './measures.js';
export { blahutArimoto, rdCurve, type RDResult, type RDPoint, type BlahutArimotoOptions, type RDCurveOptions } from './blahut.js';
export {
  zepe, zepeCurve, lemma2ClosedForm,
  type ZepeResult, type ZepeOptions, type ZepePoint, type ZepeCurveOptions, type Lemma2Result,
} from './zepe.js';
export { rdSupportExit, type SupportExitOptions, type SupportExitResult } from './support.js';
export { zepeSemantic, type ZepeSemanticOptions, type ZepeSemanticResult, type ZepeSemanticPerZ } from './semantic.js';
export { rdpCurve, rdpAt, type RDPOptions, type RDPPoint } from './rdp.js';
export { gaussianRD, gaussianDR, gaussianPerfectPerceptionDR, gaussianZepeMultiplier, discretizeGaussian, type DiscreteGaussian } from './gaussian.js';
export { engineKind } from './engine.js';
