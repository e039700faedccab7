/**
 * The ZEPE paper (Choi, Nam, Park, Ko and Kim, "Zero perception error rate-distortion for semantic communication";
 * docs/papers/zepe.md): the exact-solver experiments and the Fig. 3 plan (plan.ts), the hybrid semantic–classical
 * experiment (hybrid.ts, with its classical link in projection.ts and its networks in models.ts), the figure rows
 * (figures.ts) and the claims (claims.ts).
 */
export {
  example1, squaredErrorMatrix, rateAt, distortionAtRate, fig1, lemma2Erratum, gaussianDoubling, GAUSSIAN_RATE_MIN, GAUSSIAN_RATE_MAX, rdpFamily, semanticSource,
  lemma3Curves, lemma3Classes, lemma2Overlay, marginalsAtDistortion, rateGapsAt, planTrials, RATE_GAP_DISTORTIONS, BA_TOL_BITS,
  type DiscreteSource, type CurveRow, type KlRow, type Fig1Summary, type Lemma2Row, type GaussianRow, type RatioRow, type RdpRow,
  type Lemma3Point, type Lemma3ClassRow, type Lemma2OverlayPoint, type Lemma2Overlay, type MarginalRow, type RateGapRow,
} from './plan.js';
export {
  principalDirections, fitResidualBases, projectionFor, hybridProjection, combine, PROJECTION_MODES,
  type ProjectionMode, type PrincipalDirections, type ResidualBases, type FitProjectionOptions, type HybridProjectionOptions,
} from './projection.js';
export {
  trainConditionalVae, generate, encodeMean, decodeLatent, LATENT_PRIORS, trainClassifier, classify, loadHybridData, loadHybridRows, initCvaeParams, initClassifierParams, ensureBackend, dimOf, HYBRID_DATASETS, PHOTO_PATCH,
  type HybridDataset, type ImageRows, type Likelihood, type LatentPrior, type AggregateFit, type CvaeOptions, type ConditionalVae, type ClassifierOptions,
  type Classifier, type TrainSummary,
} from './models.js';
export {
  hybridExperiment, hybridReconstruct,
  type HybridExperimentOptions, type HybridExperimentResult, type HybridRow, type HybridMetrics, type HybridItems, type HybridGrid,
  type HybridProfile, type GeneratorCurveRow, type SemanticLink,
} from './hybrid.js';
export {
  hybridFigureRows, hybridScaleNote, hybridBandNote, semanticLinkNote, generatorCurveRows, extrapolateGeneratorGap,
  type QualityRow, type PerceptionRow, type HybridFigureRows, type GeneratorCurvePoint,
} from './figures.js';
export {
  claims, PERCEPTION_D, GENERATOR_GAP_TOLERANCE, CLOSED_FORM_ROUNDING, SUPPORT_EXIT_TOL, KL_ZERO_TOL_BITS, CONSTRAINT_TOL, GAUSSIAN_FIT_TOL, CLAIM_BOOTSTRAP, FRECHET_BOOTSTRAP,
  type ZepeResults, type HybridClaimInput,
} from './claims.js';
