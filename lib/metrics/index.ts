/**
 * semcom-workbook/metrics: image quality (PSNR, SSIM, MS-SSIM) on interleaved HWC arrays, a sanity ladder that
 * checks whether a quality measure orders a fixed set of degradations correctly, and classification
 * accuracy with a 95 % interval, bootstrap intervals, and Fréchet / per-pixel-statistics distances between sample sets.
 */
export type { Pixels, ImageShape } from './image.js';
export { mse, psnr, type PsnrOptions } from './psnr.js';
export {
  ssim, gaussianWindow1d, SSIM_WINDOW, SSIM_SIGMA, SSIM_K1, SSIM_K2, type SsimOptions,
} from './ssim.js';
export {
  msSsim, msSsimDetailed, maxMsSsimScales, MS_SSIM_WEIGHTS,
  type MsSsimOptions, type MsSsimResult, type MsSsimScale,
} from './msssim.js';
export { accuracy, accuracyWithInterval, type AccuracyResult, type AccuracyOptions, type IntervalMethod } from './accuracy.js';
export { psnrBatch, ssimBatch, mean, type BatchOptions } from './batch.js';
export {
  perceptualDistance, perceptualDistanceBatch, perceptualModelInfo, releasePerceptualModel,
  PERCEPTUAL_METRIC_NAME, PERCEPTUAL_MODEL_PACKAGE, PERCEPTUAL_INPUT_SIZE, PERCEPTUAL_LAYERS,
  type PerceptualShape, type PerceptualBatchOptions, type PerceptualModelInfo,
} from './perceptual.js';
export {
  MAX_BINOMIAL_N, bootstrapMean, pairedBootstrap, exactBinomialInterval, estimateFromHalfWidth, binomialCdf, logGamma,
    quantileSorted,
  type Estimate, type BootstrapOptions, type PairedBootstrapOptions, type PairedStatistic,
} from './bootstrap.js';
export {
  MAX_FRECHET_DIM, gaussianFit, frechetDistance, frechetReference, frechetToReference, frechetBootstrap,
    pairedFrechetBootstrap, pixelStatsDistance,
  type FrechetReference, type FrechetBootstrapOptions,
} from './frechet.js';
export {
  buildDegradationLadder, checkMeasureOnLadder, SANITY_DEGRADATIONS, SANITY_CONSTRAINTS, SANITY_BLUR_SIGMAS,
    SANITY_NOISE_SIGMAS, SANITY_JPEG_QUALITIES, MAX_LADDER_IMAGES, PSNR_MEASURE, SSIM_MEASURE, MS_SSIM_MEASURE,
    PERCEPTUAL_MEASURE,
  type Degradation, type DegradationFamily, type OrderConstraint, type LadderShape, type LadderOptions,
    type DegradationLadder, type MeasureDirection, type QualityMeasure, type SanityOptions, type DegradationScore,
    type ConstraintResult, type SanityResult,
} from './sanity.js';
export {
  fitSaturating, olsSlope, powerLawFit, powerLawXAt, type PowerLawFit, type SaturatingFit, type SaturatingFitOptions,
} from './curve.js';
