/**
 * E2EC — Zhou et al., "Variable-Length Joint Source-Channel Coding for Semantic Communication" (docs/papers/e2ec.md):
 * the model, its score-function training, the d2-JSCC and RDBO baselines, the paper's evaluation, the sweep plan,
 * the figures' rows and the checked claims.
 */
export {
  type BaselineKind, BASELINE_KINDS, type TrainSettings, type E2ecConfig, type D2jsccConfig, type RdboConfig, type AnyConfig,
  PAPER_TRAIN, e2ecConfig, d2jsccConfig, rdboConfig, validateE2ec,
} from './config.js';
export { initDenseXavier, initLayerNorm, layerNorm, initMlp, mlp, inputDense } from './layers.js';
export { mixtureMi, mixtureMiJs, mixtureMiPerSample } from './mi.js';
export {
  INPUT_DIM, CLASSES, initE2ec, encode, sampleCode, truncate, bscValid, selector, decode, crossEntropy, gaussianParams,
  e2ecSurrogate, type EncoderOutput, type SampledCode, type StepStats,
} from './model.js';
export { initD2jscc, d2jsccForward, d2jsccLoss, initRdbo, rdboForward, rdboEvaluate, rdboLoss } from './baselines.js';
export {
  evaluateE2ec, semanticMetrics, embeddingGeometry, lengthClassInformation, lengthClassBias, validationPoint, chooseCheckpoint,
  type CurvePoint, type SemanticMetrics, type E2ecEval, type BlockImportance, type EmbeddingGeometry, type FullEval, type DropsByDigit,
} from './evaluate.js';
export { mnistNormalised, StepBatches, type Digits } from './data.js';
export { runTrial, TEST_DIGITS, type TrialResult, type E2ecTrialResult, type BaselineTrialResult, type HistoryPoint, type TrainInfo } from './trial.js';
export {
  PAPER_TABLE1, PAPER_CROSS_INNER, SWEEP_CACHE, SPLIT_SEED, planTrials, runTrials, resultFor, splitDigits,
  type DigitSplit, type ExperimentPlan, type PlannedConfigs,
} from './plan.js';
export {
  table1Rows, table1Comparison, lengthEntropyBits, fig2aRows, fig2aSpec, fig2eRows, fig2eSpec, trajectoryRows, lengthHistogramRows, lengthSpreadRows,
  embeddingRows, ablationRows, trunkRows, infoPlaneSpec, COLLAPSE_ACCURACY, differenceSummary, differenceBullets,
  testHalf, learningCurveRows, curveExtrapolation, curveFitRows, budgetRows, budgetLabels, type BudgetLabels, rdboPosition, rdboPositionBullets,
  type Table1Row, type Fig2aRow, type DifferenceSummary, type TestHalf, type CurveRow, type CurveFitRow, type ExtrapolationRow, type BudgetRow, type RdboPositionRow,
} from './figures.js';
export {
  MIN_TRAINED_ACCURACY, validationAccuracy, isTrained, restartUntrained, restartRows,
  type RestartAttempt, type RestartOutcome, type RestartOptions,
} from './restarts.js';
export {
  claims, claimsInput, untestedClaims, pairedSdDifference, unpairedDifference, crossInnerAtInit, trajectoryWindows,
  type E2ecClaimsInput, type DigitScores, type TrajectoryPoint,
} from './claims.js';
