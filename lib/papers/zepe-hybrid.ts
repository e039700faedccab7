/**
 * ZEPE §V-B / Fig. 3, the hybrid semantic–classical link: a conditional VAE as the semantic link's generator,
 * the MSE-optimal linear classical link (top-d residual principal directions), and the experiment that measures
 * distortion and perception against d. Implementation in ./zepe-hybrid/.
 */
export {
  secondMoment, symmetricEigen, principalDirections, fitResidualBases, projectionFor, hybridProjection, combine,
  gaussianFit, frechetDistance, pixelStatsDistance, PROJECTION_MODES,
  type SymMatrix, type SymmetricEigen, type PrincipalDirections, type ProjectionMode, type ResidualBases,
  type FitProjectionOptions, type HybridProjectionOptions,
} from './zepe-hybrid/linalg.js';
export {
  trainConditionalVae, generate, trainClassifier, classify, loadHybridData, ensureBackend, dimOf, HYBRID_DATASETS, PHOTO_PATCH,
  type HybridDataset, type ImageRows, type Likelihood, type LatentPrior, type CvaeOptions, type ConditionalVae, type ClassifierOptions,
  type Classifier, type TrainSummary,
} from './zepe-hybrid/models.js';
export {
  hybridExperiment, hybridProfile, hybridReconstruct,
  type HybridExperimentOptions, type HybridExperimentResult, type HybridRow, type HybridMetrics, type HybridGrid, type HybridProfile,
} from './zepe-hybrid/experiment.js';
export { encodePng, renderImageGrid, crc32, PNG_SIGNATURE, type ImageGridOptions, type RenderedGrid } from './zepe-hybrid/png.js';
export { hybridFigureRows, hybridScaleNote } from './zepe-hybrid/figures.js';
