/**
 * VSCC — "Variational Source-Channel Coding for Semantic Communication" (NOTES §B): the codec of Fig. 5 trained with
 * the VSCC (10), VAE (11) or AE (12) loss over AWGN, the paper's three testing methods, and the notebook's glue.
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
export { spreadSubset, trainModel, runTrial, runPretrain, warmStartInto, warmStartKey, type TrialConfig, type TrialResult, type TrainInfo, type VarianceInfo } from './trial.js';
export {
  PAPER_TRAIN_SNRS_DB, PAPER_CMCS, PAPER_TEST_SNRS_DB, PAPER_BEST_CMC, PAPER_FIG7_POINTS, planTrials, transmittedTrial, runTrials, runWarmStart,
  curveRows, inWindow, windowMean, bestCmc, bestCmcComparison, chosenVscc, fig7Rows, fig8Rows, fig9Rows, varianceRows,
  metricGridSpec, checkClaims, varianceSummary, methodsAt, paperPointRows, type VsccPlan, type PlannedTrial, type CurveRow, type BestCmcRow, type Fig9Row, type ClaimRow,
} from './experiment.js';
export { jpegCapacityReference, type SeparatePoint } from './separate.js';
