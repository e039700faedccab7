/**
 * E2EC — "Variable-Length Joint Source-Channel Coding for Semantic Communication" (NOTES §C): the model, its
 * score-function training, the d2-JSCC and RDBO baselines, the paper's evaluation, and the notebook's glue.
 */
export {
  type BaselineKind, BASELINE_KINDS, type TrainSettings, type E2ecConfig, type D2jsccConfig, type RdboConfig, type AnyConfig,
  PAPER_TRAIN, e2ecConfig, d2jsccConfig, rdboConfig, validateE2ec,
} from './config.js';
export { initDenseXavier, initLayerNorm, layerNorm, initMlp, mlp, inputDense } from './layers.js';
export { mixtureMi, mixtureMiJs } from './mi.js';
export {
  INPUT_DIM, CLASSES, initE2ec, encode, sampleCode, truncate, bscValid, selector, decode, crossEntropy, gaussianParams,
  e2ecSurrogate, type EncoderOutput, type SampledCode, type StepStats,
} from './model.js';
export { initD2jscc, d2jsccForward, d2jsccLoss, initRdbo, rdboForward, rdboLoss } from './baselines.js';
export {
  evaluateE2ec, semanticMetrics, embeddingGeometry, lengthClassInformation, lengthClassBias,
  type SemanticMetrics, type E2ecEval, type BlockImportance, type EmbeddingGeometry, type FullEval,
} from './evaluate.js';
export { mnistNormalised, StepBatches, type Digits } from './data.js';
export { runTrial, type TrialResult, type E2ecTrialResult, type BaselineTrialResult, type HistoryPoint, type TrainInfo } from './trial.js';
export {
  PAPER_TABLE1, PAPER_CROSS_INNER, planConfigs, runConfigs, resultFor, table1Rows, table1Comparison, fig2aRows,
  trajectoryRows, lengthHistogramRows, lengthSpreadRows, embeddingRows, ablationRows, trunkRows, infoPlaneSpec,
  COLLAPSE_ACCURACY, differenceSummary, differenceBullets, type DifferenceSummary, type ExperimentPlan, type PlannedConfigs,
} from './experiment.js';
