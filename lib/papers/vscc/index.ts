/**
 * VSCC — "Variational Source-Channel Coding for Semantic Communication" (docs/papers/vscc.md): the codec of Fig. 5
 * trained with the VSCC (10), VAE (11) or AE (12) loss over AWGN, the paper's three testing methods, the plan and
 * runner (plan.ts), the typed results and the validation-split CMC choice (results.ts), the notebook's rows and
 * figures (figures.ts), the paper's claims under the verdict rule (claims.ts), intervals over training seeds × test
 * patches (seeds.ts) and the separate-coding reference with its crossovers (separate.ts).
 */
export {
  type Method, METHODS, type TestMethod, TEST_METHODS, SNR_RANGE_DB, type CodecArch, PAPER_ARCH, PAPER_TRAINING,
  type ModelConfig, type EvalSpec, type WarmStart, assertSnrDb, validateArch, validateModel, validateEval, validateWarmStart, archOf, modelConfig, latentSide,
  channelUses, bandwidthRatio,
} from './config.js';
export {
  awgnNoiseVariance, gaussianKl, vsccKl, vaeKl, vsccOptimalVariance, vsccKlTensor, vaeKlTensor, powerNormalize,
  knowledgeBaseVariance,
} from './losses.js';
export { LOG_VAR_RANGE, initCodec, encode, decode, trainingLoss, pretrainLoss, type Encoded, type LossParts } from './model.js';
export {
  DECODE_BATCH, encodeSet, receivedVariance, evaluateModel, knowledgeBase, log10Histogram, exampleDecodes,
  type Images, type CurvePoint, type EncodedSet,
} from './evaluate.js';
export {
  spreadIndices, pickRows, spreadSubset, VALIDATION_PHOTO_STRIDE, heldOutSplit, loadHeldOut, loadEvalImages, loadTrainImages, trainModel, runTrial, runPretrain, warmStartInto, warmStartKey,
  type HeldOut, type TrialConfig, type TrialResult, type TrainInfo, type VarianceInfo,
} from './trial.js';
export {
  PAPER_TRAIN_SNRS_DB, PAPER_CMCS, PAPER_TEST_SNRS_DB, PAPER_BEST_CMC, PAPER_FIG7_POINTS, WINDOW_DB, inWindow, planTrials, replicateTrials, transmittedTrial,
  runTrials, runWarmStart, type VsccPlan, type PlannedTrial, type WarmStartRun,
} from './plan.js';
export {
  scoresOf, vsccResults, entriesOf, seedsOf, scoresAt, scoresAtBySeed, windowScores, windowBySeed, validationMeans, bestCmc, chosenCmc,
  type Split, type Metric, type PatchScores, type VsccResults, type Selection, type BestCmcRow,
} from './results.js';
export {
  FIGURE_RESAMPLES, CI_METRICS, DIFFERENCE_METRICS, differenceRows, curveRows, fig7Rows, fig8Rows, fig9Rows, bestCmcComparison, varianceRows, varianceSummary, methodsAt, paperPointRows, metricGridSpec, METHOD_LABELS,
  type CurveRow, type DifferenceRow, type Fig7Row, type Fig8Row, type Fig9Row, type BestCmcTableRow, type VarianceRow, type VarianceSummaryRow, type MethodsAtRow, type PaperPointRow, type GridMetric,
} from './figures.js';
export { claims, marginLessAbs, CLAIM_RESAMPLES, TESTS_CLOSE_MARGIN_DB, HIGH_TEST_SNR_DB } from './claims.js';
export {
  jpegCapacityReference, crossings, separateCrossovers, crossoverSentence, type SeparatePoint, type Crossing, type CrossoverRow,
} from './separate.js';
export {
  SCRATCH_CMC, scratchTrials, meanColourPsnr, scratchRows, lossRows, lossSpec, scratchSentence, type ScratchRow, type LossRow,
} from './scratch.js';
export { seedPatchMean, seedPatchDifference, seedText, type SeedScores, type SeedBootstrapOptions } from './seeds.js';
